"""Fault 1 of the hardening issue: long texts.

spaCy refuses a text of 1,000,000 characters or more (E088) and parses a long one whole in
gigabytes; Flashpoint parses a long article in pieces cut at paragraph breaks and refuses one
over ``Settings.max_chars`` with a clear reason, never a traceback, without costing the rest
of its batch.
"""

from __future__ import annotations

import pytest

from flashpoint.errors import TooLargeError
from flashpoint.records import Analysis, Article
from flashpoint.settings import Settings
from flashpoint.stages import parser

pytestmark = pytest.mark.slow

PARAGRAPH = ("Armenia accused Azerbaijan on Tuesday of shelling the town of Jermuk. "
             "Russia urged both sides to show restraint.")


def _long(chars: int) -> str:
    count = chars // (len(PARAGRAPH) + 2) + 1
    return "\n\n".join([PARAGRAPH] * count)


def test_a_text_over_the_limit_is_refused_with_a_reason(pipeline):
    text = _long(1_000_010)  # spaCy refuses 1,000,000 and more (E088)
    with pytest.raises(TooLargeError, match="characters"):
        pipeline.analyze(text)


def test_one_long_article_does_not_cost_the_rest_of_its_batch(pipeline):
    long = Article(text=_long(1_200_000))
    short = Article(text=PARAGRAPH)
    results = list(pipeline.analyze_many([(long, "long"), (short, "short")]))
    assert len(results) == 2
    record_id, error = results[0]
    assert record_id == "long" and isinstance(error, TooLargeError)
    assert isinstance(results[1], Analysis) and results[1].events


def test_a_long_text_is_parsed_in_pieces_with_the_same_text(nlp):
    text = _long(parser.CHUNK_CHARS * 2 + 500)
    doc = parser.parse(nlp, text, Settings())
    assert doc.text == text
    starts = [s.start_char for s in doc.sents]
    assert len(starts) >= text.count("\n\n")  # every paragraph still starts a sentence


def test_a_paragraph_longer_than_a_piece_is_cut_between_words(nlp):
    text = " ".join([PARAGRAPH] * (parser.CHUNK_CHARS // len(PARAGRAPH) + 3))
    doc = parser.parse(nlp, text, Settings())
    assert doc.text == text
    assert all(not t.text.strip() or " " not in t.text for t in doc)


def test_a_short_text_is_parsed_whole_as_before(nlp):
    assert parser.parse(nlp, PARAGRAPH, Settings()).to_bytes() == nlp(PARAGRAPH).to_bytes()
