"""Trust and value as partners perceive them (PARTNER-style items, each rated 1-4).

Trust: reliability, support of the shared mission, openness to discussion.
Value: influence, level of involvement, resource contribution.
A node's score is the mean over respondents of the ratings they gave it (each rating's three
items averaged, each respondent weighing once), shown only when at least ``min_respondents``
different respondents rated it; self-ratings and, for groups such as organisations, ratings from
inside the same group are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The fewest respondents behind any score or survey figure shown to anyone; a wave may ask more.
MIN_RESPONDENTS = 3


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
    min_respondents: int = MIN_RESPONDENTS,
    group_of: Mapping[str, str] | None = None,
) -> dict[str, Score]:
    """Scores per rated node, or per group when ``group_of`` maps nodes to groups.

    Each respondent weighs once: their ratings of one node or group are averaged first, and the
    score is the mean over respondents, so someone who rates ten people of one organisation
    counts as much as someone who rates one.
    """
    if min_respondents < MIN_RESPONDENTS:
        raise ValueError(f"min_respondents: at least {MIN_RESPONDENTS}, to protect respondents")
    per: dict[str, dict[str, list[float]]] = {}
    for r in ratings:
        for item in (*r.trust, *r.value):
            if not 1 <= item <= 4:
                raise ValueError(f"rating by {r.respondent} of {r.target}: items run from 1 to 4")
        if r.respondent == r.target:
            continue
        key = group_of[r.target] if group_of is not None else r.target
        if group_of is not None and group_of.get(r.respondent) == key:
            continue
        acc = per.setdefault(key, {}).setdefault(r.respondent, [0.0, 0.0, 0])
        acc[0] += sum(r.trust) / 3
        acc[1] += sum(r.value) / 3
        acc[2] += 1
    result = {}
    for key, raters in per.items():
        enough = len(raters) >= min_respondents
        trust = sum(t / n for t, _v, n in raters.values()) / len(raters)
        value = sum(v / n for _t, v, n in raters.values()) / len(raters)
        result[key] = Score(
            trust=trust if enough else None,
            value=value if enough else None,
            respondents=len(raters),
            suppressed=not enough,
        )
    return result
