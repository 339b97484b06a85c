"""The core and the least core: is an allocation stable, and how stable can any allocation be?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .game import FloatArray, Game
from .nucleolus import nucleolus

TOL = 1e-7


@dataclass(frozen=True)
class CoreCheck:
    """Whether x lies in the core: x(N) = v(N) and no coalition S gets less than v(S)."""

    in_core: bool
    efficient: bool
    max_excess: float
    """The largest v(S) - x(S) over proper coalitions; > 0 means S would do better alone."""
    blocking: tuple[str, ...]
    """The coalition with the largest excess (empty when there is none)."""


def core_check(game: Game, x: FloatArray) -> CoreCheck:
    x = np.asarray(x, dtype=float)
    excess = game.excesses(x)
    efficient = abs(float(x.sum()) - game.grand_value) <= TOL * max(1.0, abs(game.grand_value))
    proper = excess[1 : game.grand]
    if len(proper) == 0:
        return CoreCheck(efficient, efficient, 0.0, ())
    worst = int(np.argmax(proper)) + 1
    max_excess = float(proper[worst - 1])
    scale = max(1.0, float(np.max(np.abs(game.values))))
    return CoreCheck(
        in_core=efficient and max_excess <= TOL * scale,
        efficient=efficient,
        max_excess=max_excess,
        blocking=game.members(worst),
    )


def least_core(game: Game) -> tuple[float, FloatArray]:
    """The least-core epsilon and the nucleolus, a point of the least core.

    epsilon = min over efficient x of max over proper S of v(S) - x(S) (pre-imputations, as in
    Maschler, Peleg and Shapley 1979). The core is non-empty exactly when epsilon <= 0.
    """
    result = nucleolus(game, pre=True)
    epsilon = result.levels[0] if result.levels else 0.0
    return float(epsilon), result.x
