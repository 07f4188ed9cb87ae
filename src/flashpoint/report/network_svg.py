"""The signed actor network as an SVG drawing, with a simple deterministic layout.

With two or more blocs of several actors (from :mod:`flashpoint.analysis.network`) the two largest
are arcs of their own, the first on the left, the second on the right, the other actors in the
middle; otherwise the actors sit on one circle in alphabetical order, tinted by bloc. Positive edges (cooperation outweighs
conflict) are green and solid, negative ones red and dashed; the wider, the heavier. The same
input always gives the same drawing, so two reports of one store can be compared by eye.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import escape

WIDTH, HEIGHT = 860, 620
POSITIVE, NEGATIVE = "#2f9e44", "#c92a2a"
BLOC_FILLS = ("#d0ebff", "#ffe3e3", "#fff3bf", "#e5dbff", "#d3f9d8")


def _column(nodes: Sequence[str], cx: float, bulge: float) -> dict[str, tuple[float, float]]:
    """Nodes on a vertical arc centred at x = cx, bulging outwards by ``bulge``."""
    n = len(nodes)
    out = {}
    for i, node in enumerate(nodes):
        t = (i + 1) / (n + 1)
        y = 40 + t * (HEIGHT - 80)
        out[node] = (cx + bulge * math.sin(math.pi * t), y)
    return out


def layout(nodes: Sequence[str], blocs: Sequence[Sequence[str]] | None) -> dict[str, tuple[float, float]]:
    """Positions of the nodes: blocs on the sides, else one circle."""
    nodes = sorted(set(nodes))
    blocs = sorted((b for b in blocs or () if len(b) > 1), key=lambda b: (-len(b), sorted(b)))
    if len(blocs) >= 2:
        placed: dict[str, tuple[float, float]] = {}
        members = [sorted(n for n in bloc if n in nodes) for bloc in blocs]
        left, right = members[0], members[1] if len(members) > 1 else []
        rest = sorted(set(nodes) - set(left) - set(right))
        placed.update(_column(left, WIDTH * 0.2, -60))
        placed.update(_column(right, WIDTH * 0.8, 60))
        # the other actors in two staggered columns, so that neither nodes nor labels touch
        middle = _column(rest, WIDTH * 0.5, 0)
        placed.update({n: (WIDTH * (0.43 if i % 2 else 0.57), y) for i, (n, (_, y)) in enumerate(middle.items())})
        return placed
    n = max(len(nodes), 1)
    r = min(WIDTH, HEIGHT) / 2 - 70
    return {node: (WIDTH / 2 + r * math.cos(2 * math.pi * i / n - math.pi / 2),
                   HEIGHT / 2 + r * math.sin(2 * math.pi * i / n - math.pi / 2)) for i, node in enumerate(nodes)}


def network_svg(edges: Sequence[dict[str, Any]], blocs: Sequence[Sequence[str]] | None = None,
                href: Callable[[str], str | None] | None = None, title: str = "Signed actor network") -> str:
    """The drawing as one ``<svg>`` element; ``href(code)`` may link each actor somewhere."""
    nodes = sorted({e["a"] for e in edges} | {e["b"] for e in edges})
    blocs = sorted((b for b in blocs or () if len(b) > 1), key=lambda b: (-len(b), sorted(b)))
    pos = layout(nodes, blocs)
    bloc_of = {n: i for i, bloc in enumerate(blocs) for n in bloc}
    heaviest = max((abs(e["weight"]) for e in edges), default=1.0) or 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}"><title>{escape(title)}</title>',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>']
    if len(blocs) >= 2:
        for i, x in enumerate((WIDTH * 0.2, WIDTH * 0.8)[: len(blocs)]):
            parts.append(f'<text x="{x:.0f}" y="22" text-anchor="middle" font-size="13" font-weight="bold" '
                         f'fill="#495057">bloc {i + 1}</text>')
    for e in sorted(edges, key=lambda e: (abs(e["weight"]), e["a"], e["b"])):
        (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
        width = 1 + 5 * math.sqrt(abs(e["weight"]) / heaviest)
        colour, dash = (POSITIVE, "") if e["sign"] > 0 else (NEGATIVE, ' stroke-dasharray="7 4"')
        label = f'{e["a"]}–{e["b"]}: weight {e["weight"]:+.1f}, {e["incidents"]} incidents'
        parts.append(f'<line class="edge {"positive" if e["sign"] > 0 else "negative"}" x1="{x1:.1f}" y1="{y1:.1f}" '
                     f'x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="{width:.1f}"{dash} '
                     f'stroke-opacity="0.8"><title>{escape(label)}</title></line>')
    radius = max(4.0, min(9.0, 900 / max(len(nodes), 1)))
    for node in nodes:
        x, y = pos[node]
        fill = BLOC_FILLS[bloc_of[node] % len(BLOC_FILLS)] if node in bloc_of else "#dee2e6"
        # the label sits outside the drawing's centre, so labels never cover the edges' middle
        dx, dy = x - WIDTH / 2, y - HEIGHT / 2
        norm = math.hypot(dx, dy) or 1.0
        lx, ly = x + dx / norm * (radius + 4), y + dy / norm * (radius + 4) + 4
        anchor = "start" if dx > 1 else "end" if dx < -1 else "middle"
        circle = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" stroke="#495057"/>'
                  f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="11" '
                  f'font-family="sans-serif" fill="#212529">{escape(node)}</text>')
        link = href(node) if href else None
        if link:
            circle = f'<a href="{escape(link)}" class="node">{circle}</a>'
        parts.append(f'<g class="node-group">{circle}</g>')
    if not nodes:
        parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="#868e96">'
                     "no dyad with a signed weight under these filters</text>")
    parts.append("</svg>")
    return "".join(parts)
