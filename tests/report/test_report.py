"""The HTML report: one self-contained file, its sections, escaping, and the CLI command."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from dashboard_store import HOSTILE_TEXT, build_store

from flashpoint.cli import cli
from flashpoint.report.html import ReportOptions, render_report
from flashpoint.report.markup import highlight, safe_url
from flashpoint.report.methods import methods
from flashpoint.store import Store
from flashpoint.store.query import EventQuery


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("report") / "r.duckdb")


@pytest.fixture(scope="module")
def html(db):
    with Store(db, read_only=True) as store:
        return render_report(store, ReportOptions(top_incidents=10))


def test_every_section_is_there(html):
    for anchor in ("headlines", "timelines", "network", "incidents", "certainty", "actors", "methods"):
        assert f'id="{anchor}"' in html
    assert "ARM – AZE" in html
    assert html.count("<svg") >= 5  # three timeline charts, the network, the certainty split


def test_nothing_is_fetched_from_outside(html):
    # no script at all; no src=, no stylesheet link, no url() in the CSS
    assert "<script" not in html.replace("&lt;script", "")
    assert not re.search(r"<(img|iframe|link|object|embed)\b", html)
    assert "url(" not in html
    assert 'src="' not in html
    assert "Content-Security-Policy" in html
    # every link is in-page, or an http(s) article URL
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("#", "https://example.org/")), href


def test_article_text_is_escaped(html):
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "javascript:alert(&#39;link&#39;)" in html  # shown as text, not as a link


def test_methods_are_read_from_the_data_files(html):
    groups = {g.file: g for g in methods()}
    escalation = groups["analysis/escalation.toml"]
    ratio = next(r for r in escalation.rules if r.section == "alert" and r.key == "ratio")
    assert ratio.why and ratio.value
    assert f"[alert] ratio</td><td><code>{ratio.value}</code>" in html
    incidents = groups["ingest/corpus.toml"]
    assert {r.key for r in incidents.rules} >= {"max_days", "max_incident_days"}


def test_filters_change_the_report(db):
    with Store(db, read_only=True) as store:
        russia = render_report(store, ReportOptions(query=EventQuery(actors=("RUS",)), dyads=("RUS-TUR",)))
    assert "RUS – TUR" in russia and "ARM – AZE" not in russia
    assert "actors RUS" in russia


def test_highlight_escapes_every_piece():
    out = str(highlight("<b>A</b> hit B", [{"start": 3, "end": 4, "role": "source", "code": "<x>"},
                                           {"start": 9, "end": 12, "role": "trigger", "code": "T"}]))
    assert out.startswith("&lt;b&gt;<mark") and "&lt;x&gt;" in out and "<b>" not in out


@pytest.mark.parametrize("url, ok", [("https://a.org/x", True), ("http://a.org", True), ("javascript:alert(1)", False),
                                     (" JavaScript:alert(1)", False), ("data:text/html,x", False), ("//a.org", False),
                                     ("/relative", False), (None, False)])
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) == ok


def test_report_command(db, tmp_path):
    out = tmp_path / "crisis.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "-o", str(out), "--dyad", "ARM-AZE",
                                      "--since", "2024-03-01", "--top-incidents", "3"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count('class="incident-row"') == 3
    bad = CliRunner().invoke(cli, ["report", "--db", str(db), "-o", str(out), "--dyad", "ARMAZE"])
    assert bad.exit_code == 1 and "not a dyad" in bad.output
    assert HOSTILE_TEXT[:10] not in out.read_text(encoding="utf-8")
