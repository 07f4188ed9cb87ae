"""The JSON API and the one error shape, over every route; filters in the query string; limits."""

from __future__ import annotations

import pytest
from dashboard_store import HOSTILE_TITLE

from flashpoint.web.filters import parse_query, query_string

PAGES = ["/", "/dyad/ARM-AZE", "/actor/ARM", "/incidents", "/network", "/analyse", "/docs"]
APIS = ["/api/overview", "/api/dyad/ARM-AZE", "/api/actor/ARM", "/api/incidents", "/api/network", "/api/health"]


def _incident_id(client) -> str:
    return client.get("/api/incidents").json()["data"]["incidents"][0]["id"]


def assert_error_shape(response, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str) and body["error"]
    assert set(body) == {"ok", "error", "status", "code"}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers(client, path):
    r = client.get(path, headers={"accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("path", APIS)
def test_every_api_route_answers_json(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.json()["ok"] is True


def test_incident_page_and_api(client):
    iid = _incident_id(client)
    assert client.get(f"/incident/{iid}").status_code == 200
    data = client.get(f"/api/incident/{iid}").json()["data"]
    assert data["id"] == iid and data["events_detail"][0]["quote"]


# every route, with a request that must fail: the one JSON shape
ERRORS = [
    ("get", "/api/overview?since=2024-13-01", 400), ("get", "/api/overview?min_certainty=sure", 400),
    ("get", "/api/overview?min_sources=0", 400), ("get", "/api/overview?min_confidence=x", 400),
    ("get", "/api/overview?type=DANCE", 400), ("get", "/api/dyad/ARMAZE", 400), ("get", "/api/dyad/ARM-ARM", 400),
    ("get", "/api/dyad/ARM-FRA", 404), ("get", "/api/actor/ZZZ", 404), ("get", "/api/actor/a$b", 400),
    ("get", "/api/incident/nothing", 404), ("get", "/api/incidents?until=yesterday", 400),
    ("get", "/api/network?since=2024-03-09&until=2024-03-01", 400), ("get", "/api/nowhere", 404),
    ("post", "/api/overview", 405), ("post", "/api/analyse", 422), ("get", "/api/analyse", 405),
    ("get", "/?since=bad", 400), ("get", "/dyad/ARM-FRA", 404), ("get", "/actor/ZZZ", 404),
    ("get", "/incident/nothing", 404), ("get", "/incidents?min_sources=-1", 400), ("get", "/network?type=X", 400),
    ("get", "/nowhere", 404), ("put", "/analyse", 405), ("get", "/static/app/nothing.js", 404),
]


@pytest.mark.parametrize("method, path, status", ERRORS)
def test_one_error_shape_on_every_route(client, method, path, status):
    assert_error_shape(client.request(method, path), status)


def test_a_browser_gets_the_error_as_a_page(client):
    r = client.get("/incident/nothing", headers={"accept": "text/html"})
    assert r.status_code == 404 and "no incident" in r.text and r.headers["content-type"].startswith("text/html")


def test_an_internal_error_has_the_shape_too(web_db):
    from fastapi.testclient import TestClient

    from flashpoint.web.app import create_app

    app = create_app(web_db)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/boom")
    assert_error_shape(r, 500)
    assert "secret" not in r.text


def test_request_size_limit(client):
    assert_error_shape(client.post("/api/analyse", data={"text": "x" * 2_100_000}), 413)

    def chunks():
        for _ in range(30):
            yield b"text=" + b"x" * 100_000

    assert_error_shape(client.post("/api/analyse", content=chunks(),
                                   headers={"content-type": "application/x-www-form-urlencoded"}), 413)


def test_no_writes_without_the_flag(client):
    assert_error_shape(client.post("/api/analyse", data={"text": "Russia attacked Ukraine.", "store": "true"}), 400)


def test_filters_round_trip_and_change_results(client):
    q = parse_query({"actor": ["ARM,aze"], "type": ["ASSAULT"], "since": ["2024-03-01"], "min_sources": ["2"]})
    assert q.actors == ("ARM", "AZE") and q.min_sources == 2
    assert parse_query(dict(_pairs(query_string(q)))) == q
    every = client.get("/api/incidents").json()["data"]["incidents"]
    assaults = client.get("/api/incidents?type=ASSAULT").json()["data"]["incidents"]
    assert 0 < len(assaults) < len(every) and {i["type"] for i in assaults} == {"ASSAULT"}
    russia = client.get("/api/incidents?actor=RUS").json()["data"]["incidents"]
    assert russia and all("RUS" in i["source_codes"] + i["target_codes"] for i in russia)


def _pairs(qs: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(qs)


def test_article_text_is_escaped_in_the_api_and_pages(client):
    html = client.get("/incidents").text + "".join(
        client.get(f"/incident/{i['id']}").text for i in client.get("/api/incidents").json()["data"]["incidents"])
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;" in html
    r = client.get("/api/incidents")
    assert r.headers["content-type"] == "application/json"
    assert HOSTILE_TITLE  # the API returns data; the browser tests check nothing runs


def test_openapi_and_docs_work_offline(client):
    spec = client.get("/openapi.json").json()
    assert "/api/dyad/{key}" in spec["paths"]
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vega.js").status_code == 200
