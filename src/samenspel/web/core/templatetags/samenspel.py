"""Small template helpers."""

from typing import Any

from django import template

from samenspel.analytics.population.municipalities import name_of

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
