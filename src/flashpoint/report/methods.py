"""The methods appendix: every rule and threshold the report's numbers rest on, read from the
data files that set them (never copied by hand), each with the comment that says why.

A rule is a ``key = value`` line of a shipped TOML file; its reason is the block of ``#``
comment lines just above it (or the comment at the end of its line). Tables of tables
(``[[incidents.close_types]]``) are shown as one rule per entry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from flashpoint.resources import data_file

# (data file, the sections of it that the report's numbers depend on; () = all)
SOURCES: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("ingest", "corpus.toml"), ("incidents",), "Incidents: when reports of one happening are merged"),
    (("analysis", "escalation.toml"), (), "Escalation: risk alerts, labels and change points"),
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One setting: its file, section, name, value as written, and the comment above it."""

    file: str
    section: str
    key: str
    value: str
    why: str


@dataclass(frozen=True, slots=True)
class RuleGroup:
    title: str
    file: str
    intro: str
    rules: tuple[Rule, ...]


def _wanted(section: str, sections: tuple[str, ...]) -> bool:
    return not sections or any(section == s or section.startswith(s + ".") for s in sections)


def read_rules(parts: tuple[str, ...], sections: tuple[str, ...] = ()) -> tuple[str, tuple[Rule, ...]]:
    """The file's opening comment and its rules in the given sections, in file order."""
    text = data_file(*parts).read_text(encoding="utf-8")
    tomllib.loads(text)  # a broken file fails here, with TOML's message, not half-shown
    name = "/".join(parts)
    intro: list[str] = []
    comment: list[str] = []
    rules: list[Rule] = []
    section = ""
    started = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            comment.append(line.lstrip("#").strip())
            continue
        if not line:
            if not started and comment:
                intro, comment = intro + comment, []
            continue
        started = True
        if line.startswith("["):
            section = line.strip("[]").strip()
            continue
        if "=" in line and _wanted(section, sections):
            key, value = (p.strip() for p in line.split("=", 1))
            why = " ".join(comment)
            if " #" in value and not value.startswith(("'", '"')):
                value, tail = value.split(" #", 1)
                why = (why + " " + tail.strip()).strip()
                value = value.strip()
            rules.append(Rule(name, section, key, value, why))
        comment = []
    return " ".join(intro), tuple(rules)


def methods() -> list[RuleGroup]:
    """Every rule group the report states, from the shipped data files."""
    groups = []
    for parts, sections, title in SOURCES:
        intro, rules = read_rules(parts, sections)
        groups.append(RuleGroup(title, "/".join(parts), intro, rules))
    return groups
