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
