"""The web dashboard: ``create_app(store_path, settings)`` builds the FastAPI application.

Every page has a JSON twin under ``/api/...`` that returns the same data (``views.py``); the
format is chosen here, at the edge. Every error, on every route, is one JSON shape
``{"ok": false, "error": ..., "status": ..., "code": ...}`` — or, for a browser asking for a
page, the same fields on an HTML page with the same status.

Safe by default: the database is opened read-only unless ``allow_writes``; every piece of article
text is escaped by Jinja2's autoescape; only http(s) URLs become links; request bodies are
limited to ``max_body_bytes``; "analyse an article" runs at most ``analyse_concurrency`` analyses
at once; every response carries a Content-Security-Policy that allows no inline script and no
other origin. The Vega bundle (from vl-convert) and Swagger UI (from swagger-ui-bundle) are
served from the installed packages: the app makes no request to any CDN.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from flashpoint._version import __version__
from flashpoint.errors import BusyError, FlashpointError, InputError, NotFoundError, QueryError
from flashpoint.records import CERTAINTY_ORDER, PLOVER_TYPES
from flashpoint.report.markup import environment, safe_url, to_json
from flashpoint.report.network_svg import network_svg
from flashpoint.store.query import EventQuery
from flashpoint.web import views
from flashpoint.web.analyse import Analyser, highlighted_spans
from flashpoint.web.filters import parse_query, query_string
from flashpoint.web.limits import BodyLimit, SecurityHeaders
from flashpoint.web.pool import StorePool

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the app runs: writes allowed, request size limit, analysis slots, store connections.

    max_body_bytes: the largest request body accepted (a pasted article and its form fields).
    analyse_concurrency: analyses that may run at once (each holds a spaCy pipeline's CPU).
    """

    allow_writes: bool = False
    max_body_bytes: int = 2_000_000
    analyse_concurrency: int = 1
    analyse_wait_seconds: float = 30.0
    pool_size: int = 4


def query_filters(
    actor: Annotated[list[str] | None, Query(description="Actor code prefix (AZE, AZEGOV, NATO); repeat for any of several.")] = None,
    type: Annotated[list[str] | None, Query(description="PLOVER event type; repeat for any of several.")] = None,  # noqa: A002
    since: Annotated[str | None, Query(description="YYYY-MM-DD: events whose dates end on or after it.")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD: events whose dates start on or before it.")] = None,
    min_certainty: Annotated[str | None, Query(description=" < ".join(CERTAINTY_ORDER))] = None,
    min_confidence: Annotated[str | None, Query(description="0–1")] = None,
    min_sources: Annotated[str | None, Query(description="independent articles, at least 1")] = None,
) -> EventQuery:
    """The filters of the URL as one EventQuery (``filters.parse_query`` says what each means)."""
    given = {"actor": actor or [], "type": type or [], "since": [since] if since else [], "until": [until] if until else [],
             "min_certainty": [min_certainty] if min_certainty else [],
             "min_confidence": [min_confidence] if min_confidence else [],
             "min_sources": [min_sources] if min_sources else []}
    return parse_query(given)


Filters = Annotated[EventQuery, Depends(query_filters)]


@cache
def _vega_bundle() -> bytes:
    import vl_convert

    return vl_convert.javascript_bundle().encode("utf-8")


def _status(exc: FlashpointError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, BusyError):
        return 503
    if isinstance(exc, (QueryError, InputError)):
        return 400
    return 500


def create_app(store_path: str | Path, settings: WebSettings | None = None) -> FastAPI:
    """The dashboard on the database at ``store_path`` (opened read-only unless writes are allowed)."""
    settings = settings or WebSettings()
    pool = StorePool(store_path, size=settings.pool_size, read_only=not settings.allow_writes)
    analyser = Analyser(concurrency=settings.analyse_concurrency, wait_seconds=settings.analyse_wait_seconds)
    env = environment("flashpoint.web")
    env.globals.update(version=__version__, database=Path(store_path).name, allow_writes=settings.allow_writes,
                       certainty_order=CERTAINTY_ORDER, plover_types=PLOVER_TYPES)
    env.filters["tojson_safe"] = to_json

    app = FastAPI(title="Flashpoint dashboard API", version=__version__, docs_url=None, redoc_url=None,
                  description="The JSON twin of every dashboard page. Filters go in the query string; every "
                              'error is `{"ok": false, "error": …, "status": …, "code": …}`.')
    app.state.pool, app.state.analyser, app.state.settings = pool, analyser, settings
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.mount("/static/swagger", StaticFiles(directory=_swagger_dir()), name="swagger")
    app.mount("/static/app", StaticFiles(directory=STATIC), name="static")
    app.router.on_shutdown.append(pool.close)

    def wants_html(request: Request) -> bool:
        path = request.url.path
        return not path.startswith(("/api", "/openapi")) and "text/html" in request.headers.get("accept", "")

    def error(request: Request, status: int, message: str, code: str) -> Response:
        body = {"ok": False, "error": message, "status": status, "code": code}
        if wants_html(request):
            try:
                html = env.get_template("error.html.j2").render(request=request, page="error", filters="",
                                                                suffix="", query=EventQuery(), **body)
                return HTMLResponse(html, status_code=status)
            except Exception:  # noqa: BLE001 — the error page must not hide the error
                pass
        return JSONResponse(body, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        return error(request, exc.status_code, message, "http")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return error(request, 422, f"{where}: {first.get('msg', 'invalid request')}".strip(": "), "validation")

    @app.exception_handler(FlashpointError)
    async def flashpoint_error(request: Request, exc: FlashpointError) -> Response:
        return error(request, _status(exc), exc.message, exc.code)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        return error(request, 500, f"internal error ({type(exc).__name__})", "internal")

    def page(request: Request, template: str, name: str, query: EventQuery | None, **data: Any) -> HTMLResponse:
        qs = query_string(query) if query is not None else ""
        html = env.get_template(template).render(request=request, page=name, query=query or EventQuery(),
                                                 filters=qs, suffix=f"?{qs}" if qs else "", **data)
        return HTMLResponse(html)

    # -- pages and their JSON twins ------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_html(request: Request, q: Filters) -> HTMLResponse:
        return page(request, "overview.html.j2", "overview", q, data=views.overview_page(pool, q))

    @app.get("/api/overview", tags=["pages"])
    def overview_api(q: Filters) -> Response:
        """Active dyads with their escalation labels, alerts, the most reported incidents."""
        return _json(views.overview_page(pool, q))

    @app.get("/dyad/{key}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_html(request: Request, key: str, q: Filters) -> HTMLResponse:
        data = views.dyad_page(pool, key, q)
        return page(request, "dyad.html.j2", "dyad", q, data=data)

    @app.get("/api/dyad/{key}", tags=["pages"])
    def dyad_api(key: str, q: Filters) -> Response:
        """A dyad (AAA-BBB): its incidents, daily channels, escalation and chart specs."""
        return _json(views.dyad_page(pool, key, q))

    @app.get("/actor/{code}", response_class=HTMLResponse, include_in_schema=False)
    def actor_html(request: Request, code: str, q: Filters) -> HTMLResponse:
        return page(request, "actor.html.j2", "actor", q, data=views.actor_page(pool, code, q))

    @app.get("/api/actor/{code}", tags=["pages"])
    def actor_api(code: str, q: Filters) -> Response:
        """An actor (a code prefix): events by type and certainty, dyads, incidents."""
        return _json(views.actor_page(pool, code, q))

    @app.get("/incident/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_html(request: Request, incident_id: str, q: Filters) -> HTMLResponse:
        return page(request, "incident.html.j2", "incident", q, data=views.incident_page(pool, incident_id))

    @app.get("/api/incident/{incident_id}", tags=["pages"])
    def incident_api(incident_id: str) -> Response:
        """An incident with its events, their quotes and the spans to highlight in them."""
        return _json(views.incident_page(pool, incident_id))

    @app.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
    def incidents_html(request: Request, q: Filters) -> HTMLResponse:
        return page(request, "incidents.html.j2", "incidents", q, data=views.incidents_page(pool, q))

    @app.get("/api/incidents", tags=["pages"])
    def incidents_api(q: Filters) -> Response:
        """Incidents under the filters, most independent sources first (at most 100)."""
        return _json(views.incidents_page(pool, q))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_html(request: Request, q: Filters) -> HTMLResponse:
        data = views.network_page(pool, q)
        qs = query_string(q)
        svg = network_svg(data["edges"], data["blocs"], href=lambda code: f"/actor/{code}" + (f"?{qs}" if qs else ""))
        return page(request, "network.html.j2", "network", q, data=data, svg=svg)

    @app.get("/api/network", tags=["pages"])
    def network_api(q: Filters) -> Response:
        """The signed actor network: edges with their weight and sign (blocs when computed)."""
        return _json(views.network_page(pool, q))

    # -- analyse an article --------------------------------------------------------------------

    def analyse(text: str, published: str | None, store: bool) -> dict[str, Any]:
        if not text.strip():
            raise InputError("paste the text or HTML of an article")
        if store and not settings.allow_writes:
            raise QueryError("this dashboard is read-only; start it with --allow-writes to store analyses")
        analysis = analyser.analyse(text, published or None)
        if store:
            with pool.store() as s:
                s.save(analysis)
        return {"analysis": analysis.to_dict(), "spans": highlighted_spans(analysis),
                "text": analysis.article.text, "stored": store}

    @app.get("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_form(request: Request) -> HTMLResponse:
        return page(request, "analyse.html.j2", "analyse", None, data=None, loaded=analyser.loaded)

    @app.post("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_html(request: Request, text: Annotated[str, Form()] = "", published: Annotated[str, Form()] = "",
                     store: Annotated[bool, Form()] = False) -> HTMLResponse:
        return page(request, "analyse.html.j2", "analyse", None, data=analyse(text, published, store),
                    loaded=True)

    @app.post("/api/analyse", tags=["analyse"])
    def analyse_api(text: Annotated[str, Form(description="The article: plain text or HTML.")],
                    published: Annotated[str, Form(description="YYYY-MM-DD publication date (optional)")] = "",
                    store: Annotated[bool, Form(description="Store the analysis (needs --allow-writes)")] = False) -> Response:
        """Analyse one article: the JSON contract and the spans of its actors and events."""
        return _json(analyse(text, published, store))

    # -- assets and docs -----------------------------------------------------------------------

    @app.get("/static/style.css", include_in_schema=False)
    def style_css() -> Response:
        return Response(_style(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/static/vega.js", include_in_schema=False)
    def vega_js() -> Response:
        return Response(_vega_bundle(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Flashpoint API",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger/favicon-32x32.png")

    @app.get("/api/health", tags=["service"])
    def health() -> Response:
        """Whether the app is up, its version, and whether the pipeline is loaded."""
        return _json({"version": __version__, "read_only": not settings.allow_writes,
                      "pipeline_loaded": analyser.loaded})

    env.globals["safe_url"] = safe_url
    return app


def _json(data: Any) -> Response:
    """``{"ok": true, "data": ...}`` with dates as ISO strings."""
    return Response(to_json({"ok": True, "data": data}), media_type="application/json")


@cache
def _style() -> str:
    """The report's stylesheet and the dashboard's additions: one look for both."""
    from flashpoint.resources import package_file

    report = package_file("report", "templates", "style.css").read_text(encoding="utf-8")
    return report + "\n" + (STATIC / "web.css").read_text(encoding="utf-8")


def _swagger_dir() -> str:
    import swagger_ui_bundle

    return str(swagger_ui_bundle.swagger_ui_path)
