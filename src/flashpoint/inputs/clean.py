"""Cleaning documents into :class:`~flashpoint.records.Article` records.

:func:`to_article` extracts HTML with trafilatura, strips Markdown syntax, takes the byline,
dateline and header labels off the first lines, drops in-body boilerplate (the cues are in
``data/blurbs.toml``) and checks that the text is English. The cleaned text is paragraphs
separated by one blank line. Reading files, directories, stdin and JSON Lines into
:class:`Document` records is :mod:`flashpoint.sources`; its public names are re-exported here,
so ``ingest`` is the one entry point for the pipeline and the CLI.
"""

from __future__ import annotations

import html as html_entities
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from flashpoint.errors import DataFileError, EmptyInputError, InputError, LanguageError
from flashpoint.inputs.documents import (
    EXTENSIONS,
    INPUT_FORMATS,
    Document,
    Failure,
    find_date,
    iso_date,
    iter_documents,
    sniff,
    too_large,
    too_long,
)
from flashpoint.records import Article
from flashpoint.resources import data_file
from flashpoint.settings import Settings

__all__ = ["Document", "Failure", "document_from_string", "iter_documents", "to_article",
           "EXTENSIONS", "INPUT_FORMATS"]

HEADER_LINES = 15  # bylines, datelines and labels sit in the first lines of an article


# -- data files ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cues:
    blurbs: tuple[re.Pattern[str], ...]
    author_blurbs: tuple[str, ...]  # patterns with "{author}", compiled per article
    headers: tuple[re.Pattern[str], ...]


def _data_file(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads((data_file("inputs", name)).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"cannot load {name}: {exc}; reinstall Flashpoint") from exc


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    """Load and validate ``blurbs.toml`` once."""
    return _compile_cues(_data_file("blurbs.toml"))


def _compile_cues(data: dict[str, Any]) -> _Cues:
    compiled: dict[str, list[Any]] = {"blurb": [], "author": [], "header": []}
    for table in ("blurb", "header"):
        for n, entry in enumerate(data.get(table, []), 1):
            pattern = entry.get("pattern") if isinstance(entry, dict) else None
            if not isinstance(pattern, str) or not entry.get("why"):
                raise DataFileError(f"blurbs.toml: [[{table}]] #{n} needs a `pattern` and a `why`")
            try:
                regex = re.compile(pattern.replace("{author}", "Jane Doe"), re.I)
            except re.error as exc:
                raise DataFileError(f"blurbs.toml: [[{table}]] #{n}: bad regex {pattern!r}: {exc}; "
                                    "fix the pattern") from exc
            if "{author}" in pattern:
                compiled["author"].append(pattern)
            else:
                compiled["header" if table == "header" else "blurb"].append(regex)
    return _Cues(tuple(compiled["blurb"]), tuple(compiled["author"]), tuple(compiled["header"]))


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    words = _data_file("english.toml").get("common_words")
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        raise DataFileError("english.toml: `common_words` must be a non-empty list of strings")
    return frozenset(w.lower() for w in words)


# -- documents from strings ------------------------------------------------------------------


def document_from_string(text_or_html: str, *, title: str | None = None, url: str | None = None,
                         id: str | None = None) -> Document:
    """Wrap a string (plain text, Markdown or HTML, sniffed) as a :class:`Document`."""
    return Document(text_or_html, sniff(text_or_html), id=id, title=title, url=url)


# -- cleaning --------------------------------------------------------------------------------


def to_article(document: Document, *, published: date | None = None, settings: Settings) -> Article:
    """Clean a document into an :class:`Article`; raise an :class:`InputError` if it is unusable.

    ``published`` wins over the document's metadata, which wins over a dateline in the text.
    """
    origin = document.origin
    content = document.content
    if len(content) * 4 > settings.max_bytes and len(content.encode("utf-8")) > settings.max_bytes:
        raise too_large("input", settings, origin)
    if not content.strip():
        raise EmptyInputError("input is empty; give an article's text, Markdown or HTML", source=origin)
    meta: dict[str, Any] = {}
    if document.kind == "html":
        text, meta = _extract_html(content, origin)
    elif document.kind == "markdown":
        text, meta["title"] = _strip_markdown(content)
    else:
        text = content
    paragraphs = _paragraphs(text)
    title = document.title or meta.get("title")
    if title and paragraphs and _same(paragraphs[0].split("\n")[0], title):
        # extractors (and people pasting articles) repeat the headline as the first line
        paragraphs[0] = paragraphs[0].partition("\n")[2]
        paragraphs = [p for p in paragraphs if p]
    paragraphs, byline, dateline = _take_header(paragraphs)
    author = document.author or meta.get("author") or byline
    paragraphs = _mend(_drop_blurbs(paragraphs, author))
    if title is None and document.kind == "text" and _is_headline(paragraphs):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    text = "\n\n".join(paragraphs)
    if not text:
        raise EmptyInputError("no article text is left after removing markup and boilerplate",
                              source=origin)
    if len(text) > settings.max_chars:
        raise too_long(len(text), settings, origin)
    _check_english(text, settings, origin)
    source = None
    for candidate, name in ((published, "argument"), (document.published, "metadata"),
                            (meta.get("published"), "metadata"), (dateline, "dateline")):
        if candidate is not None:
            published, source = candidate, name
            break
    return Article(text=text, title=title, author=author, published=published,
                   published_source=source, outlet=meta.get("outlet"),
                   url=document.url or meta.get("url"))


def _is_headline(paragraphs: list[str]) -> bool:
    """A plain text's first paragraph is its headline when it is one short line without a
    full stop and the article goes on after it."""
    if len(paragraphs) < 2:
        return False
    first = paragraphs[0]
    return (
        "\n" not in first
        and 3 <= len(first.split()) and len(first) <= 160
        and not first.rstrip().endswith((".", "!", "?", ":", ","))
        and find_date(first) is None  # a date line that was no dateline stays text
    )


def _extract_html(html: str, origin: str) -> tuple[str, dict[str, Any]]:
    # Imported here: it costs ~0.2 s and plain-text or Markdown runs never need it.
    import trafilatura
    from trafilatura.utils import load_html

    html = _without_controls(html)

    try:
        # favor_recall: the default keeps only the first of the containers some sites split an
        # article into, and falls back to whole-page extractors more often (benchmarks/
        # extraction.py: P 0.964 → 0.972, R 0.966 → 0.965); tables are part of the article
        # (scores, figures, timelines) and the benchmark's annotators kept them (R → 0.969)
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            favor_recall=True,
            # Dates from markup only: the extensive search reads years in the body ("since
            # 2020") as the publication date.
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura/lxml raise many kinds; translate once, here
        raise InputError(f"cannot parse the HTML ({type(exc).__name__}: {exc}); check that it is "
                         "an HTML page", source=origin) from exc
    if doc is None or not (doc.text or "").strip():
        raise EmptyInputError("no article text found in the HTML; is it an article page?",
                              source=origin)
    meta = {"title": doc.title, "author": _clean_author(doc.author, doc.sitename),
            "published": iso_date(doc.date),
            "outlet": doc.sitename, "url": doc.url}
    lines = doc.text.split("\n")
    tree = load_html(html)
    if tree is not None:
        teasers = _teaser_texts(tree)
        lines = [line for line in lines if _key(line) not in teasers]
        if lead := _lost_lead(tree, doc.description, lines):
            lines.insert(0, lead)
    return "\n\n".join(lines), meta  # one paragraph per line → blank-line separated


# -- the author from a page's metadata ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _AuthorCues:
    leads: tuple[re.Pattern[str], ...]
    tails: tuple[re.Pattern[str], ...]
    not_names: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def _author_cues() -> _AuthorCues:
    data = _data_file("authors.toml")
    tables: dict[str, list[re.Pattern[str]]] = {"lead": [], "tail": [], "not_name": []}
    for table, patterns in tables.items():
        for n, entry in enumerate(data.get(table, []), 1):
            pattern = entry.get("pattern") if isinstance(entry, dict) else None
            if not isinstance(pattern, str) or not entry.get("why"):
                raise DataFileError(f"authors.toml: [[{table}]] #{n} needs a `pattern` and a `why`")
            try:
                patterns.append(re.compile(pattern, re.I))
            except re.error as exc:
                raise DataFileError(f"authors.toml: [[{table}]] #{n}: bad regex {pattern!r}: {exc}; "
                                    "fix the pattern") from exc
    return _AuthorCues(tuple(tables["lead"]), tuple(tables["tail"]), tuple(tables["not_name"]))


def _clean_author(raw: str | None, outlet: str | None) -> str | None:
    """The people of a metadata author: labels, glued dates and job titles cut off, placeholders
    ("admin", "Username") and credentials dropped, and the outlet dropped when a person is
    named beside it ("Charlie Wood; Business Insider"). None when nobody is left."""
    if not raw:
        return None
    cues = _author_cues()
    parts: list[str] = []
    for n, part in enumerate(raw.split(";")):
        part = " ".join(part.split()).strip(" ,|·–—-")
        for pattern in cues.leads:
            part = pattern.sub("", part)
        # after a name, "AP National Political Writer" is a title; first, it may open with one
        if n and any(p.fullmatch(part) for p in cues.not_names):
            continue
        for pattern in cues.tails:
            cut = pattern.sub("", part).strip(" ,|·–—-")
            # "The Associated Press" is a credit, not "The" with an agency glued on
            part = cut if len(cut.split()) >= 2 else part
        if part and not any(p.fullmatch(part) for p in cues.not_names) and part not in parts:
            parts.append(part)
    site = _name_key(outlet or "")
    people = [p for p in parts if not site or not (_name_key(p) in site or site in _name_key(p))]
    return "; ".join(people or parts) or None


def _name_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


# -- HTML structure: teaser lists, a lost lead paragraph ---------------------------------------

_INLINE = frozenset("a abbr b cite code em font i mark q s small span strong sub sup time u".split())
_SKIP = frozenset(("script", "style", "noscript", "template", "head", "title", "meta", "link"))
TEASER_LINK_SHARE = 0.5  # an item of a teaser list is at least half link text (its headline)
TEASER_HEADLINE_WORDS = 3  # … or opens with a linked headline ("Pats place Olszewski on IR …")
TEASER_MIN_ITEMS = 3  # "- Report A / - Report B" under an article is a reading list, not teasers
LEAD_PREFIX_WORDS = 8  # a description's opening words, enough to find its paragraph
LEAD_MIN_CHARS = 80  # shorter "leads" are captions and kickers, not a lost first paragraph


def _key(line: str) -> str:
    """A line as it is compared with the page's blocks: no list dash, spaces and case folded."""
    return " ".join(re.sub(r"^\s*[-•*]\s+", "", line).split()).casefold()


def _words_of(element: Any) -> int:
    return sum(ch.isalnum() for ch in element.text_content())


def _teaser_texts(tree: Any) -> frozenset[str]:
    """The items of teaser lists: lists of ≥ 3 items each mostly a link (a headline).

    Sites put "more stories", "trending" and "related" rails inside the article element, and
    trafilatura keeps them as "- Headline Teaser sentence" lines. A list of the article's own
    points is text with, at most, links inside its sentences, so most of an item is not link.
    """
    found: set[str] = set()
    for listing in tree.iter("ul", "ol"):
        items = [li for li in listing.iterchildren("li") if _words_of(li)]
        if len(items) < TEASER_MIN_ITEMS:
            continue
        if all(_is_teaser(li) for li in items):
            found.update(_key(li.text_content()) for li in items)
    return frozenset(found)


def _is_teaser(item: Any) -> bool:
    """A list item that is mostly link text, or opens with a linked headline of some words.

    A headline is not punctuated as a sentence: "<a>The CEO is stepping down</a>. He …" is the
    article's own point linking its source, not a teaser, however much of the item is link.
    """
    links = [a for a in item.iter("a") if _words_of(a)]
    if not links:
        return False
    headline = " ".join(links[0].text_content().split())
    text = " ".join(item.text_content().split())
    opens = text.startswith(headline)
    if opens and (headline.endswith((".", ",", ";", ":"))
                  or re.match(r"[.,;:]", text[len(headline):].lstrip() or " ")):
        return False
    if sum(_words_of(a) for a in links) >= TEASER_LINK_SHARE * _words_of(item):
        return True
    return opens and len(headline.split()) >= TEASER_HEADLINE_WORDS


def _lost_lead(tree: Any, description: str | None, lines: list[str]) -> str | None:
    """The article's first paragraph when trafilatura dropped it, found through the page's
    description, which sites fill with the lead's opening words.

    Some pages write the lead as bare text before a ``<br>`` instead of a ``<p>``, and it is
    lost while the paragraphs after it are kept. The lead is the inline text of the element
    whose text opens with the description's first words; it is put back only when those words
    are nowhere in the extracted text.
    """
    words = re.findall(r"\w+", (description or "").casefold())
    if len(words) < LEAD_PREFIX_WORDS:
        return None
    opening = " ".join(words[:LEAD_PREFIX_WORDS])
    whole = " ".join(words[:-1])  # the last word may be cut: "… in the first half of 20…"
    if opening in " ".join(re.findall(r"\w+", "\n".join(lines))).casefold():
        return None
    body = tree.find("body")
    for element in (body.iter() if body is not None else ()):
        if not isinstance(element.tag, str) or element.tag in _SKIP:
            continue
        lead = _inline_text(element)
        lead_words = " ".join(re.findall(r"\w+", lead.casefold()))
        # the description is the lead cut short; a standfirst that is all of the description
        # (or a different sentence) is left out, as trafilatura and the annotators leave it
        if (lead_words.startswith(whole) and len(lead_words.split()) > len(words)
                and len(lead) >= LEAD_MIN_CHARS):
            return lead
    return None


def _inline_text(element: Any) -> str:
    """An element's own text and inline children, up to its first block child or line break."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str) or child.tag not in _INLINE:
            break
        parts += [child.text_content(), child.tail or ""]
    return " ".join("".join(parts).split())


# A control character, raw or as an entity (&#27; &#x1b;), makes lxml give up on the whole page
# ("no article text"); none belongs in an article, so they go before extraction (tab, line
# breaks and the entities of printable characters stay).
_CONTROL_ENTITY = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_control(code: int) -> bool:
    return (code < 32 and code not in (9, 10, 13)) or 127 <= code <= 159 or code > 0x10FFFF \
        or 0xD800 <= code <= 0xDFFF


def _without_controls(html: str) -> str:
    def drop(m: re.Match[str]) -> str:
        code = int(m[1], 16) if m[1] else int(m[2])
        return "" if _is_control(code) else m[0]

    if "&#" in html:
        html = _CONTROL_ENTITY.sub(drop, html)
    return _RAW_CONTROLS.sub("", html)


# Markdown: escapes are parked in the private-use area while the syntax is removed, so that
# "\*" never opens emphasis; they come back as the plain character.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_RULE = re.compile(r"^\s*(?:(?:[-*_=]\s*){3,}|\ue02a+)\s*$")  # ---, ***, ===, "\*\*\*"
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_LIST = re.compile(r"^\s*(?:>\s?)*(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
# Spans are bounded so that no rule turns quadratic on a long line of stray brackets.
_MD_INLINE = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]\n]{0,500}\](?:\([^)\n]{0,2000}\)|\[[^\]\n]{0,200}\])"), ""),  # images
    (re.compile(r"\[([^\]\n]{0,500})\](?:\([^)\n]{0,2000}\)|\[[^\]\n]{0,200}\])"), r"\1"),  # links
    (re.compile(r"<(https?://[^>\s]{1,2000}|[^>\s@]{1,200}@[^>\s]{1,200})>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^<>]{0,1000}>"), ""),  # inline HTML tags
    (re.compile(r"`([^`\n]{1,1000})`"), r"\1"),
)
_EMPHASIS = re.compile(r"\*+|_+")


def _strip_markdown(md: str) -> tuple[str, str | None]:
    """Markdown → plain text with the same paragraphs; returns the text and a leading # title."""
    md = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), md)
    title, lines, seen_text = None, [], False
    for line in md.replace("\r\n", "\n").split("\n"):
        if _FENCE.match(line) or _RULE.match(line) or _REF_DEF.match(line):
            lines.append("")
            continue
        if heading := _HEADING.match(line):
            line = heading.group(2)
            if not seen_text and title is None and len(heading.group(1)) == 1:
                title, line = line, ""
        line = _QUOTE.sub("", _LIST.sub("", line))
        seen_text = seen_text or bool(line.strip())
        lines.append(line)
    text = "\n".join([title or ""] + lines)  # the title goes through the inline rules too
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    text = "\n\n".join(_strip_emphasis(block) for block in text.split("\n\n"))
    title, _, text = _unpark(html_entities.unescape(text)).partition("\n")
    return text, title.strip() or None


def _strip_emphasis(block: str) -> str:
    """Remove paired ``*``/``_`` runs that open and close a span of words, in linear time.

    A run opens when a word follows it and none precedes it, and closes the other way round,
    so "snake_case", "p***y" and "it's f****** bad" keep their characters.
    """
    stacks: dict[str, list[int]] = {}
    drop: list[tuple[int, int]] = []
    for m in _EMPHASIS.finditer(block):
        run, (start, end) = m.group(), m.span()
        before = block[start - 1] if start else " "
        after = block[end] if end < len(block) else " "
        if len(run) > 3:
            continue
        if not before.isspace() and not after.isalnum() and stacks.get(run):
            opener = stacks[run].pop()
            drop += [(opener, opener + len(run)), (start, end)]
        elif not after.isspace() and not before.isalnum():
            stacks.setdefault(run, []).append(start)
    keep, last = [], 0
    for start, end in sorted(drop):
        keep.append(block[last:start])
        last = end
    return "".join(keep) + block[last:]


def _unpark(text: str) -> str:
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - 0xE000), text)


_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")


def _paragraphs(text: str) -> list[str]:
    """Split on blank lines; normalise whitespace; keep a paragraph's own line breaks."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", text))
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        para = "\n".join(line for line in lines if line)
        if para:
            out.append(para)
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# -- header: byline, dateline, labels -------------------------------------------------------

# "WASHINGTON, Sept. 14 (Reuters) -": a city in capitals, a date, maybe an agency, a dash
_WIRE = re.compile(r"^[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.]+)?,\s*(?P<date>.{4,25}?)\s*"
                   r"(?:\([^)]{1,40}\)\s*)?[-–—]")
_DATELINE_WORDS = {"published", "updated", "posted", "on", "at", "last", "first", "date", "am",
                   "pm", "utc", "gmt", "est", "edt", "cet", "cest", "bst", "of"}
_BYLINE = re.compile(r"^(?:written )?by\s+(?P<name>.+)$|^authors?\s*:\s*(?P<name2>.+)$", re.I)
_NAME_PARTICLES = {"and", "de", "del", "van", "von", "der", "den", "da", "di", "du", "la", "le",
                   "al", "bin", "el", "ibn"}


def _byline_name(line: str) -> str | None:
    if not (m := _BYLINE.match(line)):
        return None
    words = (m["name"] or m["name2"]).strip(" ,·|–—-").split()
    ok = 0 < len(words) <= 8 and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)
    return " ".join(words) if ok else None


def _dateline(line: str) -> tuple[bool, date | None]:
    """Whether ``line`` is a dateline to drop, and the date it gives."""
    if wire := _WIRE.match(line):  # the caller keeps the sentence it opens
        found = find_date(wire["date"])
        return True, found[1] if found else None
    found = find_date(line)
    if found is None or found[1] is None or len(line) > 80 or line.rstrip().endswith("."):
        return False, None
    rest = (line[: found[0].start()] + " " + line[found[0].end():]).replace("’", "'")
    words = re.findall(r"[\w':]+", rest)
    # what is left must be an outlet, a city or a label ("Global Research, …", "Updated …"),
    # not a sentence: "The war began on 24 February 2022" is no dateline
    ok = len(words) <= 6 and all(w[0].isupper() or w[0].isdigit() or w.lower() in _DATELINE_WORDS
                                 for w in words)
    return ok, found[1] if ok else None


def _take_header(paragraphs: list[str]) -> tuple[list[str], str | None, date | None]:
    """Remove byline, dateline and label lines from the first lines; return what they said."""
    author, published, seen, out = None, None, 0, []
    labels = _cues().headers
    for para in paragraphs:
        kept = []
        for line in para.split("\n"):
            seen += 1
            if seen > HEADER_LINES:
                kept.append(line)
                continue
            found = find_date(line)
            name = _byline_name(line[: found[0].start()] if found else line)
            if name:  # "By Jane Doe · September 15, 2022" carries both
                author = author or name
                published = published or (found[1] if found else None)
                continue
            is_dateline, when = _dateline(line)
            published = published or when
            if wire := _WIRE.match(line):
                # "YEREVAN, September 14, 2022 — Armenia and …": metadata glued to the first
                # sentence; keep the sentence, drop the place and date
                line = line[wire.end():].lstrip()
                is_dateline = not line
            if not is_dateline and not any(p.search(line) for p in labels):
                kept.append(line)
        if kept:
            out.append("\n".join(kept))
    return out, author, published


# -- blurbs, broken paragraphs, language -----------------------------------------------------


def _drop_blurbs(paragraphs: list[str], author: str | None) -> list[str]:
    cues = _cues()
    patterns = list(cues.blurbs)
    if author:
        patterns += [re.compile(p.replace("{author}", re.escape(author)), re.I)
                     for p in cues.author_blurbs]
    out = []
    for para in paragraphs:
        lines = [kept for line in para.split("\n") if (kept := _without_blurbs(line, patterns))]
        # what is left must have a letter or digit: drops "*", "•", "—" separator lines
        if lines and any(ch.isalnum() for ch in "".join(lines)):
            out.append("\n".join(lines))
    return out


# between sentences: after . ! ? (and a closing quote), before a capital or a digit
_SENTENCE_GAP = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")


def _without_blurbs(line: str, patterns: list[re.Pattern[str]]) -> str:
    """The line without its blurbs: all of it when a cue opens it or fills most of it.

    Otherwise only the sentences with a cue go, so that an article pasted as one long line
    does not vanish because it ends with "You must select a newsletter to subscribe to."
    """
    if not any(p.search(line) for p in patterns):
        return line
    if any(p.match(line) for p in patterns):
        return ""
    sentences = _SENTENCE_GAP.split(line)
    kept = [s for s in sentences if not any(p.search(s) for p in patterns)]
    # a disclaimer or fair-use notice has cue-free sentences too: mostly blurb means all blurb
    return " ".join(kept) if len(kept) * 2 > len(sentences) else ""


def _mend(paragraphs: list[str]) -> list[str]:
    """Join a paragraph cut mid-sentence by the source ("… courting the" / "West but …").

    Only long paragraphs ending in a lower-case letter or comma qualify, so a heading or a
    short label line is never glued to the text that follows it.
    """
    out: list[str] = []
    for para in paragraphs:
        prev = out[-1] if out else ""
        if len(prev) >= 150 and re.search(r"[a-z,;]$", prev) and para[0].isalnum():
            out[-1] = f"{prev} {para}"
        else:
            out.append(para)
    return out


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
FULL_CHECK_WORDS = 40  # below this, samples are noisy: the bar rises linearly to min_english
MIN_CHECK_WORDS = 8  # below this, no check at all (a headline, a test sentence)


_LETTER = re.compile(r"[^\W\d_]")
# Latin letters: Basic Latin, Latin-1, Latin Extended-A/B, IPA, Latin Extended Additional
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u0250-\u02af\u1e00-\u1eff]")


@lru_cache(maxsize=1)
def _max_non_latin() -> float:
    value = _data_file("english.toml").get("max_non_latin")
    if not isinstance(value, float) or not 0 < value < 1:
        raise DataFileError("english.toml: `max_non_latin` must be a number between 0 and 1")
    return value


def _check_english(text: str, settings: Settings, origin: str) -> None:
    """Refuse a text in another script (any length), then one with too few common English
    words (8 words and more); ``benchmarks/language.py`` measures both."""
    sample = text[:20_000]
    letters = len(_LETTER.findall(sample))
    if letters:
        other = 1 - len(_LATIN.findall(sample)) / letters
        if other > _max_non_latin():
            raise LanguageError(f"text does not look like English ({other:.0%} of its letters are not "
                                "Latin script); Flashpoint analyses English articles only", source=origin)
    _check_words(text, settings, origin)


def _check_words(text: str, settings: Settings, origin: str) -> None:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text[:20_000])]
    if len(words) < MIN_CHECK_WORDS:
        return
    common = _english_words()
    share = sum(w in common for w in words) / len(words)
    bar = settings.min_english * min(1.0, len(words) / FULL_CHECK_WORDS)
    if share < bar:
        raise LanguageError(f"text does not look like English ({share:.0%} common English words, "
                            f"need {bar:.0%}); Flashpoint analyses English articles only",
                            source=origin)
