"""Import PETRARCH/Phoenix (TABARI-format) actor and agent dictionaries.

Users who have the Phoenix dictionaries get their coverage by converting them once into
Flashpoint's own CSV formats and naming the files in ``Settings.actor_files``:

- an actors file (``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt``,
  ``Phoenix.MilNonState.actors.txt``) becomes ``<name>.leaders.csv`` (entries with
  date-bounded codes, e.g. a president's term) and ``<name>.institutions.csv`` (the rest);
- an agents file (``Phoenix.agents.txt``) becomes ``<name>.sectors.csv``.

The TABARI format: ``NAME_ [CODE]`` starts an entry (underscores are spaces; a trailing
underscore marks a whole word), ``+SYNONYM`` lines add names, tab-indented
``[CODE YYMMDD-YYMMDD]``, ``[CODE >YYMMDD]`` or ``[CODE <YYMMDD]`` lines give codes valid in
a period, ``#`` starts a comment. Agents are ``WORD [~SEC]`` with ``!MACRO! = A, B`` lines.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flashpoint.errors import DataFileError

_ORG_PREFIXES = ("IGO", "NGO", "IMG", "MNC", "NGM", "UIS")
_CODE = re.compile(
    r"\[([A-Za-z~]{3,}[A-Za-z0-9~]*)\s*(?:([<>])?(\d{6}|\d{8})(?:-(\d{6}|\d{8}))?)?\s*\]"
)
_LOWER_WORDS = {"of", "and", "for", "de", "del", "al", "el", "la", "le", "du", "des", "the", "in", "on", "to"}


@dataclass(slots=True)
class _Entry:
    names: list[str] = field(default_factory=list)
    codes: list[tuple[str, date | None, date | None]] = field(default_factory=list)


def _day(value: str | None, where: str) -> date | None:
    if not value:
        return None
    if len(value) == 8:
        year, mm, dd = int(value[:4]), int(value[4:6]), int(value[6:])
    else:
        yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:])
        # two-digit years: the dictionaries were last revised in 2014 and reach back to the
        # 1930s, so 00–30 are this century
        year = 2000 + yy if yy <= 30 else 1900 + yy
    try:
        return date(year, mm, dd)
    except ValueError as exc:
        raise DataFileError(f"bad date {value!r}", source=where) from exc


def _name(raw: str) -> str:
    """``VLADIMIR_PUTIN_`` → ``Vladimir Putin``: the dictionaries are upper case, news is not."""
    words = raw.strip().rstrip("_").replace("_", " ").split()
    out = []
    for i, word in enumerate(words):
        low = word.lower()
        if low in _LOWER_WORDS and (i > 0 or low == "the"):
            out.append(low)
        elif "." in word:
            out.append(word)  # "U.N.", "U.S."
        else:
            out.append("-".join(p.capitalize() for p in word.split("-")))
    return " ".join(out)


def _forms(names: list[str]) -> list[str]:
    """The names, plus the upper-case form of short one-word names, which are acronyms
    more often than not (``NATO``, ``OPEC``)."""
    forms = list(names)
    forms += [n.upper() for n in names if " " not in n and len(n) <= 5]
    return list(dict.fromkeys(forms))


def _strip(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def read_actors(path: Path) -> Iterator[_Entry]:
    """The entries of a TABARI actors file, in file order."""
    entry: _Entry | None = None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DataFileError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    for number, raw in enumerate(lines, start=1):
        line = _strip(raw)
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        codes = [(m[1], m[2], m[3], m[4]) for m in _CODE.finditer(line)]
        text = _CODE.sub("", line).strip()
        if line[0] in " \t":  # an indented code line of the current entry (a malformed
            # bracket such as "[ARMUNR 9008223-911221]" is skipped, not taken for a name)
            if entry is not None:
                entry.codes.extend(_codes(codes, where))
            continue
        if text.startswith("+"):
            if entry is not None:
                entry.names.append(_name(text[1:]))
                entry.codes.extend(_codes(codes, where))
            continue
        if entry is not None and entry.names:
            yield entry
        entry = _Entry([_name(text)], list(_codes(codes, where)))
    if entry is not None and entry.names:
        yield entry


def _codes(found: Iterable[tuple[str, str | None, str | None, str | None]], where: str):
    for code, sign, first, second in found:
        code = code.replace("~", "").upper()
        if sign == ">":
            yield code, _day(first, where), None
        elif sign == "<":
            yield code, None, _day(first, where)
        else:
            yield code, _day(first, where), _day(second, where)


def _split_code(code: str) -> tuple[str | None, str | None, str | None]:
    """(country, org, sector) of a CAMEO actor code."""
    if code.startswith(_ORG_PREFIXES):
        return None, code, None
    country, sector = code[:3], code[3:6] or None
    return country, None, sector


def convert_actors(path: Path, out_dir: Path) -> tuple[Path, Path, int, int]:
    """Write ``<stem>.leaders.csv`` and ``<stem>.institutions.csv``; return paths and counts."""
    stem = path.name.removesuffix(".txt").replace(".", "-").lower()
    leaders_path = out_dir / f"{stem}.leaders.csv"
    inst_path = out_dir / f"{stem}.institutions.csv"
    n_leaders = n_inst = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(leaders_path, "w", encoding="utf-8", newline="") as lf, open(
        inst_path, "w", encoding="utf-8", newline=""
    ) as inf:
        leaders = csv.writer(lf)
        leaders.writerow(["name", "aliases", "country", "org", "sector", "role", "start", "end"])
        inst = csv.writer(inf)
        inst.writerow(["text", "country", "org", "sector", "name"])
        for entry in read_actors(path):
            forms = _forms(entry.names)
            name, aliases = forms[0], "|".join(forms[1:])
            # a period that ends before it starts is an error in the source: leave it out
            periods = [c for c in entry.codes if c[1] or c[2]]
            dated = [c for c in periods if not (c[1] and c[2] and c[2] < c[1])]
            if periods and not dated:
                continue
            if dated:
                for code, start, end in dated:
                    country, org, sector = _split_code(code)
                    leaders.writerow([name, aliases, country or "", org or "", sector or "", "",
                                      start.isoformat() if start else "", end.isoformat() if end else ""])
                    n_leaders += 1
            elif entry.codes:  # undated: an institution, a place, an organisation
                country, org, sector = _split_code(entry.codes[0][0])
                inst.writerow(["|".join(forms), country or "", org or "", sector or "", name])
                n_inst += 1
    return leaders_path, inst_path, n_leaders, n_inst


def convert_agents(path: Path, out_dir: Path) -> tuple[Path, int]:
    """Write ``<stem>.sectors.csv`` from a TABARI agents file (macros expanded)."""
    macros: dict[str, list[str]] = {}
    rows: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DataFileError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    for raw in lines:
        line = _strip(raw).strip()
        if not line:
            continue
        macro = re.match(r"^(!\w+!)\s*=\s*(.+)$", line)
        if macro:
            macros[macro[1]] = [w.strip() for w in macro[2].split(",") if w.strip()]
            continue
        found = _CODE.search(line)
        if not found:
            continue
        sector = found[1].replace("~", "")[:3]
        word = _CODE.sub("", line).strip()
        for form in _expand(word, macros):
            rows.setdefault(form.replace("_", " ").strip().lower(), sector)
    stem = path.name.removesuffix(".txt").replace(".", "-").lower()
    out = out_dir / f"{stem}.sectors.csv"
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["word", "sector", "role"])
        for word, sector in rows.items():
            if word and sector.isalpha():
                writer.writerow([word, sector, "agent"])
    return out, len(rows)


def _expand(word: str, macros: dict[str, list[str]]) -> list[str]:
    found = re.search(r"!\w+!", word)
    if not found or found[0] not in macros:
        return [word]
    return [x for value in macros[found[0]] for x in _expand(word.replace(found[0], value, 1), macros)]


def convert(paths: Iterable[Path], out_dir: Path) -> list[tuple[Path, int]]:
    """Convert each file by its kind (agents or actors); return the files written."""
    written: list[tuple[Path, int]] = []
    for path in paths:
        if "agents" in path.name.lower():
            written.append(convert_agents(path, out_dir))
        else:
            leaders, inst, n_l, n_i = convert_actors(path, out_dir)
            written += [(leaders, n_l), (inst, n_i)]
    return written
