"""Small-number suppression with secondary suppression.

Primary: a count of persons from 1 up to (but not including) the threshold is suppressed, and so
is everything derived from it (events, costs and rates of that cell). Zero is shown.

Secondary: cells that add up to a published total (the municipalities of a year add up to the
region; the age bands and sexes of a municipality add up to its population; its segments too)
form a group. When a group has exactly one suppressed cell, that cell could be recovered by
subtraction, so the smallest other non-zero cell of the group is suppressed as well; this repeats
until no group has a single suppressed cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

TOTAL = "total"


def add_totals(frame: pd.DataFrame, keys: Sequence[str], sums: Sequence[str]) -> pd.DataFrame:
    """Append region rows (municipality ``total``) summing ``sums`` over municipalities."""
    if frame.empty:
        return frame
    other = [k for k in keys if k != "municipality"]
    totals = frame.groupby(other, as_index=False)[list(sums)].sum()
    totals["municipality"] = TOTAL
    combined = pd.concat([frame, totals[frame.columns]], ignore_index=True)
    return combined.sort_values(list(keys), kind="stable").reset_index(drop=True)


def primary(frame: pd.DataFrame, count: str, threshold: int) -> pd.Series:
    return (frame[count] >= 1) & (frame[count] < threshold)


def secondary(
    frame: pd.DataFrame, count: str, suppressed: pd.Series, groups: Sequence[Sequence[str]]
) -> pd.Series:
    """Extend ``suppressed`` until no group has exactly one suppressed (non-total) cell."""
    flags = suppressed.copy()
    cells = frame["municipality"] != TOTAL
    changed = True
    while changed:
        changed = False
        for keys in groups:
            within = frame[cells]
            for _key, group in within.groupby(list(keys)):
                members = list(group.index)
                hidden = [i for i in members if flags[i]]
                if len(hidden) != 1:
                    continue
                candidates = [i for i in members if not flags[i] and frame.at[i, count] > 0]
                if not candidates:
                    continue
                smallest = min(candidates, key=lambda i: (frame.at[i, count], i))
                flags[smallest] = True
                changed = True
    return flags
