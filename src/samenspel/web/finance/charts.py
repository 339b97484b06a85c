"""Small server-rendered SVG charts (no JavaScript, no external assets)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _amount(value: float) -> str:
    """A whole amount grouped as the reader's language writes it (1.968 in Dutch)."""
    return number_format(round(value), decimal_pos=0, force_grouping=True)


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wrong_pocket_svg(rows: Sequence[tuple[str, float, float, float]], title: str) -> str:
    """Per party: what it invests (left, orange), what it saves (right, blue), and its net (dot).

    ``rows`` are (party, invests, saves, net) in present value.
    """
    if not rows:
        return ""
    label_w, bar_w, row_h, top = 300, 520, 34, 30
    extent = max([1.0, *[max(r[1], r[2], abs(r[3])) for r in rows]])
    mid = label_w + bar_w / 2
    scale = (bar_w / 2 - 10) / extent
    height = top + row_h * len(rows) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {label_w + bar_w + 90} '
        f'{height}" class="chart"><title>{escape(title)}</title>',
        f'<line x1="{mid}" y1="{top - 8}" x2="{mid}" y2="{height - 20}" stroke="#55606e"/>',
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
                f'<rect x="{mid - w:.1f}" y="{y + 6}" width="{w:.1f}" height="20" fill="#d05a1f">'
                f"<title>{escape(party)}: {_amount(invests)}</title></rect>"
            )
        if saves:
            w = saves * scale
            parts.append(
                f'<rect x="{mid:.1f}" y="{y + 6}" width="{w:.1f}" height="20" fill="#0b5c8e">'
                f"<title>{escape(party)}: {_amount(saves)}</title></rect>"
            )
        cx = mid + net * scale
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{y + 16}" r="6" fill="#fff" stroke="#1d2733" '
            f'stroke-width="2"><title>{escape(_("net"))} {_amount(net)}</title></circle>'
        )
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 20}" font-size="13">{_amount(net)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
