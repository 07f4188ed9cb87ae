"""The trigger lexicon and the CAMEO table, loaded once from ``data/events/``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from flashpoint.errors import DataFileError
from flashpoint.records import (
    PLOVER_TYPES,
)
from flashpoint.resources import data_file
from flashpoint.stages.events._governors import Governors
from flashpoint.stages.events._senses import Senses


@dataclass(frozen=True, slots=True)
class Code:
    """One CAMEO code with its PLOVER translation."""

    cameo: str
    name: str
    quad_class: int
    goldstein: float
    type: str | None
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon row: ``requires`` names the argument that must be present for the row to
    apply ("called on Russia to" appeals, "called President Aliyev" is a phone call)."""

    cameo: str
    preps: frozenset[str]
    requires: str = ""  # "" | "prep" | "dobj"


_REQUIRES = ("", "prep", "dobj")


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, Trigger]  # the first row of each noun
    codes: dict[str, Code]
    intents: dict[str, str]  # PLOVER type of an announced action → CAMEO code of the announcement
    flips: dict[tuple[str, str], str]  # (verb, object noun) → CAMEO code: "lift sanctions"
    refusals: dict[str, str]  # CAMEO code prefix of an action → CAMEO code of refusing it
    governors: Governors
    intent_codes: dict[str, str]  # CAMEO code prefix of an action → CAMEO code of announcing it
    noun_rows: dict[str, tuple[Trigger, ...]]  # every row of a noun, tried in order (see _noun)
    noun_heads: frozenset[str] = frozenset()  # the words a noun entry can be looked up by
    senses: Senses | None = None  # verbs whose arguments decide their code (senses.toml)

    @classmethod
    def load(cls) -> Lexicon:
        root = data_file("events")
        codes: dict[str, Code] = {}
        for line, row in _csv(root / "cameo.csv"):
            ptype = row["plover_type"] or None
            if ptype is not None and ptype not in PLOVER_TYPES:
                raise DataFileError(f"unknown PLOVER type {ptype!r}", source=f"cameo.csv:{line}")
            try:
                codes[row["code"]] = Code(
                    cameo=row["code"],
                    name=row["name"],
                    quad_class=int(row["quad_class"]),
                    goldstein=float(row["goldstein"]),
                    type=ptype,
                    mode=row["plover_mode"] or None,
                    context=tuple(c for c in row["plover_context"].split(";") if c),
                )
            except ValueError as exc:
                raise DataFileError(str(exc), source=f"cameo.csv:{line}") from exc
        verbs: dict[str, tuple[Trigger, ...]] = {}
        nouns: dict[str, Trigger] = {}
        noun_rows: dict[str, tuple[Trigger, ...]] = {}
        for line, row in _csv(root / "events.csv"):
            where = f"events.csv:{line}"
            if row["cameo"] not in codes:
                raise DataFileError(f"CAMEO code {row['cameo']!r} is not in cameo.csv", source=where)
            if row.get("requires", "") not in _REQUIRES:
                raise DataFileError(f"requires must be one of {_REQUIRES}", source=where)
            preps = frozenset(p for p in row["target_preps"].split("|") if p)
            trigger = Trigger(row["cameo"], preps, row.get("requires", ""))
            if row["kind"] == "verb":
                verbs[row["lemma"]] = (*verbs.get(row["lemma"], ()), trigger)
            elif row["kind"] == "noun":
                nouns.setdefault(row["lemma"], trigger)
                noun_rows[row["lemma"]] = (*noun_rows.get(row["lemma"], ()), trigger)
            else:
                raise DataFileError(f"kind must be verb or noun, not {row['kind']!r}", source=where)
        intents: dict[str, str] = {}
        for line, row in _csv(root / "intents.csv"):
            if row["cameo"] not in codes or row["type"] not in PLOVER_TYPES:
                raise DataFileError("unknown PLOVER type or CAMEO code", source=f"intents.csv:{line}")
            intents[row["type"]] = row["cameo"]
        flips: dict[tuple[str, str], str] = {}
        for line, row in _csv(root / "flips.csv"):
            if row["cameo"] not in codes:
                raise DataFileError(f"CAMEO code {row['cameo']!r} is not in cameo.csv", source=f"flips.csv:{line}")
            flips[(row["verb"], row["noun"])] = row["cameo"]
        refusals = _prefix_table(root, "refusals.csv", "refusal", codes, ("REJECT",))
        intent_codes = _prefix_table(root, "intent_codes.csv", "intent", codes, ("AGREE", "THREATEN"))
        governors = Governors.load(root / Governors.FILE)
        if getattr(codes.get(governors.demand_code), "type", None) != "REQUEST":
            raise DataFileError("[demand] code must be a REQUEST code of cameo.csv", source=Governors.FILE)
        for kind, code in (*governors.said_codes, ("finding", governors.court_finding_code)):
            if code not in codes:
                raise DataFileError(f"[{kind}] codes must be CAMEO codes of cameo.csv", source=Governors.FILE)
        senses = Senses.load(root / Senses.FILE)
        for cameo in senses.codes():
            if cameo not in codes or codes[cameo].type is None:
                raise DataFileError(f"CAMEO code {cameo!r} is not a PLOVER code of cameo.csv", source=Senses.FILE)
        # a noun is looked up by its last word ("air strike", "cease-fire"), or by its first
        # for "state of emergency"
        heads = {re.split(r"[ -]", k)[-1] for k in nouns} | {k.split(" of ")[0] for k in nouns if " of " in k}
        heads |= set(nouns)
        return cls(verbs, nouns, codes, intents, flips, refusals, governors, intent_codes, noun_rows,
                   frozenset(heads), senses)

    def refusal(self, code: Code) -> Code | None:
        """The code of refusing the action ``code`` ("refused to release" → 1243), if the
        action is one that can be refused (cooperation, aid, yielding)."""
        return self._by_prefix(self.refusals, code)

    def intent(self, code: Code) -> Code | None:
        """The code of announcing the action ``code``: by its CAMEO code first ("will
        release" → 0353, "will shell" → 1384), else by its PLOVER type (``intents.csv``)."""
        found = self._by_prefix(self.intent_codes, code)
        if found is None and code.type in self.intents:
            found = self.codes[self.intents[code.type]]
        return found

    def _by_prefix(self, table: dict[str, str], code: Code) -> Code | None:
        for n in range(len(code.cameo), 1, -1):
            found = table.get(code.cameo[:n])
            if found is not None:
                return self.codes[found]
        return None


def _prefix_table(root, name: str, column: str, codes: dict[str, Code], types: tuple[str, ...]) -> dict[str, str]:
    """A CAMEO code prefix → CAMEO code table whose codes must be of ``types``."""
    table: dict[str, str] = {}
    for line, row in _csv(root / name):
        target = codes.get(row[column])
        if target is None or target.type not in types or not row["cameo_prefix"].isdigit():
            raise DataFileError(f"expected a CAMEO code prefix and a {'/'.join(types)} code of cameo.csv",
                                source=f"{name}:{line}")
        table[row["cameo_prefix"]] = row[column]
    return table


def _csv(resource) -> Iterator[tuple[int, dict[str, str]]]:
    with resources.as_file(resource) as path, open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield line, {k: (v or "").strip() for k, v in row.items()}
