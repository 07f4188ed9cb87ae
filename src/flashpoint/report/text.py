"""Rendering analyses for people (a rich terminal summary) and machines (JSON, JSON Lines)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from flashpoint.records import CERTAINTY_LABELS, ActorRef, Analysis, Event

_QUOTE_WIDTH = 110
_LABEL_STYLE = {
    "asserted": "green",
    "attributed": "cyan",
    "hedged": "yellow",
    "hypothetical": "magenta",
    "future": "blue",
    "negated": "red",
}


# Terminal escape sequences (CSI "ESC [ … m", OSC "ESC ] … BEL" that sets the window title, the
# 8-bit CSI 0x9b) and every other C0/C1 control but tab and newline: a title, an author or a
# record id comes from the input and must never move the cursor, clear the screen or retitle
# the window of whoever reads the summary.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|"
                      r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[@-_]?|"
                      r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab, newline kept)."""
    return _ESCAPES.sub("", text)


def _safe(text: str) -> str:
    """Printable and free of rich markup: every string from the input goes through here."""
    return escape(printable(text))


def to_json(analysis: Analysis, *, indent: int | None = 2) -> str:
    return json.dumps(analysis.to_dict(), ensure_ascii=False, indent=indent)


def failure_record(record_id: str | None, reason: str, detail: str) -> dict[str, Any]:
    """The JSON Lines line for an input record that could not be analysed."""
    return {"id": record_id, "article": None, "sentences": [], "actors": [], "events": [],
            "certainty_profile": None, "skipped": [{"reason": reason, "detail": detail}]}


def _actors(refs: Iterable[ActorRef]) -> str:
    codes = [r.code for r in refs]
    return "+".join(dict.fromkeys(codes)) or "?"


def _quote(analysis: Analysis, event: Event) -> str:
    """The event's sentence, cut to a window around the trigger when it is long."""
    start, end = analysis.sentences[event.sentence].span
    text = analysis.article.text
    if end - start > _QUOTE_WIDTH:
        lo = max(start, min(event.trigger[0] - _QUOTE_WIDTH // 3, end - _QUOTE_WIDTH))
        hi = min(end, lo + _QUOTE_WIDTH)
        if lo > start:  # cut at word boundaries
            lo = text.find(" ", lo, event.trigger[0]) + 1 or lo
        if hi < end:
            hi = max(text.rfind(" ", event.trigger[1], hi), event.trigger[1])
        quote = ("…" if lo > start else "") + text[lo:hi].strip() + ("…" if hi < end else "")
    else:
        quote = text[start:end]
    return " ".join(quote.split())


def summary(analysis: Analysis, console: Console, *, model: str | None = None) -> None:
    """Print the human summary: title, date, actors, events and how sure the writer is."""
    a = analysis.article
    console.print(f"[bold]{_safe(a.title or '(untitled)')}[/bold]")
    meta = [
        f"published {a.published.isoformat()} ({a.published_source})" if a.published else "no publication date",
        f"by {a.author}" if a.author else None,
        a.outlet,
        f"{len(analysis.sentences)} sentences",
        f"model {model}" if model else None,
    ]
    console.print(_safe(" · ".join(m for m in meta if m)), style="dim")

    if analysis.actors:
        shown = ", ".join(f"{x.key} {x.name} ×{x.mentions}" for x in analysis.actors[:14])
        more = len(analysis.actors) - 14
        console.print(f"\n[bold]Actors[/bold] ({len(analysis.actors)}): {_safe(shown)}"
                      + (f", … {more} more" if more > 0 else ""))

    console.print(f"\n[bold]Events[/bold] ({len(analysis.events)})")
    undated = False
    for e in analysis.events:
        when = e.date.value or "?"
        if e.date.basis == "publication":
            when += "*"
            undated = True
        style = _LABEL_STYLE.get(e.certainty.label, "")
        console.print(
            f"  {when:<11} · {_safe(_actors(e.source))} → [bold]{e.type}[/bold] → "
            f"{_safe(_actors(e.target))} · [{style}]{e.certainty.label}[/{style}]"
        )
        console.print(Padding(Text(f"“{printable(_quote(analysis, e))}”", style="dim"), (0, 0, 0, 16)))
    if undated:
        console.print("  * no date in the text: the publication date", style="dim")

    counts = {label: 0 for label in CERTAINTY_LABELS}
    for s in analysis.sentences:
        counts[s.certainty.label] += 1
    parts = [f"[{_LABEL_STYLE[k]}]{v} {k}[/{_LABEL_STYLE[k]}]" for k, v in counts.items() if v]
    console.print(f"\n[bold]Certainty[/bold] of {len(analysis.sentences)} sentences: " + ", ".join(parts))
    profile = analysis.certainty_profile
    if profile.top_cues:
        console.print("  top cues: " + _safe(", ".join(f"{c} ×{n}" for c, n in profile.top_cues[:8])))
    if profile.cited:
        console.print("  cited: " + _safe(", ".join(f"{c} ×{n}" for c, n in profile.cited[:6])))
    for s in analysis.skipped:
        console.print(f"  skipped: {_safe(s.reason)}: {_safe(s.detail)}", style="yellow")
