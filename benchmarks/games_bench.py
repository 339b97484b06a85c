"""Benchmark: exact Shapley value and nucleolus against coopgame-py (a Rust library), same run.

Four families of games at n = 20 (2**20 coalitions): random superadditive (a sum of unanimity
games with positive weights), weighted majority, fully symmetric (v(S) = |S|**2) and
unstructured integers 0-3 (singletons 0 and v(N) = 3, so that imputations exist). Ours and
coopgame-py run turn about, REPEATS (5) times each, and each time is the best of its runs. The
goal is ours / coopgame-py <= 1.0 on every row. Both must agree (to 1e-6 of v(N)); the script
exits 1 when they do not. Then exact Shapley for 23-25 parties, whose goal is under 10 s and
under 2 GB (the game's values plus the peak traced during the computation).

coopgame-py is a benchmark-only dependency:

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python benchmarks/games_bench.py [--n 20] [--large 23 24 25]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from samenspel.analytics.games import Game, nucleolus, shapley
from samenspel.analytics.games.game import popcounts

try:
    import coopgame
except ImportError:  # pragma: no cover - depends on the machine
    coopgame = None


def families(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """The four families of the issue, as value vectors in bitmask order."""
    rng = np.random.default_rng(seed)
    masks = np.arange(1 << n)
    superadditive = np.zeros(1 << n)
    for _ in range(3 * n):
        partners = rng.choice(n, size=int(rng.integers(2, 5)), replace=False)
        required = int(sum(1 << int(p) for p in partners))
        superadditive += np.where((masks & required) == required, rng.uniform(1, 10), 0.0)
    weights = rng.integers(1, 10, n)
    weight_of = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        weight_of += ((masks >> i) & 1) * int(weights[i])
    integers = rng.integers(0, 4, 1 << n).astype(float)
    integers[1 << np.arange(n)] = 0.0
    integers[-1] = 3.0
    games = {
        "random superadditive": superadditive,
        "weighted majority": (weight_of >= weights.sum() // 2 + 1).astype(float),
        "fully symmetric": popcounts(n).astype(float) ** 2,
        "integers 0-3": integers,
    }
    for values in games.values():
        values[0] = 0.0
    return games


REPEATS = 5
"""Runs of each tool per row, interleaved."""


def interleaved(
    repeats: int, ours: Callable[[], Any], theirs: Callable[[], Any]
) -> tuple[Any, float, Any, float]:
    """Both, turn about, ``repeats`` times each, so a busy spell of the machine falls on both
    alike; the best time of each, with its result."""
    results: list[Any] = [None, None]
    best = [float("inf"), float("inf")]
    for _ in range(repeats):
        for k, fn in enumerate((ours, theirs)):
            start = time.perf_counter()
            results[k] = fn()
            best[k] = min(best[k], time.perf_counter() - start)
    return results[0], best[0], results[1], best[1]


def compare(n: int) -> bool:
    """The table against coopgame-py; False when a result disagrees."""
    print(f"| game (n = {n}) | method | ours (s) | coopgame-py (s) | ratio | goal ≤ 1.0 | agrees |")
    print("|---|---|---:|---:|---:|---|---|")
    fine = True
    for name, values in families(n).items():
        game = Game(tuple(f"p{i}" for i in range(n)), values)
        theirs_game = coopgame.Game(values[1:].tolist())
        scale = max(1.0, abs(game.grand_value))
        for method, ours_fn, theirs_fn in (
            ("Shapley", lambda g=game: shapley(g), lambda t=theirs_game: coopgame.shapley(t)),
            ("nucleolus", lambda g=game: nucleolus(g).x,
             lambda t=theirs_game: coopgame.nucleolus(t)["allocation"]),
        ):  # fmt: skip
            ours, t_ours, theirs, t_theirs = interleaved(REPEATS, ours_fn, theirs_fn)
            agrees = bool(np.allclose(ours, np.asarray(theirs, dtype=float), atol=1e-6 * scale))
            fine &= agrees
            ratio = t_ours / t_theirs
            met = "met" if ratio <= 1.0 else "MISSED"
            print(f"| {name} | {method} | {t_ours:.3f} | {t_theirs:.3f} | {ratio:.2f} | {met} "
                  f"| {'yes' if agrees else 'NO'} |")  # fmt: skip
    return fine


def large(sizes: list[int]) -> bool:
    """Exact Shapley for many parties: time and memory against the goal."""
    print("\n| parties | coalitions | Shapley (s) | memory (MiB) | goal < 10 s, < 2 GB | right |")
    print("|---:|---:|---:|---:|---|---|")
    fine = True
    for n in sizes:
        values = popcounts(n).astype(float) ** 2  # symmetric: every share is v(N) / n
        game = Game(tuple(f"p{i}" for i in range(n)), values)
        tracemalloc.start()
        start = time.perf_counter()
        phi = shapley(game)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] + values.nbytes
        tracemalloc.stop()
        right = bool(np.allclose(phi, values[-1] / n))
        fine &= right
        met = "met" if seconds < 10 and peak < 2 * 2**30 else "MISSED"
        print(f"| {n} | {1 << n:,} | {seconds:.2f} | {peak / 2**20:.0f} | {met} "
              f"| {'yes' if right else 'NO'} |")  # fmt: skip
        del game, values
    return fine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--large", type=int, nargs="*", default=[23, 24, 25])
    args = parser.parse_args()
    if coopgame is None:
        sys.exit('coopgame-py is not installed: .venv/bin/pip install -e ".[bench]"')
    fine = compare(args.n)
    fine &= large(args.large)
    sys.exit(0 if fine else 1)


if __name__ == "__main__":
    main()
