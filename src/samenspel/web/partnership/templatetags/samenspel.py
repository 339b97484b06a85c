"""Small template helpers."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ dict|get:key }}``: look up a key that is itself a variable."""
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""
