"""Small template helpers."""

from typing import Any

from django import template

from samenspel.analytics.population.municipalities import name_of
from samenspel.web.core import approvals, numbers
from samenspel.web.core.selectors import demo_text

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ dict|get:key }}``: look up a key that is itself a variable."""
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""


@register.filter
def index(sequence: Any, position: int) -> Any:
    """``{{ shares|index:i }}``: the item at a position that is itself a variable."""
    try:
        return sequence[int(position)]
    except (TypeError, ValueError, IndexError, KeyError):
        return ""


@register.filter
def heat(value: Any) -> str:
    """Heatmap cell opacity 0.05–0.45 for a density 0–1 (dark text stays readable)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "0"
    return f"{0.05 + 0.4 * max(0.0, min(1.0, number)):.2f}"


@register.filter
def municipality(code: Any) -> str:
    """``{{ "GM0828"|municipality }}`` → "Oss": the CBS name of a municipality code."""
    return name_of(str(code)) if code else ""


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def money(value: Any, unit: str = "euro") -> str:
    """``{{ amount|money:agreement.amount_unit }}`` → "€ 719.000" (in euros, whatever the unit
    the amounts were entered in)."""
    return numbers.money(_number(value), unit)


@register.filter
def signed_money(value: Any, unit: str = "euro") -> str:
    """``{{ difference|signed_money }}`` → "+€ 19" or "-€ 21"."""
    return numbers.signed_money(_number(value), unit)


@register.filter
def euros(value: Any, unit: str = "euro") -> str:
    """``{{ amount|euros:agreement.amount_unit }}`` → "719.000": a table cell under a heading
    that says the amounts are in euros."""
    return numbers.euros(_number(value), unit)


@register.filter
def percent(value: Any) -> str:
    """``{{ 0.0225|percent }}`` → "2,25%" in Dutch, "2.25%" in English; "2%" for 0.02."""
    return numbers.percent(_number(value))


@register.filter
def unit(code: str) -> str:
    """``{{ agreement.amount_unit|unit }}`` → "€" or "× €1.000": how amounts are entered."""
    return numbers.unit_label(code)


@register.filter
def content(value: Any, programme: Any) -> Any:
    """``{{ programme.vision|content:programme }}``: a demo programme's text in the reader's
    language; anything users wrote stays as written."""
    return demo_text(value, programme) if programme is not None else value


@register.filter
def grouped(value: str | None) -> str:
    """A fingerprint in eight groups of eight characters."""
    return approvals.grouped(value or "")


@register.filter
def percents(values: Any) -> str:
    """``{{ (0.1, 0.3, 0.6)|percents }}`` → "10/30/60%": weights as one figure."""
    parts = [numbers.percent(_number(v)).rstrip("%") for v in values or ()]
    return "/".join(parts) + "%" if parts else ""
