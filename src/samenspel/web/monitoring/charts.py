"""Server-rendered SVG charts for the regiobeeld (no JavaScript, no external assets)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BLUE, ORANGE, GREY = "#0b5c8e", "#d05a1f", "#9aa5b1"


def _fmt(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}".replace(",", " ")


def bar_chart(
    rows: Sequence[tuple[str, float | None]], title: str, *, decimals: int = 0, unit: str = ""
) -> str:
    """Horizontal bars; a suppressed value (None) is drawn as a grey stub marked '<'."""
    if not rows:
        return ""
    label_w, bar_w, row_h = 230, 420, 24
    top = max([1e-9, *[v for _, v in rows if v is not None]])
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
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="6" height="14" fill="{GREY}"/>'
                f'<text x="{label_w + 12}" y="{y + 15}" font-size="12" fill="#55606e">'
                "suppressed</text>"
            )
            continue
        width = max(1.0, value / top * bar_w)
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="14" '
            f'fill="{BLUE}"><title>{escape(label)}: {_fmt(value, decimals)}{unit}'
            f"</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + width + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{_fmt(value, decimals)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def pyramid_chart(
    bands: Sequence[str],
    women: dict[str, float | None],
    men: dict[str, float | None],
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
        for side, values, colour in ((-1, women, ORANGE), (1, men, BLUE)):
            value = values.get(band)
            if value is None:
                stub = half - 6 if side < 0 else half + mid_w
                parts.append(
                    f'<rect x="{stub}" y="{y + 3}" width="6" height="12" fill="{GREY}">'
                    f"<title>{escape(band)}: suppressed</title></rect>"
                )
                continue
            width = value / top * (half - 10)
            x = half - width if side < 0 else half + mid_w
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="12" '
                f'fill="{colour}"><title>{escape(band)}: {_fmt(value)}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)


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
    colours = (BLUE, ORANGE, "#1e7a3c", "#7b3fa0")
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
                f"<title>{years[i]}: {_fmt(v, 1)}{escape(unit)}</title></circle>"
                f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="11" text-anchor="middle">'
                f"{_fmt(v, 1 if abs(v) < 100 else 0)}</text>"
            )
            parts.append(
                f'<text x="{x:.1f}" y="{panel_h + 30}" font-size="11" '
                f'text-anchor="middle">{years[i]}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
