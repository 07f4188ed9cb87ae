"""Shared fixtures: one pipeline per test session (loading the model takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_HTML = SHARED / "examples" / "seed-article.html"
SEED_MD = SHARED / "examples" / "seed-article.md"


@pytest.fixture(scope="session")
def pipeline():
    from flashpoint import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


@pytest.fixture(scope="session")
def seed_html() -> str:
    if not SEED_HTML.exists():
        pytest.skip(f"the seed article is not at {SEED_HTML}")
    return SEED_HTML.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(pipeline, seed_html):
    """The seed article analysed with its real publication date."""
    return pipeline.analyze(seed_html, published="2022-09-15")
