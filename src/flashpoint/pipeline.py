"""The analysis pipeline: an ordered list of named stages over one working record.

A stage (:class:`flashpoint.draft.Stage`) takes a :class:`~flashpoint.draft.Draft` and returns
a new one (records are frozen; stages use :func:`dataclasses.replace`). :class:`Pipeline` loads
the language model and the data files once, checks that the stages' inputs are produced by
earlier stages, and names the stage that failed when one raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from flashpoint.draft import Draft, Stage, check_order
from flashpoint.errors import FlashpointError, InputError, StageError
from flashpoint.inputs import clean as ingest
from flashpoint.models.event_model import EventModel
from flashpoint.models.role_model import RoleModel, SentenceRoleModel
from flashpoint.models.type_model import TypeModel
from flashpoint.records import Analysis, Article, CertaintyProfile
from flashpoint.settings import Settings
from flashpoint.stages import actors, certainty, dates, event_dates, events, parser, sentences
from flashpoint.stages.events.recaps import merge_recaps
from flashpoint.stages.locations import Places
from flashpoint.stages.parser import load_pipeline

# What the pipeline itself writes, around the stages: the record id and what was skipped; the
# article is made by ingest (flashpoint.inputs.clean) before the first stage.
PIPELINE_ASSIGNS = ("id", "skipped")
INGEST_ASSIGNS = ("article",)


class Pipeline:
    """Analyse articles; build once and reuse (the model and data files load once).

    >>> pipe = Pipeline()
    >>> analysis = pipe.analyze("Armenia accused Azerbaijan of shelling Jermuk on Tuesday.",
    ...                         published="2022-09-15")
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp, self.model_name = load_pipeline(self.settings.models)
        self.gazetteer = gazetteer = actors.Gazetteer.load(self.settings.actor_files)
        cues = certainty.CertaintyTagger()
        self.stages: tuple[Stage, ...] = (
            Stage("sentences", sentences.split, makes=("sentences",),
                  assigns=("sentences[].index", "sentences[].span", "sentences[].text")),
            Stage("actors", actors.ActorTagger(gazetteer, self.nlp), needs=("sentences",), makes=("mentions",)),
            Stage("dates", dates.tag_times, makes=("times",)),
            Stage("certainty", cues, needs=("sentences",), assigns=("sentences[].certainty",)),
            # An event's certainty and place are found with it: the certainty decides the code
            # ("agreed to withdraw" is an announcement) and the place the target when no one is
            # named ("imposed a curfew in Algiers").
            Stage(
                "events",
                events.EventCoder(certainty=cues, places=Places.load(self.settings), model=EventModel.load(),
                                 roles=RoleModel.load(), sentence_roles=SentenceRoleModel.load(),
                                 types=TypeModel.load()),
                needs=("sentences", "mentions"),
                makes=("events",),
                assigns=tuple(f"events[].{k}" for k in (
                    "id", "sentence", "trigger", "source", "target", "type", "mode", "context", "cameo",
                    "quad_class", "goldstein", "location", "certainty", "confidence")),
            ),
            Stage("event-dates", event_dates.EventDater(), needs=("sentences", "times", "events"),
                  assigns=("events[].date",)),
            # an action told again later in the article is the event of its first mention
            Stage("recaps", merge_recaps, needs=("sentences", "events")),
            Stage("actor-summary", actors.ActorSummary(gazetteer), needs=("mentions",), makes=("actors",),
                  assigns=tuple(f"actors[].{k}" for k in ("key", "name", "country", "org", "sector", "mentions"))),
            Stage("certainty-profile", certainty.tag_profile, needs=("sentences",), makes=("certainty_profile",),
                  assigns=("certainty_profile",)),
        )
        check_order(self.stages)

    # -- single articles -------------------------------------------------------------------

    def analyze(
        self,
        text_or_html: str,
        *,
        published: date | str | None = None,
        title: str | None = None,
        url: str | None = None,
        record_id: str | None = None,
    ) -> Analysis:
        """Analyse one article given as plain text, Markdown or HTML."""
        if not isinstance(text_or_html, str):
            hint = "; decode bytes first, e.g. data.decode('utf-8')" if isinstance(text_or_html, bytes | bytearray) else ""
            raise InputError(f"analyze() takes the article as a str, not {type(text_or_html).__name__}{hint}")
        document = ingest.document_from_string(text_or_html, title=title, url=url, id=record_id)
        article = ingest.to_article(document, published=_as_date(published), settings=self.settings)
        return self.analyze_article(article, record_id=record_id)

    def analyze_article(self, article: Article, *, record_id: str | None = None) -> Analysis:
        return self._finish(self._run(article, parser.parse(self.nlp, article.text, self.settings)), record_id)

    # -- many articles ---------------------------------------------------------------------

    def analyze_many(
        self, articles: Iterable[tuple[Article, str | None]]
    ) -> Iterator[Analysis | tuple[str | None, FlashpointError]]:
        """Analyse (article, record id) pairs in batches; a failure is yielded, not raised."""
        batch: list[tuple[Article, str | None]] = []
        for item in articles:
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(
        self, batch: list[tuple[Article, str | None]]
    ) -> Iterator[Analysis | tuple[str | None, FlashpointError]]:
        for (article, record_id), doc in zip(batch, self._docs([a.text for a, _ in batch])):
            if isinstance(doc, FlashpointError):
                yield record_id or article.id, doc
                continue
            try:
                yield self._finish(self._run(article, doc), record_id)
            except StageError as err:
                yield record_id or article.id, err

    def _docs(self, texts: list[str]) -> Iterator[Doc | FlashpointError]:
        """The parses of ``texts`` in order, or the error of each text that cannot be parsed.

        Short texts are parsed together, as one batch; a long one alone, in pieces, when its turn
        comes (:func:`~flashpoint.stages.parser.parse`), so that a batch never holds more than
        one long parse and one text that breaks the parser does not cost the others theirs.
        """
        short = [t for t in texts if len(t) <= parser.CHUNK_CHARS]
        try:
            parsed = iter(list(self.nlp.pipe(short, batch_size=self.settings.batch_size)))
        except Exception:  # a text that breaks the parser: find which, parse the others
            parsed = iter([self._parse(t) for t in short])
        for text in texts:
            yield next(parsed) if len(text) <= parser.CHUNK_CHARS else self._parse(text)

    def _parse(self, text: str) -> Doc | FlashpointError:
        try:
            return parser.parse(self.nlp, text, self.settings)
        except FlashpointError as err:
            return err
        except Exception as exc:
            return StageError(f"the parser failed: {type(exc).__name__}: {exc}")

    # -- internals -------------------------------------------------------------------------

    def _run(self, article: Article, doc: Doc) -> Draft:
        draft = Draft(article=article, doc=doc)
        for stage in self.stages:
            try:
                draft = stage.run(draft)
            except FlashpointError:
                raise
            except Exception as exc:  # a bug in a stage: name it, keep the batch alive
                raise StageError(
                    f"stage {stage.name!r} failed: {type(exc).__name__}: {exc}", source=article.id
                ) from exc
        return draft

    def _finish(self, draft: Draft, record_id: str | None) -> Analysis:
        return Analysis(
            article=draft.article,
            sentences=draft.sentences,
            actors=draft.actors,
            events=draft.events,
            certainty_profile=draft.certainty_profile or CertaintyProfile(),
            skipped=draft.skipped,
            id=record_id or draft.article.id,
        )


def _as_date(value: date | str | None) -> date | None:
    if isinstance(value, datetime):  # a timestamp: its day (the contract's dates are days)
        return value.date()
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"published date {value!r} is not YYYY-MM-DD") from exc


@lru_cache(maxsize=2)
def _shared(settings: Settings) -> Pipeline:
    return Pipeline(settings)


def analyze(
    text_or_html: str, *, published: date | str | None = None, settings: Settings | None = None, **kw: Any
) -> Analysis:
    """Analyse one article with a pipeline cached per settings (see :class:`Pipeline`)."""
    return _shared(settings or Settings()).analyze(text_or_html, published=published, **kw)


def field_producers(settings: Settings | None = None, pipe: Pipeline | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """Who makes each field of the JSON contract, in the order they are made: ingest (the
    article), each stage, then the pipeline itself (``flashpoint doctor --stages``)."""
    pipe = pipe or _shared(settings or Settings())
    return [
        ("ingest", INGEST_ASSIGNS),
        *((stage.name, stage.assigns) for stage in pipe.stages),
        ("pipeline", PIPELINE_ASSIGNS),
    ]
