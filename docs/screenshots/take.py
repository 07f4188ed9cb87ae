"""Screenshots of the report and of each dashboard page on the demo database (`make demo`
first): `python docs/screenshots/take.py demo/demo.duckdb demo/crisis.html`."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from flashpoint.web.app import create_app
from flashpoint.web.server import background

OUT = Path(__file__).parent
ARTICLE = (
    "Iran fired missiles at two Iraqi bases hosting US troops on Wednesday, officials said. "
    "The Pentagon accused Tehran of an act of war. Iraq condemned the strikes, and Russia "
    "urged restraint. Analysts said the United States might impose new sanctions on Iran."
)


def main(db: str, report: str) -> None:
    app = create_app(db)
    with background(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1100})

        def shot(name: str, url: str, *, full: bool = False) -> None:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)

        report_url = Path(report).resolve().as_uri()
        shot("report-top", report_url)
        shot("report-network", report_url + "#network")
        shot("report-incidents", report_url + "#incidents")
        shot("overview", base + "/?since=2019-09-01&until=2020-01-31")
        shot("dyad", base + "/dyad/IRN-USA?since=2019-09-01&until=2020-01-31")
        shot("actor", base + "/actor/IRN")
        incident = page.evaluate(f"fetch('{base}/api/incidents?actor=IRN&type=ASSAULT').then(r => r.json())")
        shot("incident", base + f"/incident/{incident['data']['incidents'][0]['id']}")
        shot("network", base + "/network?since=2019-09-01&until=2020-01-31")
        page.goto(base + "/analyse")
        page.fill("textarea[name=text]", ARTICLE)
        page.fill("input[name=published]", "2020-01-08")
        page.click("#analyse-form button[type=submit]")
        page.wait_for_selector("#analysed-text", timeout=120_000)
        page.screenshot(path=str(OUT / "analyse.png"))
        shot("docs", base + "/docs")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
