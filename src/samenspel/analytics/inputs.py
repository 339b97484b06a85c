"""Checks every input file of the analytics shares: names that are unique and not empty, and
numbers that are numbers (not booleans, not NaN or Infinity)."""

from __future__ import annotations

import math
from typing import Any

MAX_AMOUNT = 1e12
"""Amounts and coalition values must lie strictly between -MAX_AMOUNT and MAX_AMOUNT: what the
web app's amount fields hold (12 digits before the decimal point), in any unit."""


def within_amount_range(value: float) -> bool:
    """True when ``value`` lies strictly within ±MAX_AMOUNT."""
    return -MAX_AMOUNT < value < MAX_AMOUNT


def is_finite_number(value: Any) -> bool:
    """True for an int or float that is finite; False for booleans, NaN, ±Infinity, text."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def unique_names(raw: Any, field: str, noun: str, error: type[ValueError]) -> list[str]:
    """``raw`` as a non-empty list of distinct, non-blank names; ``error`` names the entry."""
    if not isinstance(raw, list) or not raw:
        raise error(f"{field}: give a non-empty list of {noun} names")
    seen: set[str] = set()
    for k, name in enumerate(raw):
        if not isinstance(name, str) or not name.strip():
            raise error(f"{field}[{k}]: every {noun} needs a name (text)")
        if name in seen:
            raise error(f"{field}[{k}]: {name!r} appears twice; names must be unique")
        seen.add(name)
    return raw
