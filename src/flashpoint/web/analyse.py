"""The "analyse an article" endpoint: the pipeline loaded on first use, a bounded concurrency.

spaCy and the actor gazetteer take seconds and hundreds of MB to load, so the dashboard starts
without them and loads them when the first article is analysed. At most ``concurrency``
analyses run at once; a request that cannot get a slot within ``wait_seconds`` is answered 503
rather than queued without end.
"""

from __future__ import annotations

import threading
from typing import Any

from flashpoint.errors import BusyError
from flashpoint.records import Analysis


class Analyser:
    """Analyses pasted text or HTML with one lazily built pipeline."""

    def __init__(self, *, concurrency: int = 1, wait_seconds: float = 30.0) -> None:
        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self._wait = wait_seconds
        self._lock = threading.Lock()
        self._pipeline: Any = None

    @property
    def loaded(self) -> bool:
        return self._pipeline is not None

    def _pipe(self) -> Any:
        with self._lock:
            if self._pipeline is None:
                from flashpoint.pipeline import Pipeline

                self._pipeline = Pipeline()
            return self._pipeline

    def analyse(self, text: str, published: str | None = None) -> Analysis:
        if not self._slots.acquire(timeout=self._wait):
            raise BusyError("every analysis slot is busy; try again in a moment")
        try:
            return self._pipe().analyze(text, published=published or None)
        finally:
            self._slots.release()


def highlighted_spans(analysis: Analysis) -> list[dict[str, Any]]:
    """Where the analysis found actors and events in its article text: each event's trigger,
    source and target spans (an actor named by several events once)."""
    spans: dict[tuple[int, int], dict[str, Any]] = {}
    for event in analysis.events:
        spans.setdefault(tuple(event.trigger), {"start": event.trigger[0], "end": event.trigger[1], "role": "trigger",
                                                "code": f"{event.type} ({event.certainty.label})"})
        for role, refs in (("source", event.source), ("target", event.target)):
            for ref in refs:
                spans.setdefault(tuple(ref.span), {"start": ref.span[0], "end": ref.span[1], "role": role,
                                                   "code": ref.code})
    return sorted(spans.values(), key=lambda s: s["start"])
