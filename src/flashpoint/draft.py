"""The working record a stage reads and extends, and the stage that extends it.

Below both the pipeline and the stages (as spaCy's ``Doc`` sits below ``Language`` and every
component): a stage imports this module, never :mod:`flashpoint.pipeline`.

A stage says what it needs and what it makes in two vocabularies:

* ``needs`` / ``makes`` name attributes of :class:`Draft` (``sentences``, ``mentions`` …); the
  pipeline checks when it is built that every need is made by an earlier stage;
* ``assigns`` names the fields of the JSON contract (``shared/spec/analysis-json.md``) the stage
  writes, as ``events[].date`` or ``certainty_profile``; every field has exactly one producer
  (``flashpoint doctor --stages`` prints the table; a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flashpoint.records import (
    Actor,
    ActorRef,
    Article,
    CertaintyProfile,
    Event,
    Sentence,
    Skipped,
    TimeExpression,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Draft:
    """The working record a stage reads and extends (records are frozen: stages return a new
    draft with :func:`dataclasses.replace`)."""

    article: Article
    doc: Doc
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[ActorRef, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    actors: tuple[Actor, ...] = ()
    certainty_profile: CertaintyProfile | None = None
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class Stage:
    """A named step of the pipeline: ``run`` takes a draft and returns the extended draft."""

    name: str
    run: Callable[[Draft], Draft]
    needs: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


# What exists before the first stage runs: the cleaned article (made by ingest) and its parse.
GIVEN = ("article", "doc")


def check_order(stages: Iterable[Stage]) -> None:
    """Raise ``ValueError`` when a stage needs what no earlier stage makes."""
    made = set(GIVEN)
    for stage in stages:
        missing = [n for n in stage.needs if n not in made]
        if missing:
            raise ValueError(f"stage {stage.name!r} needs {missing} before it runs")
        made.update(stage.makes)
