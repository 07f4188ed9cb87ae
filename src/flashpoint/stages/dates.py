"""Time expressions: find them in article text, resolve them, and date events.

:func:`find_times` scans a text once with one combined regular expression built from the
word lists in ``data/dates.toml`` and resolves every match against the publication date P
to a :class:`TimeExpression`, whose ``value`` is an ISO date cut to its granularity: day
``2022-09-13``, month ``2022-09`` or year ``2022``. :func:`tag_times` is the pipeline stage;
:func:`event_date` picks the date of one event from its own sentence (the event-dates stage,
:mod:`flashpoint.stages.event_dates`, decides for the events it leaves undated).

Resolution (expressions relative to P are skipped when P is unknown):

* Weekdays: "Tuesday", "on Tuesday" → the latest Tuesday on or before P (news reports what
  has happened); "last Tuesday" → strictly before P; "next Tuesday", "this coming Tuesday"
  → strictly after P. A plain weekday looks forward (on or after P) when a future cue from
  ``dates.toml`` ("will", "scheduled", ...) stands shortly before it in the same clause.
  "this Tuesday" counts as plain; "Wednesday morning" resolves like "Wednesday".
* "today", "tonight", "this morning" → P; "yesterday", "last night" → P − 1; "tomorrow" →
  P + 1; "overnight" → P − 1: wire copy is mostly filed in the morning about the night
  before, whose events fall on the previous calendar day.
* Weeks have no granularity in the contract: "last week", "this week", "earlier this week",
  "next week" and "N weeks ago" give the *month* of the day that many weeks from P ("last
  week" → the month of P − 7 days, as the annotation guide reads it) — coarse but true,
  where a day would be false precision.
* Weekends: "last weekend", "over the weekend" → the last Saturday before P (a weekend is two
  days; its Saturday stands for it), granularity day; "this weekend" → the Saturday of P's
  weekend, or of the coming one on a weekday; "next weekend" → the first Saturday after P.
* "last/this/next month" → month; "last/this/next year", "earlier this year" → year.
* "N days ago" → day; "N months ago", "half a year ago" → month; "N years ago" → year.
* Seasons → the year the season starts in, granularity year: "summer 2021" → 2021; "next
  summer" → the one after the latest to have begun; "last summer" → the latest to have
  ended; "this summer" → the current one, else the one starting in P's year.
* Months: "in July" → the latest July on or before P's month (the next one after a future
  cue); "last July" → strictly before; "next July" → strictly after; "July 2021" → 2021-07;
  "March of this year" → P's year, "of last year" → the one before.
  A bare month needs a cue word ("in", "since", "the", ...) or a possessive ("July's").
* Dates: "September 13, 2022", "13 September 2022", "2022-09-13" → day. Without a year
  ("Sept. 13"): the latest such day on or before P, unless the next one is at most 60 days
  ahead or a future cue precedes it (then that next one, or P itself). Slashed dates only
  when unambiguous (one of day and month above 12).
* A day or month without a year ("on November 21", "until July") takes the year of a story
  told in a past or coming year: that of a date with a year shortly before it in the same
  paragraph ("on November 15, 2017"), or of any year earlier in its sentence ("In the 2016
  campaign … until July").
* The time named before, told again (within about four sentences; a time after P only when
  the expression itself looks forward): "the same day", "that night", "later that month" →
  that day or month; nothing when it is coarser than the unit ("that day" after "in 2014").
  Shifts from it ("the next day", "three days later") are left out: their anchor is as often
  another event's ("revealed just nine days earlier", after a date of the story), and years
  ("that year") tell background.
* Years: 1900–2099 and only after a cue word ("in 2014", "since 2008", "the 2020 war"),
  with early/mid/late ("mid-2014"), as a possessive ("2020's"), after a month, or continuing
  a range ("between 2008 and 2014"); never before a count noun ("in 2000 cases").

Spans are offsets into the whole text. They include "on" before a day ("on Tuesday", as the
JSON contract shows it), modifiers ("last", "early") and a possessive "'s", but not other
prepositions ("in", "since"), which relate an event to a date rather than name the date.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from flashpoint.errors import DataFileError
from flashpoint.records import EventDate, Span, TimeExpression
from flashpoint.resources import data_file

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from flashpoint.draft import Draft

__all__ = ["background_cue", "event_date", "find_times", "tag_times"]

DATA_FILE = data_file("dates", "dates.toml")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    months: dict[str, int]
    abbreviations: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, int]
    numbers: dict[str, float]
    approximations: tuple[str, ...]
    cues: tuple[str, ...]
    not_after_year: tuple[str, ...]
    future: tuple[str, ...]
    background: tuple[str, ...]


def _load_lexicon(path: Path = DATA_FILE) -> _Lexicon:
    """Read and validate the word lists; a bad entry raises :class:`DataFileError`."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"cannot read {path}: {exc}") from exc

    def table(name: str, low: float, high: float, complete: bool = False) -> dict[str, float]:
        entries = raw.get(name)
        if not isinstance(entries, dict) or not entries:
            raise DataFileError(f"{path}: table [{name}] is missing or empty")
        for key, value in entries.items():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or not low <= value <= high:
                raise DataFileError(f"{path}: [{name}] {key!r} = {value!r} is not in {low}..{high}")
        if complete and set(entries.values()) != set(range(int(low), int(high) + 1)):
            raise DataFileError(f"{path}: [{name}] must name every value {low}..{high}")
        return dict(entries)

    def ints(name: str, low: int, high: int, complete: bool = False) -> dict[str, int]:
        return {key: int(value) for key, value in table(name, low, high, complete).items()}

    def words(name: str) -> tuple[str, ...]:
        entries = raw.get("words")
        entries = entries.get(name) if isinstance(entries, dict) else None
        if not isinstance(entries, list) or not entries:
            raise DataFileError(f"{path}: [words] {name} is missing or empty")
        if not all(isinstance(w, str) and w.strip() for w in entries):
            raise DataFileError(f"{path}: [words] {name} must hold non-empty strings")
        return tuple(entries)

    return _Lexicon(
        months=ints("months", 1, 12, complete=True),
        abbreviations=ints("month_abbreviations", 1, 12),
        weekdays=ints("weekdays", 0, 6, complete=True),
        seasons={_words(k): v for k, v in ints("seasons", 1, 12).items()},
        numbers={_words(k): v for k, v in table("numbers", 0.5, 100).items()},
        approximations=words("approximations"),
        cues=words("cues"),
        not_after_year=words("not_after_year"),
        future=words("future"),
        background=words("background"),
    )


def _words(phrase: str) -> str:
    """A phrase lower-cased with single spaces, as the word lists are keyed."""
    return " ".join(phrase.lower().split())


def _alt(phrases: Iterable[str]) -> str:
    """An alternation of phrases, longest first, any whitespace between a phrase's words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


def _pieces(lex: _Lexicon) -> list[tuple[str, str, str, str]]:
    """(kind, prefix, body, suffix) of each expression, most specific first.

    The span of a match is its body; the prefix (a cue word) and the suffix (a lookahead)
    decide whether it counts. Where two kinds match at the same offset the earlier wins.
    """
    month = _alt(lex.months)
    no_may = _alt(m for m in lex.months if m != "May")  # "Theresa May's", "the May government"
    mon_any = rf"(?P<m>(?:{month})\b|(?:{_alt(lex.abbreviations)})(?:\.|\b))"
    mon = rf"(?P<m>{month})\b"
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
    year = (
        r"(?P<y>(?:19|20)\d\d)\b(?![-/.]\d\d[-/.]\d|[.,]\d)"
        rf"(?!\s*%|\s+(?i:{_alt(lex.not_after_year)})\b)"
    )
    on = r"(?:(?i:on)\s+)?"
    edge = r"(?i:early|mid|late)(?:-|\s+)"
    # A bare month must not be followed by a day or a year: those make it a date of another kind.
    any_year = year.replace("(?P<y>", "(?:")
    undated = rf"(?!\.?\s+[0-3]?\d(?:st|nd|rd|th)?\b|\.?,?\s+(?:(?i:of)\s+)?{any_year})"
    cue = rf"\b(?i:{_alt(lex.cues)})\s+"
    season = rf"(?P<s>{_alt(lex.seasons)})"
    directions = r"earlier\s+this|later\s+this|this\s+past|this\s+coming|last|this|next"
    part = "morning|afternoon|evening|night"
    # No years: "that year" tells background (a career, a century of defeats), and where such
    # a sentence is the first to report an event the publication date or the story's day is
    # the better guess (Giveme5W1H lead events: day 0.696 → 0.679 with years, docs/benchmarks.md).
    anchored = f"day|{part}|week|month"
    return [
        ("iso", "", rf"\b{on}(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d)(?![\d-])", ""),
        ("slash", "", rf"\b{on}(?P<a>\d\d?)/(?P<b>\d\d?)/(?P<y>(?:19|20)\d\d)(?![\d/])", ""),
        ("mdy", "", rf"\b{on}{mon_any}\s+{day}(?:,?\s+{year})?", ""),
        ("dmy", "", rf"\b{on}(?:(?i:the)\s+)?{day}\s+(?:(?i:of)\s+)?{mon_any}(?:,?\s+{year})?", ""),
        ("my", "", rf"\b(?:{edge})?{mon_any},?\s+(?:(?i:of)\s+)?{year}", ""),
        ("sy", r"(?:\b(?i:the)\s+)?", rf"\b(?i:{season})\s+(?:(?i:of)\s+)?{year}", ""),
        ("wd", "", rf"\b(?:(?P<dir>(?i:{directions}|on|past|coming))\s+)?(?:(?i:early|late)\s+)?"
                   rf"(?P<w>{_alt(lex.weekdays)})\b(?:\s+(?i:{part}))?", ""),
        ("rday", "", r"\b(?i:(?P<r>the\s+day\s+before\s+yesterday|yesterday|today|tonight"
                     r"|tomorrow|overnight|last\s+night|this\s+(?:morning|afternoon|evening))"
                     rf"(?:\s+(?:{part}))?)\b", ""),
        # "in the last year" is a trailing twelve months, not last year: hence the lookbehind.
        ("rper", r"(?<!(?i:the)\s)", r"\b(?i:(?P<dir>(?:earlier|later)\s+in\s+the|so\s+far\s+this"
                                     rf"|(?:over|at|during)\s+the|{directions})"
                                     r"\s+(?P<u>week|weekend|month|year))\b", ""),
        # The time named just before, told again (:func:`_anchored`): "the same day", "that
        # night", "later that month".
        ("asame", "", rf"\b(?i:(?:on\s+)?(?:(?:later|earlier)\s+)?(?:that(?:\s+same)?|the\s+same)"
                      rf"\s+(?P<u>{anchored}))(?![-\w])", ""),
        ("ago", "", rf"\b(?i:(?:(?P<apx>{_alt(lex.approximations)})\s+)?"
                    rf"(?P<q>\d+|{_alt(lex.numbers)})"
                    r"(?P<h1>\s+and\s+a\s+half)?\s+(?P<u>day|week|month|year|decade)s?"
                    r"(?P<h2>\s+and\s+a\s+half)?\s+ago)\b", ""),
        ("sea", "", rf"\b(?i:(?P<dir>{directions})\s+{season})\b", ""),
        # (its optional cue lets it start where "mo" would: "in March of this year")
        ("moy", rf"(?:{cue})?", rf"\b(?:{edge})?{mon}\s+(?i:of)\s+(?P<dir>(?i:this|last|next))\s+(?i:year)\b", ""),
        ("mo", cue, rf"(?:{edge})?{mon}{undated}", ""),
        ("mom", "", rf"\b(?P<dir>(?i:last|next|this|early|mid|late)(?:-|\s+)){mon}{undated}", ""),
        ("mop", "", rf"\b(?P<m>{no_may})", r"(?=['’]s\b)"),
        ("yrm", "", rf"\b{edge}{year}", ""),
        ("yr", cue, year, ""),
        ("yrp", r"(?<![\w$€£#./,-])", year, r"(?=['’]s\b)"),
        ("cont", r"(?:\b(?i:and|or|to|through)\s+|\s*[-–]\s*|,\s*)",
                 f"(?:{mon}{undated}|{year})", ""),
    ]


def _compile(lex: _Lexicon) -> re.Pattern[str]:
    """One pattern for all kinds: group ``kind`` holds the span, ``kind_x`` its parts."""
    alternatives = []
    for kind, prefix, body, suffix in _pieces(lex):
        named = re.sub(r"\(\?P<(\w+)>", rf"(?P<{kind}_\1>", body)
        alternatives.append(f"{prefix}(?P<{kind}>{named}){suffix}")
    # Every expression starts at a word start or, continuing a range, at "," "-" "–": failing
    # that guard once spares trying each alternative inside words (twice as fast).
    return re.compile(r"(?:(?<!\w)|(?=[,\-–]))(?:" + "|".join(alternatives) + ")")


_LEX = _load_lexicon()
_SCANNER = _compile(_LEX)
_FUTURE = re.compile(rf"(?<!\w)(?i:{_alt(_LEX.future)})\b")
_BACKGROUND = re.compile(rf"(?<!\w)(?i:{_alt(_LEX.background)})(?:\b|(?<=-))")
_POSSESSIVE = re.compile(r"['’]s\b")
_JOIN = re.compile(r",?\s*")
_DAY_KINDS = frozenset({"iso", "slash", "mdy", "dmy"})
_DAY_SHIFTS = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "last night": -1,
    "overnight": -1,  # see the module docstring
    "tomorrow": 1,
}
# How far back a future cue may stand: about ten words, within the clause.
_FUTURE_WINDOW = 60
# A day-month date without a year up to this many days after publication is read as coming
# ("the Oct. 1 deadline"); farther ahead it is read as past, as most news reports the past.
_AHEAD_DAYS = 60

# How far back a year named in the text sets the year of a bare day or month (about three
# sentences): see _in_year_of.
_ANCHOR_CHARS = 400
_EDGES = ("early", "mid", "late")
# Expressions read against the time named just before them, not against P (_anchored); the
# anchor must stand within _RELATIVE_CHARS (about four sentences) before them: further back,
# "the same day" is as likely the day of a story the text has not dated.
_RELATIVE_CHARS = 800
_ANCHORED = frozenset({"asame"})
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s")

Resolved = tuple[str, str]  # (value, granularity)


def find_times(
    text: str, published: date | None, *, start: int = 0, end: int | None = None
) -> tuple[TimeExpression, ...]:
    """Time expressions in ``text[start:end]`` resolved against ``published``.

    Spans are offsets into ``text`` itself. Expressions that need the publication date
    (weekdays, "yesterday", "last month", "in July") are left out when it is ``None``.
    """
    end = len(text) if end is None else end
    found: list[TimeExpression] = []
    last_kind = ""
    anchor: tuple[int, int, bool] | None = None  # the last year named: where, in a date?
    pos = start
    while (match := _SCANNER.search(text, pos, end)) is not None:
        kind = match.lastgroup or ""
        s, e = match.span(kind)
        pos = e
        previous = found[-1] if found else None
        if kind == "cont" and (previous is None or text[previous.span[1] : match.start()].strip()):
            pos = s  # "and 2014" only continues an expression just before; rescan "2014's"
            continue
        prefix = kind + "_"
        groups = {
            k[len(prefix) :]: v for k, v in match.groupdict().items() if v and k.startswith(prefix)
        }
        if kind in _ANCHORED:
            told_against = _anchor(found, s, published, _looks_forward(text, s))
            resolved = None if told_against is None else _anchored(groups, told_against)
        else:
            resolved = _resolve(kind, groups, text, match, published, previous)
        if resolved is None:
            continue
        if "y" in groups and kind not in ("cont", "yrp"):
            anchor = (int(groups["y"]), e, resolved[1] != "year")
        elif anchor is not None and _in_year_of(kind, groups, published, anchor, text, s):
            resolved = _in_year(resolved, anchor[0])
        if _POSSESSIVE.match(text, e, end):
            e += 2
        if kind in _DAY_KINDS and last_kind == "wd" and previous is not None:
            if _JOIN.fullmatch(text, previous.span[1], s):  # "on Tuesday, Sept. 13": one date
                s = found.pop().span[0]
        found.append(TimeExpression((s, e), *resolved))
        last_kind = kind
    return tuple(found)


def _in_year_of(kind: str, g: dict[str, str], p: date | None, anchor: tuple[int, int, bool],
                text: str, at: int) -> bool:
    """Whether a day or month named without a year ("on November 21", "until July") belongs
    to the year the text named just before: a story told in a past year stays in it. That
    year must be the publication's (which the resolution already assumes) and come in a date
    of the same paragraph ("on November 15, 2017. … on November 21") or in the same sentence
    ("In the 2016 election, … until July"); a bare year in an earlier sentence is as often a
    name ("the Voting Rights Act of 1965. In late June, …")."""
    year, end, in_date = anchor
    bare = kind in ("mdy", "dmy", "mo", "mop") or (kind == "mom" and "dir" in g and
                                                   _words(g["dir"]).rstrip("-") in _EDGES)
    if not bare or p is None or year == p.year or at - end > _ANCHOR_CHARS:
        return False
    between = text[end:at]
    return "\n\n" not in between and (in_date or _SENTENCE_END.search(between) is None)


def _in_year(resolved: Resolved, year: int) -> Resolved:
    value, granularity = resolved
    if granularity == "month":
        return _month(year, int(value[5:7]))
    return _day_of(year, int(value[5:7]), int(value[8:10])) or resolved


def background_cue(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a word of ``dates.toml``'s background list."""
    return _BACKGROUND.search(text, start, end) is not None


def tag_times(draft: Draft) -> Draft:
    """Pipeline stage: attach the article's time expressions to the draft."""
    return replace(draft, times=find_times(draft.article.text, draft.article.published))


def _resolve(
    kind: str,
    g: dict[str, str],
    text: str,
    match: re.Match[str],
    p: date | None,
    previous: TimeExpression | None,
) -> Resolved | None:
    if kind in ("yr", "yrm", "yrp", "my", "sy") or (kind == "cont" and "y" in g):
        if kind == "my":
            return _month(int(g["y"]), _month_number(g["m"]))
        return _year(int(g["y"]))
    if kind == "iso":
        return _day_of(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "slash":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        if a > 12 >= b:
            return _day_of(y, b, a)
        if b > 12 >= a:
            return _day_of(y, a, b)
        return None  # 03/04/2022: April or March? Not guessed.
    if kind in ("mdy", "dmy"):
        month, day = _month_number(g["m"]), int(g["d"])
        if "y" in g:
            return _day_of(int(g["y"]), month, day)
        if p is None:
            return None
        return _nearest_day(p, month, day, _looks_forward(text, match.start(kind)))
    if p is None:
        return None
    if kind == "wd":
        direction = _words(g.get("dir", ""))
        forward = direction in ("", "on", "this") and _looks_forward(text, match.start(kind))
        return _weekday(p, _LEX.weekdays[g["w"]], direction, forward)
    if kind == "rday":
        return _day(p + timedelta(days=_DAY_SHIFTS.get(_words(g["r"]), 0)))
    if kind == "rper":
        return _period(p, _words(g["dir"]), g["u"].lower())
    if kind == "ago":
        return _ago(p, g)
    if kind == "sea":
        return _season(p, _LEX.seasons[g["s"].lower()], _words(g["dir"]))
    month = _month_number(g["m"])
    if kind == "moy":  # "in March of this year", "May of last year"
        return _month(p.year + {"last": -1, "next": 1}.get(g["dir"].lower(), 0), month)
    cue = _words(text[match.start() : match.start(kind)])
    if kind == "mo" and g["m"] == "May" and cue == "the":
        return None  # "the May government"
    if kind == "cont" and previous is not None and previous.granularity in ("month", "day"):
        y, m = int(previous.value[:4]), int(previous.value[5:7])
        return _month(y if month >= m else y + 1, month)  # "from November 2020 to March"
    direction = _words(g.get("dir", "")).rstrip("-")
    if direction == "last":
        return _month(p.year if month < p.month else p.year - 1, month)
    if direction == "next":
        return _month(p.year if month > p.month else p.year + 1, month)
    if direction == "this":
        return _month(p.year, month)
    if _looks_forward(text, match.start(kind)):
        return _month(p.year if month >= p.month else p.year + 1, month)
    return _month(p.year if month <= p.month else p.year - 1, month)


def _anchor(found: list[TimeExpression], at: int, p: date | None, forward: bool) -> TimeExpression | None:
    """The time an anchored expression at ``at`` is told against: the last one named within
    _RELATIVE_CHARS before it — skipping times after P unless the expression itself looks
    forward ("remains in custody until April 5. The second attack was on the same day")."""
    for t in reversed(found):
        if at - t.span[1] > _RELATIVE_CHARS:
            return None
        if forward or p is None or t.value[: 10] <= p.isoformat()[: len(t.value)]:
            return t
    return None


def _anchored(g: dict[str, str], anchor: TimeExpression) -> Resolved | None:
    """The ``anchor`` named before, told again ("the same day", "later that month"): its day
    or month; None when the anchor is coarser than the unit ("that day" after "in 2014")."""
    unit = g["u"].lower()
    if anchor.granularity == "year" or (anchor.granularity == "month" and unit not in ("week", "month")):
        return None
    if unit in ("week", "month"):  # weeks have no granularity: the month, as for "last week"
        return _month(int(anchor.value[:4]), int(anchor.value[5:7]))
    return anchor.value, anchor.granularity


def _weekday(p: date, weekday: int, direction: str, forward: bool) -> Resolved:
    if direction in ("next", "this coming", "coming"):
        return _day(p + timedelta(days=(weekday - p.weekday() - 1) % 7 + 1))
    if direction in ("last", "this past", "past"):
        return _day(p - timedelta(days=(p.weekday() - weekday - 1) % 7 + 1))
    if forward:
        return _day(p + timedelta(days=(weekday - p.weekday()) % 7))
    return _day(p - timedelta(days=(p.weekday() - weekday) % 7))


def _period(p: date, direction: str, unit: str) -> Resolved | None:
    direction = "next" if direction == "this coming" else direction
    if unit == "weekend":
        if direction == "next":
            return _weekday(p, 5, "next", False)
        if direction in ("this", "earlier this", "later this", "so far this"):
            if p.weekday() >= 5:
                return _day(p - timedelta(days=p.weekday() - 5))
            return _weekday(p, 5, "", True)
        return _weekday(p, 5, "last", False)  # last, this past, over/at/during the
    if direction in ("over the", "at the", "during the"):
        return None
    shift = {"last": -1, "this past": -1, "next": 1}.get(direction, 0)
    if unit == "week":
        # The annotation guide's reading: the month of the day a week from P ("last week" →
        # the month of P − 7 days), not of that week's Monday, which a Friday-to-Sunday
        # story's Monday can push into the previous month.
        day = p + timedelta(weeks=shift)
        return _month(day.year, day.month)
    if unit == "month":
        return _month(*_add_months(p.year, p.month, shift))
    return _year(p.year + shift)


def _ago(p: date, g: dict[str, str]) -> Resolved:
    quantity = g["q"].lower()
    n = float(quantity) if quantity.isdigit() else _LEX.numbers[_words(quantity)]
    n += 0.5 if ("h1" in g or "h2" in g) else 0.0
    unit = g["u"].lower()
    if unit == "day":
        return _day(p - timedelta(days=round(n)))
    if unit == "week":
        back = p - timedelta(days=round(n * 7))
        return _month(back.year, back.month)
    if unit == "month" or (unit == "year" and not n.is_integer()):
        return _month(*_add_months(p.year, p.month, -round(n * (12 if unit == "year" else 1))))
    return _year(p.year - round(n * (10 if unit == "decade" else 1)))


def _season(p: date, first_month: int, direction: str) -> Resolved:
    current = p.year if p.month >= first_month else p.year - 1  # latest start on or before P
    within = (p.year - current) * 12 + p.month - first_month < 3
    if direction in ("next", "this coming"):
        return _year(current + 1)
    if direction in ("last", "this past"):
        return _year(current - 1 if within else current)
    return _year(current if within else p.year)


def _nearest_day(p: date, month: int, day: int, forward: bool) -> Resolved | None:
    candidates = []
    for year in (p.year - 1, p.year, p.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    ahead = min((d for d in candidates if d > p), default=None)
    behind = max((d for d in candidates if d <= p), default=None)
    if forward and behind == p:
        return _day(p)
    if ahead is not None and (forward or behind is None or (ahead - p).days <= _AHEAD_DAYS):
        return _day(ahead)
    return None if behind is None else _day(behind)


def _looks_forward(text: str, at: int) -> bool:
    window = text[max(0, at - _FUTURE_WINDOW) : at]
    clause = re.split(r"[.!?;\n]", window)[-1]
    return _FUTURE.search(clause) is not None


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    return _LEX.months.get(name) or _LEX.abbreviations[name]


def _add_months(year: int, month: int, shift: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 + shift, 12)
    return y, m + 1


def _day(d: date) -> Resolved:
    return d.isoformat(), "day"


def _day_of(year: int, month: int, day: int) -> Resolved | None:
    try:
        return _day(date(year, month, day))
    except ValueError:
        return None  # 2022-02-30 and friends


def _month(year: int, month: int) -> Resolved:
    return f"{year:04d}-{month:02d}", "month"


def _year(year: int) -> Resolved:
    return f"{year:04d}", "year"


# -- dating events ---------------------------------------------------------------------------

# Dependency labels of a word that pre-modifies a noun: "November 2020's ceasefire", "the June
# 2021 agreement". Such a date names the noun, not the event the trigger reports.
_PREMODIFIER = frozenset({"poss", "compound", "nmod", "amod", "nummod"})
_NOMINAL = frozenset({"NOUN", "PROPN"})
# Ranks of a time expression for an event, best first (:func:`_rank`): attached to the trigger
# through verbs and prepositions only ("shelled ... on Tuesday"); through a noun ("the attack
# on Tuesday"); not governed by the trigger (allowed when it modifies a clause holding the
# trigger: "On Monday, Fars reported Iran issued warrants"); inside a clause under the trigger
# that has its own verb ("agreed after Turkey began an offensive on Wednesday": that clause's
# own event; still better than nothing: "When announcing the shutdown on Monday, he called
# on …"). Never: pre-modifying another noun ("November 2020's ceasefire"), or ending a period
# ("delayed the election until June": June is when the delay ends).
_GOVERNED, _THROUGH_NOUN, _UNGOVERNED, _SUBCLAUSE, _OTHER_NOUN, _PERIOD_END = range(6)
# Clauses with a verb of their own: adverbial, relative, clausal modifiers and complements; a
# relative or modifying clause of the trigger noun itself describes it ("the martial law
# imposed in 1972") and does not count.
_CLAUSES = frozenset({"advcl", "relcl", "acl", "ccomp", "csubj"})
_UNTIL = frozenset({"until", "till"})
# Tokens between a possessive date and its noun: "last week's deadly cross-border shelling".
_POSSESSED_WINDOW = 6


def event_date(
    times: tuple[TimeExpression, ...],
    sentence_span: Span,
    trigger_span: Span,
    published: date | None,
    doc: Doc | None = None,
) -> EventDate:
    """The event's date: the best time expression of its sentence, else the publication date.

    With a parsed ``doc`` the expressions rank, best first: attached to the trigger through
    verbs and prepositions only ("shelled ... on Tuesday"); attached through a noun after it
    ("the attack on Tuesday"); not governed by the trigger; pre-modifying another noun
    ("November 2020's ceasefire"). Ties, and every case without a doc, go to the expression
    nearest the trigger.
    """
    first, last = sentence_span
    inside = [t for t in times if first <= t.span[0] and t.span[1] <= last]
    if not inside:
        return _publication(published)
    trigger_tokens = _tokens(doc, trigger_span) if doc is not None else None
    trigger = None if trigger_tokens is None else trigger_tokens.root

    def key(t: TimeExpression) -> tuple[int, int, int]:
        rank = _rank(doc, t.span, trigger) if doc is not None and trigger is not None else 0
        gap = max(0, t.span[0] - trigger_span[1], trigger_span[0] - t.span[1])
        return rank, gap, t.span[0]

    if trigger is not None:
        # An expression in another clause ("Russia, which brokered the November 2020
        # ceasefire, urged …") or describing another noun does not date this event.
        inside = [t for t in inside if _may_date(doc, t.span, trigger)]
        if not inside:
            return _publication(published)
    best = min(inside, key=key)
    return EventDate(best.value, best.granularity, best.span, "text")


def _publication(published: date | None) -> EventDate:
    if published is None:
        return EventDate(None, None, None, "publication")
    return EventDate(published.isoformat(), "day", None, "publication")


def _may_date(doc: Doc, span: Span, trigger: Token) -> bool:
    rank = _rank(doc, span, trigger)
    if rank in (_GOVERNED, _THROUGH_NOUN, _SUBCLAUSE):
        return True
    if rank in (_OTHER_NOUN, _PERIOD_END):
        return False
    chars = _tokens(doc, span)
    if chars is None:
        return True
    verb = next((a for a in chars.root.ancestors if a.pos_ in ("VERB", "AUX")), None)
    # ungoverned: allowed only when it modifies a clause that contains the trigger
    return verb is None or verb.i == trigger.i or verb in trigger.ancestors


def _tokens(doc: Doc, span: Span) -> SpacySpan | None:
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    return None if chars is None or len(chars) == 0 else chars


def _rank(doc: Doc, span: Span, trigger: Token) -> int:
    """How a time expression relates to the trigger: one of the ``_GOVERNED`` … ``_PERIOD_END``
    ranks, best first."""
    chars = _tokens(doc, span)
    if chars is None:
        return _UNGOVERNED
    if chars.text.endswith(("'s", "’s")):  # (Doc.text would rebuild the whole text)
        # A possessive date determines a noun just after it, whatever the parse says (the
        # parser often misreads "November 2020's ceasefire"): the trigger's if it is that noun.
        owned = chars.end <= trigger.i < chars.end + _POSSESSED_WINDOW and trigger.pos_ in _NOMINAL
        return _GOVERNED if owned else _OTHER_NOUN
    root = chars.root
    head = root.head
    premodifier = root.dep_ in _PREMODIFIER and root.i < head.i and head.pos_ in _NOMINAL
    if premodifier and head.i != trigger.i:
        return _OTHER_NOUN
    through_noun = subclause = False
    node = root
    while node.head.i != node.i:
        if node.head.lower_ in _UNTIL and not _negated(node.head.head):
            return _PERIOD_END  # (but "did not endorse her until July": July is when she did)
        describes_trigger = node.head.i == trigger.i and node.dep_ in ("acl", "relcl")
        if node.pos_ == "VERB" and node.dep_ in _CLAUSES and not describes_trigger:
            subclause = True
        node = node.head
        if node.i == trigger.i:
            return _SUBCLAUSE if subclause else _THROUGH_NOUN if through_noun else _GOVERNED
        through_noun = through_noun or node.pos_ in _NOMINAL
    return _UNGOVERNED


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)
