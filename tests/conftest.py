"""Shared fixtures: one pipeline per test session (loading the model takes seconds)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so a landing never depends on the
# draw; local runs keep drawing new examples (that is how they find bugs).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

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
