"""Small template helpers."""

from typing import Any

from django import template
from django.utils.formats import number_format

from samenspel.analytics.population.municipalities import name_of
from samenspel.web.core.charts import money as money_text
from samenspel.web.core.charts import unit_label
from samenspel.web.core.selectors import demo_text

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ dict|get:key }}``: look up a key that is itself a variable."""
    if isinstance(mapping, dict):
        return mapping.get(key, "")
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


@register.filter
def money(value: Any, unit: str = "euro") -> str:
    """``{{ amount|money:agreement.amount_unit }}`` → "€ 1.968" or "1.968 × €1.000"."""
    try:
        return money_text(None if value in (None, "") else float(value), unit)
    except (TypeError, ValueError):
        return "—"


@register.filter
def percent(value: Any) -> str:
    """``{{ 0.025|percent }}`` → "2,5%" in Dutch, "2.5%" in English; whole percents plain."""
    try:
        share = float(value) * 100
    except (TypeError, ValueError):
        return "—"
    places = 0 if abs(share - round(share)) < 1e-9 else 1
    # number_format cuts decimals off rather than rounding them
    return f"{number_format(round(share, places), decimal_pos=places)}%"


@register.filter
def unit(code: str) -> str:
    """``{{ agreement.amount_unit|unit }}`` → "€" or "× €1.000"."""
    return unit_label(code)


@register.filter
def content(value: Any, programme: Any) -> Any:
    """``{{ programme.vision|content:programme }}``: a demo programme's text in the reader's
    language; anything users wrote stays as written."""
    return demo_text(value, programme) if programme is not None else value
