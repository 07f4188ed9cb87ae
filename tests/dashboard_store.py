"""A small hand-built store for the report and dashboard tests: articles, events, incidents.

Each article is a list of sentences; an event names its trigger word and its source and target
words, found in the sentence by substring, so every span points at real text. One article is
hostile: its title, URL and text carry <script>, <img onerror=…> and javascript: URLs.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flashpoint.analysis.incidents import rebuild
from flashpoint.ingest.run import load_rules
from flashpoint.records import Actor, ActorRef, Analysis, Article, Certainty, Event, EventDate, Sentence
from flashpoint.store import Store

DAY0 = date(2024, 3, 1)
HOSTILE_TITLE = "<script>alert('title')</script> Armenia <img src=x onerror=alert('img')>"
HOSTILE_TEXT = ("<script>alert('text')</script> Azerbaijani troops shelled Armenia near "
                "<img src=x onerror=alert('img')> Jermuk, see javascript:alert('url').")

COUNTRIES = {"Armenia": ("ARM", None), "Armenian": ("ARM", None), "Azerbaijan": ("AZE", None),
             "Azerbaijani troops": ("AZE", "MIL"), "Russia": ("RUS", None), "Turkey": ("TUR", None),
             "Baku": ("AZE", "GOV"), "Yerevan": ("ARM", "GOV")}
CAMEO = {"ASSAULT": ("195", 4, -10.0), "ACCUSE": ("112", 3, -2.0), "AGREE": ("057", 1, 8.0),
         "AID": ("070", 2, 7.0), "THREATEN": ("138", 3, -7.0)}


def ref(text: str, sentence_start: int, sentence: str, word: str) -> ActorRef:
    start = sentence_start + sentence.index(word)
    country, sector = COUNTRIES[word]
    code = country + (sector or "")
    return ActorRef((start, start + len(word)), code, country, None, sector, code, f"{word} ({code})")


def article(n: int, day: int, sentences: list[tuple[str, list[tuple[str, str, str, str, str]]]], *,
            title: str | None = None, url: str | None = None, outlet: str = "example.org") -> Analysis:
    """sentences: (text, [(type, trigger word, source word, target word, certainty), …])."""
    text = " ".join(s for s, _ in sentences)
    art = Article(text, title=title or f"Article {n}", published=DAY0 + timedelta(days=day), outlet=f"{outlet}{n}",
                  url=url if url is not None else f"https://{outlet}/news/{n}")
    out_sentences, events, at = [], [], 0
    actors: dict[str, int] = {}
    for idx, (sentence, specs) in enumerate(sentences):
        out_sentences.append(Sentence(idx, (at, at + len(sentence)), Certainty()))
        for type_, trigger, src, tgt, certainty in specs:
            t0 = at + sentence.index(trigger)
            cameo, quad, goldstein = CAMEO[type_]
            source = (ref(src, at, sentence, src),) if src else ()
            target = (ref(tgt, at, sentence, tgt),) if tgt else ()
            for r in source + target:
                actors[r.code] = actors.get(r.code, 0) + 1
            day_iso = art.published.isoformat()
            events.append(Event(
                Event.make_id(art.id, idx, (t0, t0 + len(trigger)), type_), idx, (t0, t0 + len(trigger)),
                source, target, type_, None, (), cameo, quad, goldstein,
                EventDate(day_iso, "day", None, "publication"), None,
                Certainty(certainty, ("may",) if certainty == "hedged" else ()), 0.8))
        at += len(sentence) + 1
    return Analysis(art, tuple(out_sentences), tuple(Actor(c, c, c[:3], None, c[3:] or None, m)
                                                     for c, m in actors.items()), tuple(events))


def analyses() -> list[Analysis]:
    out = [
        article(1, 0, [("Azerbaijani troops shelled Armenia on Friday.", [("ASSAULT", "shelled", "Azerbaijani troops", "Armenia", "asserted")]),
                       ("Yerevan accused Baku of aggression.", [("ACCUSE", "accused", "Yerevan", "Baku", "asserted")])]),
        article(2, 0, [("Azerbaijani troops shelled Armenia, officials said.", [("ASSAULT", "shelled", "Azerbaijani troops", "Armenia", "attributed")])]),
        article(3, 2, [("Russia and Turkey agreed to a ceasefire plan.", [("AGREE", "agreed", "Russia", "Turkey", "asserted")]),
                       ("Armenia may threaten Azerbaijan with a response.", [("THREATEN", "threaten", "Armenia", "Azerbaijan", "hedged")])]),
        article(4, 5, [("Russia sent aid to Armenia.", [("AID", "sent", "Russia", "Armenia", "asserted")]),
                       ("Turkey accused Armenia of provocations.", [("ACCUSE", "accused", "Turkey", "Armenia", "asserted")])]),
        article(5, 6, [(HOSTILE_TEXT, [("ASSAULT", "shelled", "Azerbaijani troops", "Armenia", "asserted")])],
                title=HOSTILE_TITLE, url="javascript:alert('link')"),
    ]
    return out


def build_store(path: Path) -> Path:
    """Write the articles and their incidents to a DuckDB file at ``path``."""
    with Store(path) as store:
        store.save_many(analyses())
        rebuild(store, load_rules()[1])
    return path
