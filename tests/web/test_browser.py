"""The dashboard and the report in headless Chromium (Debian's, driven by Playwright): every page
loads with no script error, a chart mark and a table row lead to the incident, the incident to its
quote, filters change the URL and the results, the report opens with the network blocked, and
hostile article text shows as text with no script run (the page fixture fails on any dialog)."""

from __future__ import annotations

import re

import pytest
from dashboard_store import HOSTILE_TITLE

from flashpoint.report.html import ReportOptions, write_report
from flashpoint.store import Store

PAGES = ["/", "/dyad/ARM-AZE", "/actor/ARM", "/incidents", "/network", "/analyse", "/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads(page, live, path):
    response = page.goto(live + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.title()


def test_every_request_stays_on_the_server(page, live):
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    for path in PAGES:
        page.goto(live + path)
        page.wait_for_load_state("networkidle")
    outside = [u for u in seen if not u.startswith(live) and not u.startswith("data:")]
    assert not outside, outside


def test_chart_mark_leads_to_the_incident_and_the_incident_to_its_quote(page, live):
    page.goto(live + "/dyad/ARM-AZE")
    page.wait_for_selector("div.vl[data-drawn] svg")
    mark = page.locator("div.vl[data-spec='spec-incidents'] path[role='graphics-symbol']").first
    with page.expect_navigation():
        mark.click()
    assert re.search(r"/incident/[0-9a-f]{16}", page.url)
    link = page.locator("a.to-quote").first
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    quote = page.locator(f"blockquote{target}")
    assert quote.is_visible() and quote.locator("mark.hl-trigger").count() == 1


def test_table_row_leads_to_the_incident(page, live):
    page.goto(live + "/incidents")
    row = page.locator("tr.incident-row").first
    href = row.get_attribute("data-href")
    with page.expect_navigation():
        row.locator("td").nth(2).click()  # a cell without a link: the row itself leads there
    assert page.url.endswith(href)
    assert page.locator("blockquote.quote").count() >= 1


def test_filters_change_the_url_and_the_results(page, live):
    page.goto(live + "/incidents")
    before = page.locator("tr.incident-row").count()
    page.select_option("select[name=type]", "ASSAULT")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    assert "type=ASSAULT" in page.url
    rows = page.locator("tr.incident-row")
    assert 0 < rows.count() < before
    assert set(rows.locator("td:nth-child(3)").all_inner_texts()) == {"ASSAULT"}
    page.fill("input[name=actor]", "RUS")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    assert "actor=RUS" in page.url and page.locator("tr.incident-row").count() == 0  # Russia assaulted no one
    assert "No incident" in page.inner_text("table.incidents")
    shared = page.url
    page.goto(shared)  # the URL alone gives the same view
    assert page.locator("select[name=type]").input_value() == "ASSAULT"


def test_hostile_article_shows_as_text(page, live, client):
    incidents = client.get("/api/incidents").json()["data"]["incidents"]
    hostile = next(i for i in incidents
                   if any(e["title"] == HOSTILE_TITLE for e in client.get(f"/api/incident/{i['id']}").json()["data"]["events_detail"]))
    page.goto(live + f"/incident/{hostile['id']}")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "<script>alert('text')</script>" in body and "onerror=alert('img')" in body
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "javascript:alert('link')" in body  # the URL is shown, not linked


def test_report_opens_with_the_network_blocked(browser, web_db, tmp_path):
    out = tmp_path / "crisis.html"
    with Store(web_db, read_only=True) as store:
        write_report(store, ReportOptions(top_incidents=10), out)
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []

    def guard(route):
        requests.append(route.request.url)
        if route.request.url == out.as_uri():
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_load_state("networkidle")
    assert requests == [out.as_uri()], f"the report asked for more than itself: {requests}"
    assert not dialogs
    assert page.locator("svg").count() >= 5
    assert "<script>alert('text')</script>" in page.inner_text("body")
    # a chart mark of a listed incident is an in-page link to it
    anchors = page.locator("svg a").evaluate_all("els => els.map(e => e.getAttribute('xlink:href') || e.getAttribute('href'))")
    assert anchors and all(a.startswith("#incident-") for a in anchors)
    context.close()
