"""Trust and value as partners perceive them (PARTNER-style items, each rated 1-4).

Trust: reliability, support of the shared mission, openness to discussion.
Value: influence, level of involvement, resource contribution.
A node's score is the mean over the ratings others gave it (each rating's three items averaged),
shown only when at least ``min_respondents`` different respondents rated it; self-ratings and,
for groups such as organisations, ratings from inside the same group are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Rating:
    respondent: str
    target: str
    trust: tuple[int, int, int]
    value: tuple[int, int, int]


@dataclass(frozen=True)
class Score:
    trust: float | None
    value: float | None
    respondents: int
    suppressed: bool


def scores(
    ratings: Iterable[Rating],
    *,
    min_respondents: int = 3,
    group_of: Mapping[str, str] | None = None,
) -> dict[str, Score]:
    """Scores per rated node, or per group when ``group_of`` maps nodes to groups."""
    sums: dict[str, list[float]] = {}
    raters: dict[str, set[str]] = {}
    for r in ratings:
        for item in (*r.trust, *r.value):
            if not 1 <= item <= 4:
                raise ValueError(f"rating by {r.respondent} of {r.target}: items run from 1 to 4")
        if r.respondent == r.target:
            continue
        key = group_of[r.target] if group_of is not None else r.target
        if group_of is not None and group_of.get(r.respondent) == key:
            continue
        acc = sums.setdefault(key, [0.0, 0.0, 0.0])
        acc[0] += sum(r.trust) / 3
        acc[1] += sum(r.value) / 3
        acc[2] += 1
        raters.setdefault(key, set()).add(r.respondent)
    result = {}
    for key, (trust, value, count) in sums.items():
        enough = len(raters[key]) >= min_respondents
        result[key] = Score(
            trust=trust / count if enough else None,
            value=value / count if enough else None,
            respondents=len(raters[key]),
            suppressed=not enough,
        )
    return result
