"""Where Flashpoint's shipped data files live: one folder per stage under ``data/``.

Every module finds its files through :func:`data_file`, so moving a file means changing one
path here and in ``data/README.md``, not hunting for ``"data"`` strings across the package.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def data_file(*parts: str) -> Traversable:
    """A shipped data file or folder, e.g. ``data_file("events", "cameo.csv")``."""
    return resources.files("flashpoint").joinpath("data", *parts)


def package_file(*parts: str) -> Traversable:
    """A file shipped beside the code rather than under ``data/`` (e.g. ``store/schema``)."""
    return resources.files("flashpoint").joinpath(*parts)
