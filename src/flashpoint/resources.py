"""Where Flashpoint's shipped data files live: one folder per stage under ``data/``.

Every module finds its files through :func:`data_file`, so moving a file means changing one
path here and in ``data/README.md``, not hunting for ``"data"`` strings across the package.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import fields
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from flashpoint.errors import DataFileError


def data_file(*parts: str) -> Traversable:
    """A shipped data file or folder, e.g. ``data_file("events", "cameo.csv")``."""
    return resources.files("flashpoint").joinpath("data", *parts)


def package_file(*parts: str) -> Traversable:
    """A file shipped beside the code rather than under ``data/`` (e.g. ``store/schema``)."""
    return resources.files("flashpoint").joinpath(*parts)


def check_section(cls: type, values: dict[str, Any], section: str) -> dict[str, Any]:
    """A ``data/corpus.toml`` section's ``values`` for the dataclass ``cls``, unknown names and
    wrong types refused with the setting named (the dedup and incident rules)."""
    known = {f.name: f for f in fields(cls)}
    out = {}
    for name, value in values.items():
        if name not in known:
            raise DataFileError(f"[{section}] has no setting {name!r}; known: {', '.join(known)}")
        default = getattr(cls, name, None)
        kind = type(default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if default is not None and not isinstance(value, kind) and not isinstance(default, tuple):
            raise DataFileError(f"[{section}] {name} must be {kind.__name__}, not {value!r}")
        out[name] = value
    return out


T = TypeVar("T")


def read_toml(file: Path | Traversable, source: str, what: str, build: Callable[[dict[str, Any]], T]) -> T:
    """A TOML settings file made into settings by ``build``. An unreadable file, bad TOML, or a
    setting ``build`` finds missing or of the wrong kind (a KeyError, TypeError, ValueError or
    AttributeError) is a :class:`DataFileError` naming ``source`` and saying what failed."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read the {what}: {exc}", source=source) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"invalid {what}: {exc}", source=source) from exc
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(f"invalid {what}: {type(exc).__name__}: {exc}", source=source) from exc
