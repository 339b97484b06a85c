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

from .game import MAX_EXACT_PLAYERS, FloatArray, Game, GameError, coalition_sums

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


def _interchangeable(v: np.ndarray, n: int, i: int, j: int, scale: float) -> bool:
    """Whether players i < j are symmetric: v(S + i) = v(S + j) for every S without both."""
    view = v.reshape(1 << (n - j - 1), 2, 1 << (j - i - 1), 2, 1 << i)
    return bool(np.allclose(view[:, 0, :, 1, :], view[:, 1, :, 0, :], rtol=0, atol=1e-12 * scale))


def symmetry_classes(game: Game) -> list[list[int]]:
    """The players grouped into classes of mutually symmetric ones (an equivalence relation).

    A random sample of coalitions rejects most pairs before the full comparison."""
    n, v = game.n, game.values
    scale = max(1.0, float(np.max(np.abs(v))))
    rng = np.random.default_rng(0)
    sample = rng.integers(0, 1 << n, size=64)
    classes: list[list[int]] = []
    for j in range(n):
        for members in classes:
            i = members[0]
            others = sample & ~((1 << i) | (1 << j))
            if np.allclose(v[others | 1 << i], v[others | 1 << j], rtol=0, atol=1e-12 * scale) and (
                _interchangeable(v, n, i, j, scale)
            ):
                members.append(j)
                break
        else:
            classes.append([j])
    return classes


def nucleolus(game: Game, *, pre: bool = False) -> NucleolusResult:
    """The nucleolus (``pre=True``: the prenucleolus, without individual rationality).

    Raises GameError when the imputation set is empty (v(N) < sum of v({i})).
    """
    n, v = game.n, game.values
    if n > MAX_EXACT_PLAYERS:
        raise GameError(f"the nucleolus needs at most {MAX_EXACT_PLAYERS} players, got {n}")
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
    # Symmetric players get equal shares in the nucleolus, so x_i = x_j can be imposed from the
    # start: the lexicographic minimum is the same, found in fewer stages.
    symmetric = np.array(
        [np.eye(n)[c[0]] - np.eye(n)[k] for c in symmetry_classes(game) for k in c[1:]]
    ).reshape(-1, n)
    free = np.ones(1 << n, dtype=bool)
    free[0] = free[grand] = False
    levels: list[float] = []
    lp_solves = 0
    x = np.full(n, v[grand] / n)
    working: set[int] = {1 << i for i in range(n)} | {grand ^ (1 << i) for i in range(n)}

    batch = max(16 * n, 256)
    while True:
        working = {m for m in working if free[m]}
        if len(working) > batch:  # keep the next stage's LP small: the most nearly binding
            kept = np.array(sorted(working))
            excess_now = v[kept] - coalition_sums(x)[kept]
            working = {int(m) for m in kept[np.argsort(-excess_now)[:batch]]}
        if not working:
            candidates = np.flatnonzero(free)
            if len(candidates) == 0:
                break
            working = {int(m) for m in candidates[: 2 * n]}
        eq_rows = np.vstack([_indicator_rows(np.array(fixed_masks), n), symmetric])
        a_eq = np.hstack([eq_rows, np.zeros((len(eq_rows), 1))])
        b_eq = np.r_[fixed_rhs, np.zeros(len(symmetric))]
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
                b_eq=b_eq,
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
            worst = violated[np.argsort(-violation[violated])[:batch]]
            working.update(int(m) for m in worst)
        levels.append(eps)
        duals = -np.asarray(result.ineqlin.marginals)
        newly = [int(m) for m, y in zip(masks, duals, strict=True) if y > TOL]
        if not newly:  # numerical safety net: fix the most binding free coalition
            newly = [int(masks[int(np.argmax(duals))])]
        for mask in newly:
            fixed_masks.append(mask)
            fixed_rhs.append(float(v[mask] - eps))
        fixed = np.vstack([_indicator_rows(np.array(fixed_masks), n), symmetric])
        free &= ~_in_span_flags(fixed, n)
        if np.linalg.matrix_rank(fixed) == n or not free.any():
            break

    fixed = np.vstack([_indicator_rows(np.array(fixed_masks), n), symmetric])
    if np.linalg.matrix_rank(fixed) == n:
        rhs = np.r_[fixed_rhs, np.zeros(len(symmetric))]
        x = np.linalg.lstsq(fixed, rhs, rcond=None)[0]
    return NucleolusResult(x, levels, len(levels), lp_solves)
