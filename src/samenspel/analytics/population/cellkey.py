"""The cell-key method: figures that stay the same for the same persons in every release.

Every person carries a record key: a number from 0 to ``KEY_SPACE`` taken from a keyed hash
(MD5) of a secret and the person's id. The secret is the installation's, never published, so
no outsider can compute a key; the same secret gives the same key in every run, year,
programme and data version.

A cell's key is the sum of its records' keys modulo ``KEY_SPACE``: the same records give the
same cell key. A published count is the true count plus a small deviation that is a fixed
function of the cell key and the count (the perturbation table below), at most ``MAX_NOISE``
either way, and never below one for a row that exists. So:

- the same persons give the same published number in every release: asking again, or
  combining overlapping programmes, averages nothing away;
- two releases that differ by a person differ in that cell by the person plus two unrelated
  deviations: a difference of noise, not a person;
- small counts are published (perturbed) instead of hidden, so small areas keep their figures.

The region's rows are the sums of the municipalities' published rows, so the identity between
them holds in what is published and tells an outsider nothing more; their stated accuracy is
``MAX_NOISE`` times the number of municipality rows summed.

This is the method of Statistics Netherlands (CBS) and the Australian Bureau of Statistics
(ABS TableBuilder); the perturbation table here is a simple one of our own (see
``WEIGHTS``).
"""

from __future__ import annotations

from typing import Any, cast

import ibis
import numpy as np
import pandas as pd

KEY_BITS = 28
KEY_SPACE = 1 << KEY_BITS
HEX_DIGITS = KEY_BITS // 4
MAX_NOISE = 2  # the stated accuracy of every perturbed count: ± 2
# The deviation of a count of at least three: -2 … +2 with these weights (mean 0, variance
# 1.2). A smaller count keeps the deviations that leave it at least one, weights renormalised.
WEIGHTS = {-2: 1, -1: 2, 0: 4, 1: 2, 2: 1}
COST_NOISE = 0.25  # a cost of one person moves by at most 25%, of n persons by 25% / √n
COST_PLACE = 7  # the cost draws after every count of its row
# Each column of a row draws its deviation at its own place on the key's circle, so the persons
# and the events of one row deviate independently.
_GOLDEN = (5**0.5 - 1) / 2


def record_key(person_id: Any, secret: str) -> Any:
    """The record key of ``person_id`` (an Ibis string column), in [0, KEY_SPACE).

    The first seven hexadecimal digits of MD5(secret, ":", id), read as a number: the same
    on DuckDB and Spark."""
    digest = (ibis.literal(f"{secret}:") + person_id.cast("string")).hexdigest("md5")
    hexes = ibis.literal("0123456789abcdef")
    value: Any = ibis.literal(0, "int64")
    for i in range(HEX_DIGITS):
        value = value * 16 + hexes.find(digest.substr(i, 1)).cast("int64")
    return value


def deviation(count: int, key: float) -> int:
    """The deviation of a count from the perturbation table, for a key in [0, 1)."""
    if count <= 0:
        return 0  # nothing to perturb: a zero stays zero
    allowed = [(d, w) for d, w in WEIGHTS.items() if count + d >= 1]
    total = sum(w for _d, w in allowed)
    point = key * total
    for d, w in allowed:
        if point < w:
            return d
        point -= w
    return allowed[-1][0]


def _draw(keys: pd.Series, place: int) -> np.ndarray:
    """Each cell's key in [0, 1), at a column's own place on the key's circle. The modulo is
    taken on the whole key sums, before any conversion to floats."""
    fraction = (keys.to_numpy(dtype="int64") % KEY_SPACE) / KEY_SPACE
    return cast("np.ndarray", np.mod(fraction + place * _GOLDEN, 1.0))


def perturb(counts: pd.Series, keys: pd.Series, column: int = 0) -> pd.Series:
    """Each count plus its deviation; ``keys`` are the cells' key sums, ``column`` the
    column's place in its row (so each column draws its own deviation)."""
    shifted = _draw(keys, column)
    values = counts.to_numpy(dtype="int64")
    out = [v + deviation(int(v), float(k)) for v, k in zip(values, shifted, strict=True)]
    return pd.Series(out, index=counts.index, dtype="int64")


def perturb_cost(cost: pd.Series, keys: pd.Series, persons: pd.Series) -> pd.Series:
    """Each cost times (1 + e), e uniform in ± COST_NOISE / √persons by the cell key, in whole
    euros: a person's cost alone moves by up to a quarter, a large group's total by little."""
    u = _draw(keys, COST_PLACE)
    spread = cost_spread(persons.to_numpy(dtype="float64"))
    moved = cost.to_numpy(dtype="float64") * (1 + spread * (2 * u - 1))
    # whole euros: sums of the same costs added in another order then publish the same number
    return pd.Series(np.round(moved), index=cost.index)


def cost_spread(persons: np.ndarray) -> np.ndarray:
    """The stated relative accuracy of a cost of ``persons`` persons."""
    return cast("np.ndarray", COST_NOISE / np.sqrt(np.maximum(persons, 1.0)))
