"""Near-duplicate articles: MinHash signatures of word shingles, LSH bands kept in the store.

A crisis is re-reported many times over: wire copies, syndicated pages, light rewrites. Each
article gets a MinHash signature of its set of word n-grams (``shingle_words`` long) where it is
analysed (a worker process); the parent process, which alone writes the database, links an
article to the original of the first group whose members it resembles with an estimated
Jaccard similarity of at least ``threshold`` (:class:`Linker`).

Candidates are found by locality-sensitive hashing: the signature is cut into bands and an
article sharing a band's hash with another is a candidate, then checked on the whole signature.
The band keys live in the database (``minhash_bands``) rather than in an in-memory index, so a
corpus of any size deduplicates in flat memory and a resumed run sees every earlier article.

The original of a group is its earliest published article (the first stored when dates are
missing or equal); every copy points at that root, never at another copy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np

from flashpoint.errors import DataFileError, StoreError
from flashpoint.resources import check_section

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class DedupRules:
    """When two articles count as the same report (``[dedup]`` in ``data/corpus.toml``).

    threshold: estimated Jaccard similarity of the shingle sets from which an article is a
        near-duplicate. 0.5 keeps light rewrites (a changed word in ten, a reordered paragraph,
        a new lede) and leaves apart two articles about the same event written separately,
        which share well under 0.2 of their 3-word shingles (tests/test_dedup.py).
    num_perm: MinHash permutations; the estimate's standard error is about 1/sqrt(num_perm).
    shingle_words: words per shingle.
    min_words: texts shorter than this are never linked (a two-line brief matches too easily).
    seed: seed of the MinHash permutations.
    recall_weight: how much more a missed duplicate costs than a needless candidate check when
        the LSH bands are chosen (datasketch's weights): candidates are verified on the whole
        signature, so a false candidate costs a comparison while a miss costs a double count.
        At 0.9 an article at the threshold is found 87% of the time, against 55% at 0.5.
    """

    threshold: float = 0.5
    num_perm: int = 128
    shingle_words: int = 3
    min_words: int = 40
    seed: int = 1
    recall_weight: float = 0.9

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise DataFileError(f"dedup threshold must be in (0, 1], not {self.threshold}")
        if not 0.0 < self.recall_weight < 1.0:
            raise DataFileError(f"dedup recall_weight must be in (0, 1), not {self.recall_weight}")
        for name in ("num_perm", "shingle_words", "min_words"):
            if getattr(self, name) < 1:
                raise DataFileError(f"dedup {name} must be at least 1, not {getattr(self, name)}")

    @cached_property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) minimising false positives and negatives at ``threshold``."""
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm,
                         weights=(1.0 - self.recall_weight, self.recall_weight))
        return lsh.b, lsh.r

    def signature_params(self) -> dict[str, str]:
        """The parameters stored signatures depend on: a database keeps one set of them."""
        b, r = self.bands
        return {"dedup.num_perm": str(self.num_perm), "dedup.shingle_words": str(self.shingle_words),
                "dedup.seed": str(self.seed), "dedup.scheme": "datasketch-affine32",
                "dedup.bands": f"{b}x{r}"}

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> DedupRules:
        return cls(**check_section(cls, values, "dedup"))


@dataclass(frozen=True, slots=True)
class Signature:
    """An article's MinHash signature and its length in words."""

    words: int
    values: tuple[int, ...]


class Signer:
    """Compute signatures; build once per process (the permutations are drawn once)."""

    def __init__(self, rules: DedupRules) -> None:
        from datasketch import MinHash

        self.rules = rules
        self._template = MinHash(num_perm=rules.num_perm, seed=rules.seed, scheme="affine32")

    def __call__(self, text: str) -> Signature:
        words = [w.casefold().replace("’", "'") for w in _WORD.findall(text)]
        n = self.rules.shingle_words
        shingles = {" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}
        minhash = self._template.copy()
        minhash.update_batch([s.encode("utf-8") for s in shingles])
        return Signature(len(words), tuple(int(v) for v in minhash.hashvalues))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of equal signature positions."""
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def band_keys(values: Sequence[int], rules: DedupRules) -> list[int]:
    """One signed 64-bit key per band; the band's number is hashed in, so keys never collide
    across bands and one equality test finds candidates."""
    bands, rows = rules.bands
    array = np.asarray(values, dtype=np.uint64)
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(array[band * rows : (band + 1) * rows].tobytes(), digest_size=8,
                                 salt=band.to_bytes(2, "little") + b"fp")
        keys.append(int.from_bytes(digest.digest(), "little", signed=True))
    return keys


# -- linking new articles to their originals ----------------------------------------------


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article stored by the current batch, with what dedup needs to know of it."""

    id: str
    published: date | None
    signature: Signature


@dataclass(frozen=True, slots=True)
class Link:
    """``article`` near-duplicates the group whose original is ``original``."""

    article: str
    original: str
    similarity: float


@dataclass
class _Known:
    signature: tuple[int, ...]
    root: str
    root_published: date | None


class Linker:
    """Link a batch's new articles to earlier ones; runs inside the batch's transaction.

    ``store`` is a :class:`~flashpoint.store.Store` opened for writing; the caller holds its
    transaction, so the links, signatures and bands commit with the articles themselves.
    """

    def __init__(self, store: Any, rules: DedupRules) -> None:
        self.store = store
        self.rules = rules
        self._check_params()

    def _check_params(self) -> None:
        stored = dict(self.store.fetchall("SELECT name, value FROM corpus_meta WHERE name LIKE 'dedup.%'"))
        wanted = self.rules.signature_params()
        if not stored:
            self.store.insert_rows("corpus_meta", ("name", "value"), list(wanted.items()))
        elif stored != wanted:
            changed = ", ".join(f"{k} {stored.get(k)} → {v}" for k, v in wanted.items() if stored.get(k) != v)
            raise StoreError(f"the database was deduplicated with other settings ({changed}); use the "
                             "same [dedup] settings, or --restart to analyse the corpus again",
                             source=self.store.path)

    def link(self, batch: Sequence[NewArticle]) -> list[Link]:
        """Decide and store the links of ``batch`` (in order); return them."""
        rules = self.rules
        eligible = [a for a in batch if a.signature.words >= rules.min_words]
        keys = {a.id: band_keys(a.signature.values, rules) for a in eligible}
        known, hits = self._candidates({k for ks in keys.values() for k in ks})
        links: dict[str, Link] = {}
        reroots: list[tuple[str, str, float]] = []
        for article in eligible:
            candidates = {aid for key in keys[article.id] for aid in hits.get(key, ())}
            best = max(
                ((similarity(article.signature.values, known[c].signature), c) for c in candidates),
                default=None, key=lambda pair: (pair[0], pair[1]))
            if best is not None and best[0] >= rules.threshold:
                score, match = best
                root = known[match].root
                root_published = known[match].root_published
                if article.published and root_published and article.published < root_published:
                    # an earlier-published copy arrived late: it becomes the group's original
                    reroots.append((root, article.id, score))
                    for info in known.values():
                        if info.root == root:
                            info.root, info.root_published = article.id, article.published
                    for aid, old in list(links.items()):
                        if old.original == root:
                            links[aid] = Link(aid, article.id, old.similarity)
                    links[root] = Link(root, article.id, score)
                    root, root_published = article.id, article.published
                else:
                    links[article.id] = Link(article.id, root, score)
            else:
                root, root_published = article.id, article.published
            known[article.id] = _Known(article.signature.values, root, root_published)
            for key in keys[article.id]:
                hits.setdefault(key, []).append(article.id)
        self._write(batch, keys, reroots, list(links.values()))
        return list(links.values())

    def _candidates(self, keys: set[int]) -> tuple[dict[str, _Known], dict[int, list[str]]]:
        """Stored articles sharing a band key with the batch: their signatures and roots."""
        if not keys:
            return {}, {}
        rows = self.store.fetchall(
            """SELECT b.key, b.article_id, m.signature, coalesce(a.duplicate_of, a.id), r.published
               FROM minhash_bands b
               JOIN minhashes m ON m.article_id = b.article_id
               JOIN articles a ON a.id = b.article_id
               LEFT JOIN articles r ON r.id = coalesce(a.duplicate_of, a.id)
               WHERE b.key IN (SELECT unnest($keys::BIGINT[]))
               ORDER BY b.article_id""",
            {"keys": sorted(keys)})
        known: dict[str, _Known] = {}
        hits: dict[int, list[str]] = {}
        for key, aid, sig, root, published in rows:
            known.setdefault(aid, _Known(tuple(sig), root, published))
            hits.setdefault(key, []).append(aid)
        return known, hits

    def _write(self, batch: Sequence[NewArticle], keys: dict[str, list[int]],
               reroots: list[tuple[str, str, float]], links: list[Link]) -> None:
        store = self.store
        store.insert_rows("minhashes", ("article_id", "words", "signature"),
                          [(a.id, a.signature.words, list(a.signature.values)) for a in batch])
        store.insert_rows("minhash_bands", ("band", "key", "article_id"),
                          [(i, key, aid) for aid, ks in keys.items() for i, key in enumerate(ks)])
        for old_root, new_root, score in reroots:  # earlier batches' copies follow their new root
            store.execute("UPDATE articles SET duplicate_of = $new WHERE duplicate_of = $old",
                          {"new": new_root, "old": old_root})
            store.execute("UPDATE articles SET duplicate_of = $new, duplicate_similarity = $score "
                          "WHERE id = $old", {"new": new_root, "old": old_root, "score": score})
        if links:
            store.execute(
                """UPDATE articles SET duplicate_of = l.original, duplicate_similarity = l.score
                   FROM (SELECT unnest($ids::VARCHAR[]) AS id, unnest($originals::VARCHAR[]) AS original,
                                unnest($scores::DOUBLE[]) AS score) l
                   WHERE articles.id = l.id""",
                {"ids": [l.article for l in links], "originals": [l.original for l in links],
                 "scores": [l.similarity for l in links]})
            # a new root's own row must not point anywhere
            store.execute("UPDATE articles SET duplicate_of = NULL, duplicate_similarity = NULL "
                          "WHERE id IN (SELECT unnest($ids::VARCHAR[])) AND duplicate_of = id",
                          {"ids": [l.article for l in links]})
