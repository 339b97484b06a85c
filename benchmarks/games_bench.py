"""Benchmark: exact Shapley value and nucleolus for n = 10, 15, 20 parties.

Each figure is compared, in the same run, with a straightforward reference implementation:
- Shapley: the textbook sum over coalitions in a plain Python loop;
- nucleolus: the same sequential-LP algorithm with every coalition written into every LP (no
  constraint generation).
Both references must agree with ours (checked). Usage:

    .venv/bin/python benchmarks/games_bench.py [--sizes 10 15 20] [--reference-up-to 20]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import linprog

from samenspel.analytics.games import Game, nucleolus, shapley
from samenspel.analytics.games.game import coalition_sums


def partnership_game(n: int, seed: int = 7) -> Game:
    """A game shaped like real agreements: interventions needing 2-4 partners, gains per party."""
    rng = np.random.default_rng(seed)
    masks = np.arange(1 << n)
    values = np.zeros(1 << n)
    for _ in range(3 * n):
        partners = rng.choice(n, size=int(rng.integers(2, 5)), replace=False)
        required = int(sum(1 << int(p) for p in partners))
        gains = np.zeros(n)
        gains[partners] = rng.normal(10, 25, size=len(partners))
        gains[rng.integers(n)] += rng.normal(5, 10)
        total = coalition_sums(gains)
        values += np.where((masks & required) == required, np.maximum(total, 0), 0)
    values[0] = 0
    return Game(tuple(f"p{i}" for i in range(n)), values)


def reference_shapley(game: Game) -> np.ndarray:
    n = game.n
    phi = np.zeros(n)
    fact = [math.factorial(k) for k in range(n + 1)]
    v = game.values.tolist()
    for i in range(n):
        bit = 1 << i
        total = 0.0
        for mask in range(1 << n):
            if mask & bit:
                continue
            s = mask.bit_count()
            total += fact[s] * fact[n - s - 1] / fact[n] * (v[mask | bit] - v[mask])
        phi[i] = total
    return phi


def reference_nucleolus(game: Game) -> np.ndarray:
    n, v = game.n, game.values
    grand = game.grand
    masks_all = np.arange(1, grand)
    rows_all = ((masks_all[:, None] >> np.arange(n)) & 1).astype(float)
    fixed_rows, fixed_rhs = [np.ones(n)], [v[grand]]
    free = np.ones(len(masks_all), dtype=bool)
    bounds = [(float(v[1 << i]), None) for i in range(n)] + [(None, None)]
    while free.any():
        rows = rows_all[free]
        res = linprog(
            np.r_[np.zeros(n), 1.0],
            A_ub=np.hstack([-rows, -np.ones((len(rows), 1))]),
            b_ub=-v[masks_all[free]],
            A_eq=np.hstack([np.array(fixed_rows), np.zeros((len(fixed_rows), 1))]),
            b_eq=np.array(fixed_rhs),
            bounds=bounds,
            method="highs",
        )
        eps = res.x[n]
        duals = -res.ineqlin.marginals
        for row, mask, y in zip(rows, masks_all[free], duals, strict=True):
            if y > 1e-9:
                fixed_rows.append(row)
                fixed_rhs.append(v[mask] - eps)
        basis = null_space(np.array(fixed_rows))
        if basis.shape[1] == 0:
            break
        free &= np.abs(rows_all @ basis).max(axis=1) > 1e-7
    return np.linalg.lstsq(np.array(fixed_rows), np.array(fixed_rhs), rcond=None)[0]


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 15, 20])
    parser.add_argument("--reference-up-to", type=int, default=20)
    args = parser.parse_args()
    print(f"{'n':>3} {'method':<10} {'ours (s)':>10} {'reference (s)':>14} {'ratio':>8}  agrees")
    for n in args.sizes:
        game = partnership_game(n)
        ours, t_ours = timed(shapley, game)
        if n <= args.reference_up_to:
            ref, t_ref = timed(reference_shapley, game)
            agrees = bool(np.allclose(ours, ref, atol=1e-6 * max(1, game.grand_value)))
            ratio = t_ref / t_ours
            print(f"{n:>3} {'shapley':<10} {t_ours:>10.4f} {t_ref:>14.4f} {ratio:>7.1f}x  {agrees}")
        else:
            print(f"{n:>3} {'shapley':<10} {t_ours:>10.4f} {'skipped':>14}")
        nuc, t_nuc = timed(nucleolus, game)
        if n <= args.reference_up_to:
            ref_x, t_ref = timed(reference_nucleolus, game)
            agrees = bool(np.allclose(nuc.x, ref_x, atol=1e-5 * max(1, game.grand_value)))
            print(
                f"{n:>3} {'nucleolus':<10} {t_nuc:>10.4f} {t_ref:>14.4f} {t_ref / t_nuc:>7.1f}x"
                f"  {agrees}"
                f"  (stages {nuc.stages}, LP solves {nuc.lp_solves})"
            )
        else:
            print(f"{n:>3} {'nucleolus':<10} {t_nuc:>10.4f} {'skipped':>14}")


if __name__ == "__main__":
    main()
