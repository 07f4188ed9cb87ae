"""What the HTML report and the web dashboard share to show article text safely.

Every piece of article text (titles, quotes, actor names, URLs) goes through Jinja2's
autoescape or through :func:`highlight`, which escapes each piece of text it cuts; a link is
rendered only for an ``http(s)`` URL (:func:`safe_url`), so a ``javascript:`` URL in a stored
article stays text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

ROLE_CLASS = {"trigger": "hl-trigger", "source": "hl-source", "target": "hl-target", "actor": "hl-actor"}


def safe_url(url: Any) -> str | None:
    """The URL when it is an absolute http(s) URL with a host, else None (no link is drawn)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\r\n\t"):
        return None
    return url


def highlight(text: str, spans: Iterable[dict[str, Any]]) -> Markup:
    """``text`` escaped, with each span (``start``, ``end``, ``role``, ``code``) wrapped in a
    ``<mark>``; overlapping spans: the earlier (then the longer) one wins."""
    chosen: list[tuple[int, int, dict[str, Any]]] = []
    for span in sorted(spans, key=lambda s: (s["start"], -(s["end"] - s["start"]))):
        start, end = max(0, int(span["start"])), min(len(text), int(span["end"]))
        if start >= end or any(start < e and s < end for s, e, _ in chosen):
            continue
        chosen.append((start, end, span))
    out: list[str] = []
    at = 0
    for start, end, span in sorted(chosen, key=lambda c: c[0]):
        out.append(str(escape(text[at:start])))
        role = span.get("role", "actor")
        title = f"{role}: {span.get('code') or ''}".strip(": ")
        out.append(f'<mark class="{ROLE_CLASS.get(role, "hl-actor")}" title="{escape(title)}">'
                   f"{escape(text[start:end])}</mark>")
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(value: Any) -> str:
    """JSON text of analysis rows (dates as ISO strings)."""
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def script_json(value: Any) -> Markup:
    """JSON safe inside a ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped as
    unicode, so article text cannot close the element."""
    text = to_json(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def number(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def environment(package: str) -> jinja2.Environment:
    """A Jinja2 environment over ``package``'s templates, autoescaping every template."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(safe_url=safe_url, highlight=highlight, number=number, script_json=script_json)
    return env
