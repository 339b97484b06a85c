"""Every chart of the product as server-rendered SVG (no JavaScript, no external assets), with
one palette; numbers are written as ``numbers`` writes them (the reader's language).

The network map is laid out by igraph (Fruchterman–Reingold, fixed seed).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from html import escape

import igraph as ig
from django.utils.translation import gettext as _

from samenspel.analytics.network import Network
from samenspel.web.core.numbers import money, number

# Categories in this order; blue and orange also mean "saves" and "pays" everywhere.
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
SAVING, COST = PALETTE[0], PALETTE[1]
INK, MUTED, GRID = "#1d2733", "#55606e", "#9aa5b1"


def network_layout(network: Network) -> list[tuple[float, float]]:
    """Fruchterman-Reingold positions of the nodes in ``network.ids`` order, the same on every
    call (the static map and the explorer agree)."""
    ids = network.ids
    index = {n: i for i, n in enumerate(ids)}
    graph = ig.Graph(
        n=len(ids), edges=[(index[t.source], index[t.target]) for t in network.undirected().ties]
    )
    # start from a fixed random spread over a square of side sqrt(n), as igraph itself does: a
    # unit square crowds igraph's grid and made 2,000 nodes take 7 s instead of 0.25 s
    rng, side = random.Random(7), math.sqrt(len(ids))
    seed = [((rng.random() - 0.5) * side, (rng.random() - 0.5) * side) for _ in ids]
    layout = graph.layout_fruchterman_reingold(niter=500, seed=seed)
    return [(float(x), float(y)) for x, y in layout.coords]


def network_svg(
    network: Network, names: dict[str, str], colour_by: str, labels: dict[str, str], title: str
) -> tuple[str, list[tuple[str, str]]]:
    """The map and its legend (colour, label)."""
    ids = network.ids
    if not ids:
        return "", []
    undirected = network.undirected()
    index = {n: i for i, n in enumerate(ids)}
    xs, ys = zip(*network_layout(network), strict=True)
    width, height, pad = 900, 560, 30
    left, top = min(xs), min(ys)
    span_x = (max(xs) - left) or 1.0
    span_y = (max(ys) - top) or 1.0

    def point(i: int) -> tuple[float, float]:
        return (
            pad + (xs[i] - left) / span_x * (width - 2 * pad),
            pad + (ys[i] - top) / span_y * (height - 2 * pad),
        )

    values = {n: network.nodes[n].get(colour_by, "") for n in ids}
    categories = sorted(set(values.values()))
    colour = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(categories)}
    degree = [0] * len(ids)
    for tie in undirected.ties:
        degree[index[tie.source]] += 1
        degree[index[tie.target]] += 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart network"><title>{escape(title)}</title>'
    ]
    for tie in undirected.ties:
        (x1, y1), (x2, y2) = point(index[tie.source]), point(index[tie.target])
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{GRID}" stroke-opacity="0.55" stroke-width="1"/>'
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


def _natural_width(svg: str) -> str:
    """The chart at its drawn size (``width`` from its viewBox): pages shrink it to fit, but a
    phone scrolls it sideways instead, so its text stays at 11 px or more."""
    return re.sub(
        r'<svg ([^>]*?)viewBox="0 0 ([\d.]+) ([\d.]+)"',
        r'<svg \1width="\2" viewBox="0 0 \2 \3"',
        svg,
        count=1,
    )


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wrong_pocket_svg(
    rows: Sequence[tuple[str, float, float, float]], title: str, unit: str = "euro"
) -> str:
    """Per party: what it invests (left, orange), what it saves (right, blue), and its net (dot).

    ``rows`` are (party, invests, saves, net) in present value, in ``unit``.
    """
    if not rows:
        return ""
    label_w, bar_w, row_h, top = 300, 520, 34, 30
    right = 130
    extent = max([1.0, *[max(r[1], r[2], abs(r[3])) for r in rows]])
    mid = label_w + bar_w / 2
    scale = (bar_w / 2 - 10) / extent
    height = top + row_h * len(rows) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {label_w + bar_w + right} {height}" class="chart">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{mid}" y1="{top - 8}" x2="{mid}" y2="{height - 20}" stroke="{MUTED}"/>',
    ]
    for i, (party, invests, saves, net) in enumerate(rows):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 20}" text-anchor="end" font-size="14">'
            f"{escape(_short(party))}</text>"
        )
        if invests:
            w = invests * scale
            parts.append(
                f'<rect x="{mid - w:.1f}" y="{y + 6}" width="{w:.1f}" height="20" fill="{COST}">'
                f"<title>{escape(party)}: {money(invests, unit)}</title></rect>"
            )
        if saves:
            w = saves * scale
            parts.append(
                f'<rect x="{mid:.1f}" y="{y + 6}" width="{w:.1f}" height="20" fill="{SAVING}">'
                f"<title>{escape(party)}: {money(saves, unit)}</title></rect>"
            )
        cx = mid + net * scale
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{y + 16}" r="6" fill="#fff" stroke="{INK}" '
            f'stroke-width="2"><title>{escape(_("net"))} {money(net, unit)}</title></circle>'
        )
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 20}" font-size="13">'
            f"{escape(money(net, unit))}</text>"
        )
    parts.append("</svg>")
    return _natural_width("".join(parts))


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    title: str,
    *,
    decimals: int = 0,
    unit: str = "",
    intervals: Sequence[tuple[float, float] | None] | None = None,
    as_money: bool = False,
) -> str:
    """Horizontal bars; a suppressed value (None) is drawn as a grey stub. ``as_money`` writes
    the values as amounts in euros (€ 2.009).

    ``intervals`` (one per row, or None) are drawn as whiskers: a 95% interval, say.
    """
    if not rows:
        return ""

    def text(value: float) -> str:
        return money(value) if as_money else f"{number(value, decimals)}{unit}"

    label_w, bar_w, row_h = 230, 420, 24
    whiskers = list(intervals) if intervals else [None] * len(rows)
    top = max([1e-9, *[v for _, v in rows if v is not None], *[w[1] for w in whiskers if w]])
    height = row_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 110} '
        f'{height}" role="img" class="chart"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
        )
        if value is None:
            hidden = escape(_("hidden"))  # outside the f-string, where makemessages finds it
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="6" height="14" fill="{GRID}"/>'
                f'<text x="{label_w + 12}" y="{y + 15}" font-size="12" fill="{MUTED}">'
                f"{hidden}</text>"
            )
            continue
        width = max(1.0, value / top * bar_w)
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="14" '
            f'fill="{SAVING}"><title>{escape(label)}: {escape(text(value))}</title></rect>'
        )
        end = label_w + width
        whisker = whiskers[i]
        if whisker:
            low, high = whisker
            x1, x2 = label_w + low / top * bar_w, label_w + high / top * bar_w
            parts.append(
                f'<path d="M{x1:.1f} {y + 11}H{x2:.1f}M{x1:.1f} {y + 6}V{y + 16}'
                f'M{x2:.1f} {y + 6}V{y + 16}" stroke="{INK}" stroke-width="1.3" fill="none">'
                f"<title>95%: {number(low, decimals)}–{number(high, decimals)}</title></path>"
            )
            end = max(end, x2)
        parts.append(
            f'<text x="{end + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{escape(text(value))}</text>"
        )
    parts.append("</svg>")
    return _natural_width("".join(parts))


def pyramid_chart(
    bands: Sequence[str],
    women: Mapping[str, float | None],
    men: Mapping[str, float | None],
    title: str,
    labels: tuple[str, str],
) -> str:
    """Age pyramid: women to the left, men to the right, youngest at the bottom."""
    half, row_h, mid_w = 260, 18, 70
    top = max([1e-9, *[v for v in (*women.values(), *men.values()) if v]])
    height = row_h * len(bands) + 30
    centre = half + mid_w / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {2 * half + mid_w} '
        f'{height}" role="img" class="chart"><title>{escape(title)}</title>',
        f'<text x="{half - 4}" y="12" text-anchor="end" font-size="12">{escape(labels[0])}'
        f'</text><text x="{half + mid_w + 4}" y="12" font-size="12">{escape(labels[1])}</text>',
    ]
    for i, band in enumerate(reversed(bands)):
        y = 20 + i * row_h
        parts.append(
            f'<text x="{centre}" y="{y + 12}" text-anchor="middle" font-size="11">'
            f"{escape(band)}</text>"
        )
        for side, values, colour in ((-1, women, PALETTE[1]), (1, men, PALETTE[0])):
            value = values.get(band)
            if value is None:
                stub = half - 6 if side < 0 else half + mid_w
                hidden = escape(_("hidden"))
                parts.append(
                    f'<rect x="{stub}" y="{y + 3}" width="6" height="12" fill="{GRID}">'
                    f"<title>{escape(band)}: {hidden}</title></rect>"
                )
                continue
            width = value / top * (half - 10)
            x = half - width if side < 0 else half + mid_w
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="12" '
                f'fill="{colour}"><title>{escape(band)}: {number(value)}</title></rect>'
            )
    parts.append("</svg>")
    return _natural_width("".join(parts))


def line_chart(
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    *,
    unit: str = "",
) -> str:
    """Small multiples: one line per series over the years, each on its own scale."""
    if not years or not series:
        return ""
    width, panel_h, pad = 320, 120, 36
    colours = PALETTE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width * len(series)} '
        f'{panel_h + 40}" role="img" class="chart"><title>{escape(title)}</title>'
    ]
    for k, (name, values) in enumerate(series):
        x0 = k * width
        known = [v for v in values if v is not None]
        parts.append(f'<text x="{x0 + pad}" y="14" font-size="13">{escape(name)}</text>')
        if not known:
            continue
        low, high = min(known), max(known)
        span = (high - low) or max(abs(high), 1.0)
        low -= span * 0.15
        high += span * 0.15

        def point(
            i: int, v: float, x0: int = x0, low: float = low, high: float = high
        ) -> tuple[float, float]:
            step = (width - 2 * pad) / max(1, len(years) - 1)
            return (x0 + pad + i * step, 24 + (high - v) / (high - low) * (panel_h - 20))

        points = [point(i, v) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        colour = colours[k % len(colours)]
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )
        for i, v in enumerate(values):
            if v is None:
                continue
            x, y = point(i, v)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{years[i]}: {number(v, 1)}{escape(unit)}</title></circle>"
                f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="11" text-anchor="middle">'
                f"{number(v, 1 if abs(v) < 100 else 0)}</text>"
            )
            parts.append(
                f'<text x="{x:.1f}" y="{panel_h + 30}" font-size="11" '
                f'text-anchor="middle">{years[i]}</text>'
            )
    parts.append("</svg>")
    return _natural_width("".join(parts))


def funnel_chart(
    points: Sequence[tuple[str, float, float, bool]],
    limits: Callable[[float], tuple[float, float, float, float]],
    title: str,
    *,
    x_label: str,
    y_label: str,
) -> str:
    """Funnel plot: ratio against expected size (log scale), with the limits chance allows.

    ``points`` are (name, expected, ratio, highlighted); highlighted points are labelled.
    ``limits(expected)`` gives the 99.8% low, 95% low, 95% high and 99.8% high ratio.
    """
    shown = [p for p in points if p[1] > 0]
    if not shown:
        return ""
    width, height, left, right, top, bottom = 900, 460, 64, 24, 30, 52
    xs = [math.log10(p[1]) for p in shown]
    x_min, x_max = min(xs) - 0.05, max(xs) + 0.05
    ratios = [p[2] for p in shown]
    y_min = min(0.7, min(ratios) - 0.03)
    y_max = max(1.3, max(ratios) + 0.03)

    def sx(expected: float) -> float:
        return left + (math.log10(expected) - x_min) / (x_max - x_min) * (width - left - right)

    def raw_y(ratio: float) -> float:
        return top + (y_max - ratio) / (y_max - y_min) * (height - top - bottom)

    def sy(ratio: float) -> float:
        return raw_y(min(max(ratio, y_min), y_max))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart funnel"><title>{escape(title)}</title>'
    ]
    for tick in _ticks(y_min, y_max):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy(tick):.1f}" y2="{sy(tick):.1f}" '
            f'stroke="{GRID}" stroke-opacity="0.35"/><text x="{left - 6}" y="{sy(tick) + 4:.1f}" '
            f'text-anchor="end" font-size="12">{number(tick, 1)}</text>'
        )
    for power in range(math.ceil(x_min), math.floor(x_max) + 1):
        x = left + (power - x_min) / (x_max - x_min) * (width - left - right)
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12">'
            f"{number(10**power / 1e6, 1 if power < 6 else 0)}</text>"
        )
    steps = [10 ** (x_min + (x_max - x_min) * i / 80) for i in range(81)]
    parts.append(
        f'<clipPath id="funnel-area"><rect x="{left}" y="{top}" width="{width - left - right}" '
        f'height="{height - top - bottom}"/></clipPath><g clip-path="url(#funnel-area)">'
    )
    for index, dash in ((0, "4 4"), (1, ""), (2, ""), (3, "4 4")):
        # unclipped coordinates: the clip path cuts the lines where they leave the plot
        path = " ".join(f"{sx(e):.1f},{raw_y(limits(e)[index]):.1f}" for e in steps)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{MUTED}" stroke-width="1.3"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
    parts.append("</g>")
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{sy(1):.1f}" y2="{sy(1):.1f}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    for name, expected, ratio, highlighted in sorted(shown, key=lambda p: p[3]):
        x, y = sx(expected), sy(ratio)
        colour, radius = (PALETTE[1], 6) if highlighted else (GRID, 3)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" '
            f'fill-opacity="{1 if highlighted else 0.7}"><title>{escape(name)}: '
            f"{number(ratio, 2)}</title></circle>"
        )
        if highlighted:
            parts.append(
                f'<text x="{x + 8:.1f}" y="{y - 6:.1f}" font-size="12" fill="{INK}">'
                f"{escape(_short(name, 24))}</text>"
            )
    middle = top + (height - top - bottom) / 2
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle" '
        f'font-size="12">{escape(x_label)}</text><text x="14" y="{middle}" font-size="12" '
        f'text-anchor="middle" transform="rotate(-90 14 {middle})">{escape(y_label)}</text></svg>'
    )
    return _natural_width("".join(parts))


def _ticks(low: float, high: float) -> list[float]:
    step = 0.1 if high - low <= 1.2 else 0.2
    first = math.ceil(low / step) * step
    return [round(first + i * step, 2) for i in range(int((high - first) / step) + 1)]
