"""Sentence splitting: spaCy's parser-based sentences, cut again at paragraph breaks."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from flashpoint.records import Sentence

if TYPE_CHECKING:
    from flashpoint.draft import Draft


def split(draft: Draft) -> Draft:
    """Make one :class:`Sentence` per non-empty sentence of the article.

    The parser sometimes runs a sentence across a blank line (a heading glued to the first
    paragraph); a paragraph break always ends a sentence, so cut there too.
    """
    text = draft.article.text
    spans: list[tuple[int, int]] = []
    for sent in draft.doc.sents:
        start = sent.start_char
        end = sent.end_char
        cut = text.find("\n\n", start, end)
        while cut != -1:
            spans.append((start, cut))
            start = cut + 2
            cut = text.find("\n\n", start, end)
        spans.append((start, end))
    sentences = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            sentences.append(Sentence(index=len(sentences), span=(start, end)))
    return replace(draft, sentences=tuple(sentences))
