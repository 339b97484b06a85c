"""Network map as SVG: layout by igraph (Fruchterman–Reingold, fixed seed), drawn server-side."""

from __future__ import annotations

import random
from html import escape

import igraph as ig

from samenspel.analytics.network import Network

PALETTE = (
    "#0b5c8e",
    "#d05a1f",
    "#1e7a3c",
    "#7b3fa0",
    "#b8860b",
    "#a4262c",
    "#2a9d8f",
    "#55606e",
    "#e377c2",
    "#17becf",
)


def network_svg(
    network: Network, names: dict[str, str], colour_by: str, labels: dict[str, str], title: str
) -> tuple[str, list[tuple[str, str]]]:
    """The map and its legend (colour, label)."""
    ids = network.ids
    if not ids:
        return "", []
    undirected = network.undirected()
    index = {n: i for i, n in enumerate(ids)}
    graph = ig.Graph(
        n=len(ids), edges=[(index[t.source], index[t.target]) for t in undirected.ties]
    )
    random.seed(7)
    layout = graph.layout_fruchterman_reingold(
        niter=500, seed=[(random.random(), random.random()) for _ in ids]
    )
    xs, ys = zip(*layout.coords, strict=True)
    width, height, pad = 900, 560, 30
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def point(i: int) -> tuple[float, float]:
        return (
            pad + (xs[i] - min(xs)) / span_x * (width - 2 * pad),
            pad + (ys[i] - min(ys)) / span_y * (height - 2 * pad),
        )

    values = {n: network.nodes[n].get(colour_by, "") for n in ids}
    categories = sorted(set(values.values()))
    colour = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(categories)}
    degree = graph.degree()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart network"><title>{escape(title)}</title>'
    ]
    for tie in undirected.ties:
        (x1, y1), (x2, y2) = point(index[tie.source]), point(index[tie.target])
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            'stroke="#9aa5b1" stroke-opacity="0.55" stroke-width="1"/>'
        )
    for n in ids:
        x, y = point(index[n])
        radius = 4 + min(10, degree[index[n]] ** 0.5 * 1.6)
        label = f"{names.get(n, n)} – {labels.get(values[n], values[n]) or '—'}"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'fill="{colour[values[n]]}" stroke="#fff" stroke-width="1.2">'
            f"<title>{escape(label)}</title></circle>"
        )
    parts.append("</svg>")
    legend = [(colour[v], labels.get(v, v) or "—") for v in categories]
    return "".join(parts), legend
