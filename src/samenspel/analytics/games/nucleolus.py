"""The nucleolus by sequential linear programs (Maschler, Peleg and Shapley 1979).

Stage k solves  min eps  s.t.  x(S) + eps >= v(S) for every coalition S still free,
x(S) = v(S) - eps_j for every coalition fixed at an earlier stage j, x(N) = v(N) and, for the
nucleolus proper, x_i >= v({i}). After each stage the coalitions whose constraint has a strictly
positive dual price are fixed: by complementary slackness they are tight in *every* optimal
solution. Fixing every coalition that merely happens to be tight at the solver's solution is the
classic mistake that returns a wrong point when the LP has ties (Guajardo and Jörnsten 2015,
"Common mistakes in computing the nucleolus", EJOR 241). Coalitions whose indicator vector lies in
the span of the fixed ones have a determined excess and leave the LP. The procedure stops when the
fixed coalitions span R^n; then x is unique.

Each LP is solved by constraint generation: a small working set of coalitions is solved with HiGHS,
the excess of every free coalition is computed in O(2^n) with NumPy, and the most violated ones are
added until none is violated. The duals of the working set are then duals of the full LP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import linprog

from .game import FloatArray, Game, GameError, coalition_sums

TOL = 1e-9


@dataclass(frozen=True)
class NucleolusResult:
    x: FloatArray
    levels: list[float] = field(default_factory=list)
    """The excess level eps_k fixed at each stage; ``levels[0]`` is the least-core epsilon."""
    stages: int = 0
    lp_solves: int = 0


def _indicator_rows(masks: np.ndarray, n: int) -> np.ndarray:
    return ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(float)


def _in_span_flags(fixed: np.ndarray, n: int) -> np.ndarray:
    """For every coalition mask: is its indicator vector in the row space of ``fixed``?"""
    basis = null_space(fixed)  # n x (n - rank)
    if basis.shape[1] == 0:
        return np.ones(1 << n, dtype=bool)
    residual = np.zeros(1 << n)
    for column in basis.T:
        residual = np.maximum(residual, np.abs(coalition_sums(column)))
    return residual < 1e-7


def nucleolus(game: Game, *, pre: bool = False) -> NucleolusResult:
    """The nucleolus (``pre=True``: the prenucleolus, without individual rationality).

    Raises GameError when the imputation set is empty (v(N) < sum of v({i})).
    """
    n, v = game.n, game.values
    grand = game.grand
    singles = np.array([v[1 << i] for i in range(n)])
    if not pre and v[grand] < singles.sum() - TOL:
        raise GameError(
            "the imputation set is empty: the parties are better off alone "
            f"(v(N) = {v[grand]:.6g} < sum of individual values {singles.sum():.6g})"
        )
    if n == 1:
        return NucleolusResult(np.array([v[grand]]), [], 0, 0)
    bounds: list[tuple[float | None, None]] = (
        [(None, None)] * n if pre else [(float(s), None) for s in singles]
    )
    bounds.append((None, None))  # eps

    fixed_masks: list[int] = [grand]
    fixed_rhs: list[float] = [float(v[grand])]
    free = np.ones(1 << n, dtype=bool)
    free[0] = free[grand] = False
    levels: list[float] = []
    lp_solves = 0
    x = np.full(n, v[grand] / n)
    working: set[int] = {1 << i for i in range(n)} | {grand ^ (1 << i) for i in range(n)}

    while True:
        working = {m for m in working if free[m]}
        if not working:
            candidates = np.flatnonzero(free)
            if len(candidates) == 0:
                break
            working = {int(m) for m in candidates[: 2 * n]}
        eq_rows = _indicator_rows(np.array(fixed_masks), n)
        a_eq = np.hstack([eq_rows, np.zeros((len(fixed_masks), 1))])
        while True:
            masks = np.array(sorted(working))
            rows = _indicator_rows(masks, n)
            a_ub = np.hstack([-rows, -np.ones((len(masks), 1))])
            b_ub = -v[masks]
            result = linprog(
                c=np.r_[np.zeros(n), 1.0],
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=np.array(fixed_rhs),
                bounds=bounds,
                method="highs",
            )
            lp_solves += 1
            if result.status != 0:
                raise GameError(f"the nucleolus LP failed: {result.message}")
            x, eps = result.x[:n], float(result.x[n])
            excess = v - coalition_sums(x)
            violation = np.where(free, excess - eps, -np.inf)
            violated = np.flatnonzero(violation > 1e-9 * max(1.0, abs(eps)))
            if len(violated) == 0:
                break
            worst = violated[np.argsort(-violation[violated])[: max(4 * n, 64)]]
            working.update(int(m) for m in worst)
        levels.append(eps)
        duals = -np.asarray(result.ineqlin.marginals)
        newly = [int(m) for m, y in zip(masks, duals, strict=True) if y > TOL]
        if not newly:  # numerical safety net: fix the most binding free coalition
            newly = [int(masks[int(np.argmax(duals))])]
        for mask in newly:
            fixed_masks.append(mask)
            fixed_rhs.append(float(v[mask] - eps))
        fixed = _indicator_rows(np.array(fixed_masks), n)
        free &= ~_in_span_flags(fixed, n)
        if np.linalg.matrix_rank(fixed) == n or not free.any():
            break

    fixed = _indicator_rows(np.array(fixed_masks), n)
    if np.linalg.matrix_rank(fixed) == n:
        x = np.linalg.lstsq(fixed, np.array(fixed_rhs), rcond=None)[0]
    return NucleolusResult(x, levels, len(levels), lp_solves)
