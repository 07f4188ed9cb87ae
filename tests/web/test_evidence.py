"""The incidents' quotes (``overview.evidence``) read each table through constant lists: the same
rows, in the same order, as the single join the dashboard used before."""

from __future__ import annotations

from collections import defaultdict

from flashpoint.analysis import overview
from flashpoint.store import Store

_BEFORE = """
SELECT ie.incident_id, e.article_id, e.position, e.id, e.confidence, s.start, s."end",
       substr(a.text, s.start + 1, s."end" - s.start) AS quote, a.title
FROM incident_events ie
JOIN events e ON e.article_id = ie.article_id AND e.position = ie.event_position
JOIN articles a ON a.id = e.article_id
JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
WHERE ie.incident_id IN (SELECT unnest($ids::VARCHAR[]))
ORDER BY ie.incident_id, e.confidence DESC, a.published NULLS LAST, e.article_id, e.position"""

_ACTORS = ('SELECT x.article_id, x.event_position, x.role, x.start, x."end", x.code, x.name '
           "FROM event_actors x JOIN (SELECT unnest($a::VARCHAR[]) AS a, unnest($p::INTEGER[]) AS p) k "
           "ON k.a = x.article_id AND k.p = x.event_position ORDER BY x.role DESC, x.position")


def test_the_quotes_are_those_of_the_single_join(web_db):
    with Store(web_db, read_only=True) as store:
        ids = [r[0] for r in store.fetchall("SELECT id FROM incidents ORDER BY source_count DESC, id")]
        assert len(ids) > 3
        for some in (ids[:1], ids[:10], ids, ids[3:] + ["no such incident"]):
            got = overview.evidence(store, some)
            rows = store.fetchall(_BEFORE, {"ids": some})
            want: dict[str, list] = defaultdict(list)
            for iid, aid, pos, eid, confidence, _, _, quote, title in rows:
                want[iid].append((eid, aid, pos, confidence, quote, title))
            assert {k: [(e["event_id"], e["article_id"], e["position"], e["confidence"], e["quote"], e["title"])
                        for e in v] for k, v in got.items()} == dict(want)
            actors: dict[tuple, list] = defaultdict(list)
            for aid, pos, role, start, end, code, name in store.fetchall(
                    _ACTORS, {"a": [r[1] for r in rows], "p": [r[2] for r in rows]}):
                actors[(aid, pos)].append({"role": role, "span": [start, end], "code": code, "name": name})
            assert all(e["actors"] == actors[(e["article_id"], e["position"])] for v in got.values() for e in v)
            assert any(e["actors"] for v in got.values() for e in v)
        assert overview.evidence(store, ["no such incident"]) == {}
