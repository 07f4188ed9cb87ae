"""Article extraction benchmark (issue 13): Flashpoint's full ingest beside plain trafilatura.

    .venv/bin/python benchmarks/extraction.py [--data DIR] [--json] [--details]

Data: ``article-extraction`` under ../shared/benchmarks/raw (172 real news and blog pages,
``html/<key>.html.gz``, and ``ground-truth.json`` with each page's annotated ``articleBody``
and ``url``); it is read at run time, never copied into the project.

Each page is read the way ``flashpoint analyze page.html`` reads a file (bytes decoded by the
page's declared charset) and run through (a) Flashpoint's full ingest, ``to_article`` — the
cleaned ``Article.text``, title, author and date — and (b) plain ``trafilatura.extract`` with
default settings on the same decoded HTML. A page whose text Flashpoint's language check
refuses (:class:`LanguageError`) is skipped for both and counted as "skipped: language"; any
other refusal scores Flashpoint an empty body on that page.

Scoring, as the benchmark's README describes it: each body is split into ``\\w+`` words,
lower-cased, and into word 4-shingles; true positives are the shingles in both (multisets),
false positives those only in the prediction, false negatives those only in the truth. The
headline P/R/F1 is micro (sums over pages). The original ``evaluate.py`` of the benchmark
weighs pages equally instead (each page's counts normalised to sum 1, P and R averaged over
pages, F1 from the two means); that figure is printed too ("per-page"), since the published
scores use it. Standard errors: 1,000 bootstrap resamples of the pages, seed 13. "Accuracy":
share of pages with shingle F1 ≥ 0.9.

Author and date: the ground truth has neither. The date is checked against the date in the
page's URL where the URL has one (``/2019/05/21/``, ``/20190521``, ``2019-05-21``): an
independent reference the extractor never sees. Authors are listed with ``--details`` to be
checked by eye; placeholder-like authors (one word, no capital, site words) are counted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "benchmarks" / "raw" / "article-extraction"
ACCURATE = 0.9  # a page is "accurate" at shingle F1 >= 0.9, as in the benchmark's README
BOOTSTRAP, SEED = 1000, 13
_WORD = re.compile(r"\w+")


@dataclass
class Page:
    key: str
    url: str
    status: str = "ok"  # ok | skipped: language | failed: <error>
    fp: tuple[int, int, int] = (0, 0, 0)  # Flashpoint's tp, fp, fn
    tr: tuple[int, int, int] = (0, 0, 0)  # plain trafilatura's
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: str | None = None
    url_date: str | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def shingles(text: str, n: int = 4) -> Counter:
    words = [w.lower() for w in _WORD.findall(text or "")]
    return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)) if words[i:i + n])


def match(truth: str, pred: str) -> tuple[int, int, int]:
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    return tp, sum(p.values()) - tp, sum(t.values()) - tp


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def page_f1(c: tuple[int, int, int]) -> float:
    return 1.0 if c[1] == c[2] == 0 else prf(*c)[2]


def micro(counts: list[tuple[int, int, int]]) -> tuple[float, float, float]:
    return prf(*(sum(c[i] for c in counts) for i in range(3)))


def per_page(counts: list[tuple[int, int, int]]) -> tuple[float, float, float]:
    """The original evaluate.py: per-page normalised counts, mean P and mean R, F1 of means."""
    ps, rs = [], []
    for tp, fp, fn in counts:
        if fp == fn == 0:
            ps.append(1.0)
            rs.append(1.0)
            continue
        if tp + fp:
            ps.append(tp / (tp + fp))
        if tp + fn:
            rs.append(tp / (tp + fn))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def bootstrap_se(counts: list[tuple[int, int, int]], score) -> tuple[float, float, float]:
    rng = random.Random(SEED)
    draws = [score([counts[rng.randrange(len(counts))] for _ in counts]) for _ in range(BOOTSTRAP)]
    out = []
    for i in range(3):
        values = [d[i] for d in draws]
        mean = sum(values) / len(values)
        out.append((sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5)
    return tuple(out)


_URL_DATES = (
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?:/|$|[^\d])"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?:/|$|[^\d])"),
)


def url_date(url: str) -> date | None:
    for pattern in _URL_DATES:
        if m := pattern.search(url):
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
    return None


def placeholder_author(author: str) -> bool:
    """An author string that is no person's name: one lower-case word, a site word, a URL."""
    words = author.split()
    return (not any(w[:1].isupper() for w in words) or "://" in author or "@" in author
            or bool(re.search(r"\b(?:user ?name|admin|staff|editor|guest|anonymous)\b", author, re.I)))


def run(data: Path) -> list[Page]:
    import trafilatura

    from flashpoint.errors import FlashpointError, LanguageError
    from flashpoint.inputs import clean
    from flashpoint.inputs.documents import read_stream
    from flashpoint.settings import Settings

    settings = Settings()
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        gold, url = truth[key]["articleBody"], truth[key]["url"]
        page = Page(key, url)
        when = url_date(url)
        page.url_date = when.isoformat() if when else None
        with gzip.open(data / "html" / f"{key}.html.gz", "rb") as handle:
            docs = list(read_stream(handle, f"{key}.html", input_format="html", settings=settings))
        doc = docs[0]
        if isinstance(doc, clean.Failure):
            page.status, page.note = "failed: read", str(doc.error)
            pages.append(page)
            continue
        try:
            article = clean.to_article(doc, settings=settings)
        except LanguageError as err:
            page.status, page.note = "skipped: language", str(err)
            pages.append(page)
            continue
        except FlashpointError as err:
            page.status, page.note, article = f"failed: {type(err).__name__}", str(err), None
        if article is not None:
            page.fp = match(gold, article.text)
            page.title, page.author = article.title, article.author
            page.published = article.published.isoformat() if article.published else None
            page.published_source = article.published_source
        else:
            page.fp = match(gold, "")
        page.tr = match(gold, trafilatura.extract(doc.content) or "")
        pages.append(page)
    return pages


def summary(pages: list[Page]) -> dict:
    scored = [p for p in pages if p.status != "skipped: language"]
    out: dict = {"pages": len(pages), "scored": len(scored),
                 "skipped_language": sum(p.status == "skipped: language" for p in pages),
                 "failed": sum(p.status.startswith("failed") for p in pages)}
    for name, attr in (("flashpoint", "fp"), ("trafilatura", "tr")):
        counts = [getattr(p, attr) for p in scored]
        m, pp = micro(counts), per_page(counts)
        out[name] = {
            "micro": dict(zip("prf", m, strict=True)),
            "micro_se": dict(zip("prf", bootstrap_se(counts, micro), strict=True)),
            "per_page": dict(zip("prf", pp, strict=True)),
            "per_page_se": dict(zip("prf", bootstrap_se(counts, per_page), strict=True)),
            "accuracy": sum(page_f1(c) >= ACCURATE for c in counts) / len(counts),
        }
    ok = [p for p in scored if p.status == "ok"]
    dated = [p for p in ok if p.url_date]
    out["date"] = {
        "pages_with_url_date": len(dated),
        "found": sum(p.published is not None for p in dated),
        "right": sum(p.published == p.url_date for p in dated),
        "found_any_page": sum(p.published is not None for p in ok),
    }
    out["author"] = {"found": sum(p.author is not None for p in ok),
                     "placeholder_like": sum(bool(p.author) and placeholder_author(p.author) for p in ok),
                     "pages": len(ok)}
    return out


def report(s: dict) -> str:
    lines = [f"pages {s['pages']}: scored {s['scored']} (English), skipped: language "
             f"{s['skipped_language']}, failed {s['failed']}", "",
             "| extractor | P | R | F1 | per-page P / R / F1 (original evaluate.py) | accuracy (F1 ≥ 0.9) |",
             "|---|---|---|---|---|---|"]
    for name in ("flashpoint", "trafilatura"):
        m, se, pp, ppse = (s[name][k] for k in ("micro", "micro_se", "per_page", "per_page_se"))
        lines.append(f"| {name} | {m['p']:.3f} ± {se['p']:.3f} | {m['r']:.3f} ± {se['r']:.3f} | "
                     f"**{m['f']:.3f}** ± {se['f']:.3f} | {pp['p']:.3f} / {pp['r']:.3f} / "
                     f"{pp['f']:.3f} ± {ppse['f']:.3f} | {s[name]['accuracy']:.3f} |")
    d, a = s["date"], s["author"]
    lines += ["", f"date: {d['right']}/{d['pages_with_url_date']} right against the URL's date "
              f"({d['found']} found there); a date on {d['found_any_page']} of the scored pages",
              f"author: found on {a['found']}/{a['pages']} pages, {a['placeholder_like']} placeholder-like"]
    return "\n".join(lines)


def details(pages: list[Page]) -> str:
    rows = ["key\tstatus\tflashpoint_f1\ttrafilatura_f1\tfp_p\tfp_r\tauthor\tpublished\turl_date\turl"]
    for p in sorted(pages, key=lambda p: page_f1(p.fp) - page_f1(p.tr)):
        fpp, fpr, _ = prf(*p.fp)
        rows.append(f"{p.key[:10]}\t{p.status}\t{page_f1(p.fp):.3f}\t{page_f1(p.tr):.3f}\t{fpp:.3f}\t"
                    f"{fpr:.3f}\t{p.author}\t{p.published}\t{p.url_date}\t{p.url}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--details", action="store_true", help="print one row per page")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmarks/extraction.py: {args.data}/ground-truth.json not found "
              "(../shared/benchmarks is needed)", file=sys.stderr)
        return 2
    pages = run(args.data)
    s = summary(pages)
    if args.json:
        s["per_page_rows"] = [asdict(p) for p in pages] if args.details else None
        print(json.dumps(s, indent=2))
        return 0
    print(report(s))
    if args.details:
        print()
        print(details(pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
