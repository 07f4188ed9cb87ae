"""The dashboard over the small hand-built store: an in-process client, and a live server on
127.0.0.1 in a background thread for the browser tests (headless Debian chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dashboard_store import build_store

from flashpoint.web.app import WebSettings, create_app
from flashpoint.web.server import background

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture(scope="session")
def app(web_db):
    return create_app(web_db, WebSettings())


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def live(app) -> str:
    with background(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (make install runs apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not dialogs, f"a script ran and opened a dialog: {dialogs}"
    assert not errors, f"script errors on the page: {errors}"
