"""Stores built by hand for the analysis tests: articles, events, their actors and incidents
inserted row by row, so that every number a test expects can be counted on the fingers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flashpoint.store import Store

DAY0 = date(2024, 3, 4)  # a Monday


def same(a: Any, b: Any) -> bool:
    """Two results of the analysis layer equal, nested lists, tuples and dicts included; floats
    within 1e-9 (sums may add in another order), NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def code_parts(code: str) -> tuple[str | None, str | None, str | None]:
    """AZE → country; AZEMIL → country + sector; anything else of ≠ 3 letters → organisation."""
    if len(code) == 3:
        return code, None, None
    if len(code) == 6 and code[3:] in ("GOV", "MIL", "OPP", "REB", "CVL", "BUS", "MED"):
        return code[:3], None, code[3:]
    return None, code, None


@dataclass
class HandStore:
    """Collects rows, then writes them into a store in one go (:meth:`write`)."""

    articles: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    actors: list[tuple[Any, ...]] = field(default_factory=list)
    links: list[tuple[str, str, str, int]] = field(default_factory=list)
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)
    _positions: dict[str, int] = field(default_factory=dict)

    def article(self, aid: str, published: date | None = None, duplicate_of: str | None = None,
                outlet: str | None = None) -> str:
        if aid not in self._positions:
            self._positions[aid] = 0
            self.articles.append((aid, aid, None, None, published, None, outlet, None, "en", "", datetime(2024, 1, 1),
                                  "test", duplicate_of))
        return aid

    def event(self, aid: str, day: int | date | None, src: str, tgt: str, *, type_: str = "ASSAULT", quad: int = 4,
              goldstein: float = -10.0, certainty: str = "asserted", incident: str | None = None,
              end: int | date | None = None, confidence: float = 0.9) -> tuple[str, int]:
        """One event of article ``aid`` (created when new) on ``DAY0 + day``; sources and targets
        are space-separated codes; ``incident`` links it to that incident id."""
        if aid not in self._positions:
            self.article(aid, published=_day(day))
        pos = self._positions[aid]
        self._positions[aid] = pos + 1
        eid = f"{aid}-e{pos}"
        start = _day(day)
        stop = _day(end) if end is not None else start
        self.events.append(dict(id=eid, article_id=aid, position=pos, type=type_, quad_class=quad,
                                goldstein=goldstein, date_start=start, date_end=stop, certainty=certainty,
                                confidence=confidence))
        for role, codes in (("source", src), ("target", tgt)):
            for j, code in enumerate(codes.split()):
                country, org, sector = code_parts(code)
                self.actors.append((eid, aid, pos, role, j, 0, 1, code.lower(), country, org, sector, code, code))
        if incident is not None:
            self.links.append((incident, eid, aid, pos))
            inc = self.incidents.setdefault(incident, dict(type=type_, quad=quad, codes=([], []), days=[]))
            inc["codes"][0].extend(src.split())
            inc["codes"][1].extend(tgt.split())
            if start:
                inc["days"].append(start)
        return aid, pos

    def write(self, store: Store) -> Store:
        store.insert_rows("articles", ("id", "record_id", "title", "author", "published", "published_source",
                                       "outlet", "url", "language", "text", "analysed_at", "flashpoint_version",
                                       "duplicate_of"), self.articles)
        cols = ("id", "article_id", "position", "sentence", "trigger_start", "trigger_end", "type", "context",
                "cameo", "cameo_root", "quad_class", "goldstein", "date_value", "date_granularity", "date_start",
                "date_end", "date_basis", "certainty", "cues", "confidence")
        store.insert_rows("events", cols, [
            (e["id"], e["article_id"], e["position"], 0, 0, 1, e["type"], [], "190", "19", e["quad_class"],
             e["goldstein"], str(e["date_start"]) if e["date_start"] else None, "day", e["date_start"],
             e["date_end"], "text", e["certainty"], [], e["confidence"]) for e in self.events])
        store.insert_rows("event_actors", ("event_id", "article_id", "event_position", "role", "position", "start",
                                           "end", "key", "country", "org", "sector", "code", "name"), self.actors)
        store.insert_rows("incident_events", ("incident_id", "event_id", "article_id", "event_position"), self.links)
        rows = []
        for iid, inc in self.incidents.items():
            days = inc["days"]
            n = sum(1 for link in self.links if link[0] == iid)
            rows.append((iid, inc["type"], inc["quad"], min(days, default=None), max(days, default=None),
                         inc["codes"][0], inc["codes"][1], n, n, n, [], "asserted", 0.9))
        store.insert_rows("incidents", ("id", "type", "quad_class", "first_date", "last_date", "source_codes",
                                        "target_codes", "events", "source_count", "reports", "sources",
                                        "certainty", "confidence"), rows)
        return store


def _day(day: int | date | None) -> date | None:
    if day is None or isinstance(day, date):
        return day
    return DAY0 + timedelta(days=day)
