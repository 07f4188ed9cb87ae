"""Hand-written article sets for the corpus tests (dedup, incidents, batch ingest).

One happening — Azerbaijani shelling of Jermuk on Monday 11 March 2024 — reported four
ways: a wire story, a syndicated copy of it, a light rewrite of it, and an independent report
written separately; and an unrelated article from the same day. These are invented texts in
the style of news reports, written for these tests.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

WIRE = """Azerbaijani forces shelled the Armenian border town of Jermuk on Monday, killing two soldiers and wounding five civilians, Armenia's defence ministry said.

The ministry said artillery and drones struck army positions and homes on the eastern edge of the town shortly after dawn. Firefighters were still putting out blazes in several houses by the evening, and the local school was closed.

Armenia accused Azerbaijan of violating the ceasefire agreed in November and called on Russia and the Collective Security Treaty Organization to respond. Azerbaijan's defence ministry denied the accusation and said its troops had returned fire after Armenian units opened fire first.

The European Union urged both sides to exercise restraint and return to talks. Diplomats in Brussels said a meeting of the two foreign ministers planned for next week could be postponed.

The clashes are the worst since September 2022, when more than two hundred soldiers were killed in two days of fighting along the border."""

# syndication: the same story under another outlet's furniture, its last paragraph cut
WIRE_COPY = """By Regional Herald staff

Azerbaijani forces shelled the Armenian border town of Jermuk on Monday, killing two soldiers and wounding five civilians, Armenia's defence ministry said.

The ministry said artillery and drones struck army positions and homes on the eastern edge of the town shortly after dawn. Firefighters were still putting out blazes in several houses by the evening, and the local school was closed.

Armenia accused Azerbaijan of violating the ceasefire agreed in November and called on Russia and the Collective Security Treaty Organization to respond. Azerbaijan's defence ministry denied the accusation and said its troops had returned fire after Armenian units opened fire first.

The European Union urged both sides to exercise restraint and return to talks. Diplomats in Brussels said a meeting of the two foreign ministers planned for next week could be postponed."""

# a light rewrite: a new first sentence, paragraphs reordered, a few words changed
REWRITE = """Two Armenian soldiers were killed and five civilians wounded when Azerbaijani forces shelled the border town of Jermuk on Monday, Armenia's defence ministry said.

Armenia accused Azerbaijan of violating the ceasefire agreed in November and called on Russia and the Collective Security Treaty Organization to respond. Azerbaijan's defence ministry denied the accusation and said its troops had only returned fire after Armenian units opened fire first.

The ministry said artillery and drones hit army positions and homes on the eastern edge of the town shortly after dawn. Firefighters were still putting out fires in several houses by the evening, and the local school was closed.

The clashes are the worst since September 2022, when more than two hundred soldiers were killed in two days of fighting along the border.

The European Union urged both sides to show restraint and return to talks."""

# the same happening, reported separately: not a near-duplicate, but the same incident
INDEPENDENT = """Armenia said Azerbaijani troops shelled Jermuk on Monday, hitting the spa town near the frontier with mortars for several hours.

Officials in Yerevan described the attack as a grave breach of the truce and said two servicemen had died. Residents told reporters that windows were shattered across the centre and that many families spent the night in basements.

Baku rejected the version of events given by Yerevan. A spokesman in Baku insisted that Azerbaijani units had merely responded to provocations along the line of contact.

Analysts said the fighting could derail efforts to agree a peace treaty before the summer, with mediators from Washington and Moscow competing for influence in the region."""

# the same day, another happening altogether
UNRELATED = """Ukrainian drones struck an oil refinery in the Russian region of Ryazan on Monday, starting a large fire, the regional governor said.

The governor said several drones had been shot down but at least one hit a processing unit, injuring two workers. Video shared by residents showed a column of black smoke rising over the plant.

Russia's defence ministry said air defences destroyed more than thirty drones over several regions overnight. Kyiv did not comment on the attack, but Ukrainian officials have said that strikes on energy sites weaken Moscow's ability to finance the war.

The refinery is one of the largest in central Russia and supplies fuel to the Moscow region."""

PUBLISHED = "2024-03-12"

#: The hand-written set: (id, text, published, url).
ARTICLE_SET = (
    ("wire", WIRE, PUBLISHED, "https://wire.example.com/jermuk"),
    ("copy", WIRE_COPY, PUBLISHED, "https://www.regionalherald.example/world/jermuk"),
    ("rewrite", REWRITE, "2024-03-13", "https://dailycourier.example/news/armenia"),
    ("independent", INDEPENDENT, PUBLISHED, "https://observerpost.example/caucasus"),
    ("unrelated", UNRELATED, PUBLISHED, "https://wire.example.com/ryazan"),
)


# -- a larger corpus of distinct articles, for the ingest tests -----------------------------

_ACTORS = (("Armenia", "Azerbaijan", "Yerevan", "Baku", "Jermuk"),
           ("Russia", "Ukraine", "Moscow", "Kyiv", "Kharkiv"),
           ("Israel", "Lebanon", "Jerusalem", "Beirut", "Tyre"),
           ("India", "Pakistan", "New Delhi", "Islamabad", "Kashmir"),
           ("Serbia", "Kosovo", "Belgrade", "Pristina", "Mitrovica"),
           ("Ethiopia", "Sudan", "Addis Ababa", "Khartoum", "Gallabat"))
_SENTENCES = (
    "{a} accused {b} of shelling villages near {place} on {day}.",
    "Officials in {ca} said {b} had moved troops towards the border.",
    "{b} denied the accusation and blamed {a} for the escalation.",
    "The United Nations called on both governments to hold talks in Geneva.",
    "Police in {cb} arrested a dozen protesters outside the parliament.",
    "{a} recalled its ambassador from {cb} for consultations.",
    "Witnesses in {place} said the explosions began before dawn and lasted for hours.",
    "The foreign ministry in {ca} summoned the envoy of {b} to protest.",
    "{b} threatened to respond with force if the attacks continued.",
    "European leaders offered humanitarian aid to families displaced from {place}.",
    "Analysts said neither side wanted a wider war but both were preparing for one.",
    "Talks brokered by Turkey are due to resume next month in Istanbul.",
    "Officials in {cb} said two border guards had been wounded on {day}.",
    "Markets in {ca} fell sharply as investors worried about the fighting.",
    "The defence minister of {a} visited units stationed near {place}.",
    "Aid agencies warned that food supplies in {place} would run out within a week.",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def varied_articles(n: int, seed: int = 3) -> list[dict[str, str]]:
    """``n`` distinct short articles, each five hand-written sentences about one pair of
    countries, with a publication date; reproducible for a seed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a, b, ca, cb, place = rng.choice(_ACTORS)
        if rng.random() < 0.5:
            a, b, ca, cb = b, a, cb, ca
        lines = rng.sample(_SENTENCES, 5)
        text = " ".join(s.format(a=a, b=b, ca=ca, cb=cb, place=place, day=rng.choice(_DAYS)) for s in lines)
        out.append({"id": f"doc-{i:03d}", "text": text, "published": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"})
    return out


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
