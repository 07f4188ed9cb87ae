"""Near-duplicate articles: signatures, LSH candidates and links to the original."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from corpus_articles import (
    ARTICLE_SET,
    INDEPENDENT,
    REWRITE,
    UNRELATED,
    WIRE,
    WIRE_COPY,
    write_jsonl,
)

from flashpoint.errors import DataFileError, StoreError
from flashpoint.ingest.dedup import (
    DedupRules,
    Linker,
    NewArticle,
    Signer,
    band_keys,
    similarity,
)
from flashpoint.ingest.run import IngestOptions, ingest, load_rules
from flashpoint.records import Analysis, Article
from flashpoint.store import Store

RULES = DedupRules()
SIGN = Signer(RULES)


@pytest.mark.parametrize("other, low, high", [
    (WIRE_COPY, 0.75, 1.0),      # syndication: the same story, a byline added, the tail cut
    (REWRITE, RULES.threshold, 0.75),  # a new first sentence, paragraphs moved, words changed
    (INDEPENDENT, 0.0, 0.1),     # the same happening written separately
    (UNRELATED, 0.0, 0.1),       # another happening the same day
])
def test_similarity_to_the_wire_story(other: str, low: float, high: float) -> None:
    assert low <= similarity(SIGN(WIRE).values, SIGN(other).values) <= high


def test_signatures_are_stable_and_case_blind() -> None:
    assert SIGN(WIRE) == SIGN(WIRE)
    assert SIGN(WIRE.upper()).values == SIGN(WIRE).values
    assert SIGN(WIRE).words == len(WIRE.split())


def test_band_keys_differ_per_band_and_follow_the_signature() -> None:
    keys = band_keys(SIGN(WIRE).values, RULES)
    assert len(keys) == RULES.bands[0] == len(set(keys))
    assert len(set(keys) & set(band_keys(SIGN(WIRE_COPY).values, RULES))) > 0
    assert not set(keys) & set(band_keys(SIGN(UNRELATED).values, RULES))


@pytest.mark.parametrize("values, message", [
    ({"threshold": 1.5}, "threshold"),
    ({"num_perm": 0}, "num_perm"),
    ({"colour": "red"}, "no setting 'colour'"),
    ({"min_words": "many"}, "min_words must be int"),
])
def test_bad_settings_are_refused(values: dict, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        DedupRules.from_mapping(values)


def test_a_rules_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[dedup]\nthreshold = 0.8\n[incidents]\nmax_days = 5\n", encoding="utf-8")
    dedup, incidents = load_rules(path)
    assert dedup.threshold == 0.8 and dedup.num_perm == load_rules()[0].num_perm
    assert incidents.max_days == 5 and incidents.close_types == load_rules()[1].close_types


def test_a_rules_file_with_an_unknown_section_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[dedupe]\nthreshold = 0.8\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown section"):
        load_rules(path)


# -- the linker, on a store without the language model ---------------------------------------


def stored(store: Store, text: str, published: str | None) -> NewArticle:
    article = Article(text=text, published=date.fromisoformat(published) if published else None)
    store.save(Analysis(article=article))
    return NewArticle(article.id, article.published, SIGN(text))


def originals(store: Store) -> dict[str, str | None]:
    return dict(store.fetchall("SELECT id, duplicate_of FROM articles"))


def test_copies_link_to_the_first_article_across_batches() -> None:
    with Store(":memory:") as store:
        linker = Linker(store, RULES)
        wire = stored(store, WIRE, "2024-03-12")
        with store.transaction():
            assert linker.link([wire]) == []
        copy, rewrite, other = (stored(store, t, "2024-03-12") for t in (WIRE_COPY, REWRITE, INDEPENDENT))
        with store.transaction():
            links = linker.link([copy, rewrite, other])
        assert {(l.article, l.original) for l in links} == {(copy.id, wire.id), (rewrite.id, wire.id)}
        assert originals(store) == {wire.id: None, copy.id: wire.id, rewrite.id: wire.id, other.id: None}


def test_an_earlier_published_copy_arriving_late_becomes_the_original() -> None:
    with Store(":memory:") as store:
        linker = Linker(store, RULES)
        copy = stored(store, WIRE_COPY, "2024-03-13")
        reprint = stored(store, WIRE_COPY + "\n\nReporting by the Regional Herald desk.", "2024-03-14")
        with store.transaction():
            linker.link([copy])
            linker.link([reprint])
        assert originals(store)[reprint.id] == copy.id
        wire = stored(store, WIRE, "2024-03-12")
        with store.transaction():
            linker.link([wire])
        # every member of the group now points at the earliest, never at another copy
        assert originals(store) == {wire.id: None, copy.id: wire.id, reprint.id: wire.id}


def test_a_copy_inside_one_batch_is_found_too() -> None:
    with Store(":memory:") as store:
        wire, copy = stored(store, WIRE, None), stored(store, WIRE_COPY, None)
        with store.transaction():
            links = Linker(store, RULES).link([wire, copy])
        assert [(l.article, l.original) for l in links] == [(copy.id, wire.id)]
        assert links[0].similarity >= 0.75


def test_short_texts_are_never_linked() -> None:
    brief = "Azerbaijani forces shelled the Armenian border town of Jermuk on Monday."
    with Store(":memory:") as store:
        first, second = stored(store, brief, None), stored(store, brief + " Two died.", None)
        with store.transaction():
            assert Linker(store, RULES).link([first, second]) == []


def test_a_database_keeps_the_signature_settings_it_was_built_with() -> None:
    with Store(":memory:") as store:
        Linker(store, RULES)
        with pytest.raises(StoreError, match="other settings.*--restart"):
            Linker(store, DedupRules(shingle_words=5))
        Linker(store, DedupRules(min_words=10))  # not a signature setting: allowed


def test_a_near_duplicate_link_survives_re_analysis() -> None:
    with Store(":memory:") as store:
        wire, copy = stored(store, WIRE, None), stored(store, WIRE_COPY, None)
        with store.transaction():
            Linker(store, RULES).link([wire, copy])
        store.save(Analysis(article=Article(text=WIRE_COPY)))  # `flashpoint analyze --db` again
        assert originals(store)[copy.id] == wire.id


# -- end to end: the hand-written set through `ingest` -------------------------------------------


@pytest.mark.slow
def test_ingest_links_the_wire_copy_and_the_rewrite_but_not_the_others(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "set.jsonl",
                         [{"id": i, "text": t, "published": p, "url": u} for i, t, p, u in ARTICLE_SET])
    dedup, incident_rules = load_rules()
    report = ingest([str(corpus)], tmp_path / "db.duckdb",
                    options=IngestOptions(dedup=dedup, incident_rules=incident_rules))
    assert report.analysed == 5 and report.duplicates == 2
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        rows = dict(store.fetchall(
            "SELECT a.record_id, o.record_id FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of"))
        flat = store.events()
    assert rows == {"wire": None, "copy": "wire", "rewrite": "wire", "independent": None, "unrelated": None}
    wire_id = next(r["article_id"] for r in flat if r["url"].endswith("/jermuk"))
    assert {r["duplicate_of"] for r in flat if r["url"].endswith(("/world/jermuk", "/news/armenia"))} == {wire_id}
