"""Cooperative games against published values, hand-computed cases and the axioms.

References:
- Shapley (1953): efficiency, symmetry, null player, additivity characterise the value.
- Aumann and Maschler (1985), "Game theoretic analysis of a bankruptcy problem from the Talmud",
  J. Econ. Theory 36: the nucleolus of the bankruptcy game with claims (100, 200, 300) is
  (33 1/3, 33 1/3, 33 1/3) for estate 100, (50, 75, 75) for 200 and (50, 100, 150) for 300.
- Kohlberg (1971), "On the nucleolus of a characteristic function game", SIAM J. Appl. Math. 20:
  x is the prenucleolus iff every collection of coalitions with the largest excesses is balanced.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from samenspel.analytics.games import (
    Game,
    GameError,
    allocate,
    core_check,
    least_core,
    nucleolus,
    settle,
    shapley,
    shapley_monte_carlo,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def bankruptcy(estate: float, claims: list[float]) -> Game:
    names = [f"c{i}" for i in range(len(claims))]
    return Game.from_function(
        names,
        lambda s: max(
            0.0, estate - sum(c for n, c in zip(names, claims, strict=True) if n not in s)
        ),
    )


@pytest.mark.parametrize(
    ("estate", "expected"),
    [(100, [100 / 3] * 3), (200, [50, 75, 75]), (300, [50, 100, 150])],
)
def test_nucleolus_of_the_talmud_bankruptcy_games(estate: float, expected: list[float]) -> None:
    assert nucleolus(bankruptcy(estate, [100, 200, 300])).x == pytest.approx(expected, abs=1e-7)


def test_glove_game() -> None:
    glove = Game.from_function(
        ["L", "R1", "R2"], lambda s: 1.0 if "L" in s and {"R1", "R2"} & s else 0.0
    )
    # Hand-computed: L is pivotal in 4 of 6 orders -> 2/3; the core is the single point (1, 0, 0).
    assert shapley(glove) == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    assert nucleolus(glove).x == pytest.approx([1, 0, 0], abs=1e-9)
    assert core_check(glove, np.array([1.0, 0, 0])).in_core
    check = core_check(glove, shapley(glove))
    assert not check.in_core and set(check.blocking) in ({"L", "R1"}, {"L", "R2"})
    assert check.max_excess == pytest.approx(1 / 6)


def test_empty_and_non_empty_core() -> None:
    # Majority game: any two of three get 1. Core empty; least-core epsilon 1/3 (hand-computed:
    # x = (1/3, 1/3, 1/3) leaves every pair 1/3 short, and no efficient x does better).
    majority = Game.from_function("ABC", lambda s: 1.0 if len(s) >= 2 else 0.0)
    epsilon, point = least_core(majority)
    assert epsilon == pytest.approx(1 / 3)
    assert point == pytest.approx([1 / 3] * 3)
    assert not core_check(majority, point).in_core
    # Convex game: v(S) = |S|^2. Core non-empty (contains the Shapley value), epsilon < 0.
    convex = Game.from_function("ABCD", lambda s: float(len(s) ** 2))
    assert least_core(convex)[0] < 0
    assert core_check(convex, shapley(convex)).in_core


def test_nucleolus_with_ties_where_fixing_all_tight_coalitions_fails() -> None:
    # Many coalitions are tight at the first LP optimum without being tight at every optimum.
    # Hand-computed: symmetric in B, C, D; the nucleolus must be symmetric and efficient.
    def v(s: frozenset[str]) -> float:
        if s == frozenset("ABCD"):
            return 10.0
        if "A" in s and len(s) >= 2:
            return 6.0
        return 0.0

    x = nucleolus(Game.from_function("ABCD", v)).x
    assert x.sum() == pytest.approx(10)
    assert x[1] == pytest.approx(x[2]) == pytest.approx(x[3])
    assert_kohlberg(Game.from_function("ABCD", v), x)


# --- Kohlberg's criterion as an independent check -------------------------------------------


def _balanced(masks: list[int], n: int) -> bool:
    """Positive weights lambda_S >= 1 with sum lambda_S 1_S = t 1_N exist (Bondareva–Shapley)."""
    rows = np.array([[(m >> i) & 1 for i in range(n)] for m in masks], dtype=float)
    a_eq = np.hstack([rows.T, -np.ones((n, 1))])
    res = linprog(
        np.zeros(len(masks) + 1),
        A_eq=a_eq,
        b_eq=np.zeros(n),
        bounds=[(1, None)] * len(masks) + [(0, None)],
        method="highs",
    )
    return bool(res.status == 0)


def assert_kohlberg(game: Game, x: np.ndarray) -> None:
    excess = game.excesses(x)
    proper = list(range(1, game.grand))
    levels = sorted({round(float(excess[m]), 7) for m in proper}, reverse=True)
    collection: list[int] = []
    for level in levels:
        collection += [m for m in proper if round(float(excess[m]), 7) == level]
        assert _balanced(collection, game.n), f"not balanced at excess level {level}"


def superadditive_cover(n: int, raw: list[int]) -> Game:
    """v(S) = best partition of S into parts valued by ``raw``: superadditive, so the nucleolus
    equals the prenucleolus and Kohlberg's criterion applies."""
    best = [0.0] * (1 << n)
    for mask in range(1, 1 << n):
        best[mask] = float(raw[mask - 1])
        sub = (mask - 1) & mask
        while sub:
            best[mask] = max(best[mask], best[sub] + best[mask ^ sub])
            sub = (sub - 1) & mask
    return Game(tuple("ABCDE"[:n]), np.array(best))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 5).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.integers(0, 4), min_size=(1 << n) - 1, max_size=(1 << n) - 1)
        )
    )
)
def test_nucleolus_satisfies_kohlberg_on_tie_heavy_games(case: tuple[int, list[int]]) -> None:
    n, raw = case
    game = superadditive_cover(n, raw)
    x = nucleolus(game).x
    assert x.sum() == pytest.approx(game.grand_value)
    assert_kohlberg(game, x)
    pre = nucleolus(game, pre=True).x
    assert pre == pytest.approx(x, abs=1e-6)


# --- Shapley axioms ---------------------------------------------------------------------------

values_strategy = st.integers(2, 6).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.floats(-100, 100, allow_nan=False), min_size=1 << n, max_size=1 << n),
    )
)


def _game(n: int, raw: list[float]) -> Game:
    values = np.array(raw)
    values[0] = 0.0
    return Game(tuple(f"p{i}" for i in range(n)), values)


@given(values_strategy)
def test_shapley_efficiency(case: tuple[int, list[float]]) -> None:
    game = _game(*case)
    assert shapley(game).sum() == pytest.approx(game.grand_value, abs=1e-6)


@given(values_strategy)
def test_shapley_null_player(case: tuple[int, list[float]]) -> None:
    n, raw = case
    values = np.array(raw)
    values[0] = 0
    for mask in range(1 << n):  # make player 0 a null player: v(S + 0) = v(S)
        if mask & 1:
            values[mask] = values[mask ^ 1]
    assert shapley(Game(tuple(f"p{i}" for i in range(n)), values))[0] == pytest.approx(0, abs=1e-9)


@given(values_strategy)
def test_shapley_symmetry(case: tuple[int, list[float]]) -> None:
    n, raw = case
    values = np.array(raw)
    values[0] = 0
    for mask in range(1 << n):  # make players 0 and 1 interchangeable
        swapped = (mask & ~3) | ((mask & 1) << 1) | ((mask >> 1) & 1)
        values[swapped] = values[mask] = max(values[mask], values[swapped])
    phi = shapley(Game(tuple(f"p{i}" for i in range(n)), values))
    assert phi[0] == pytest.approx(phi[1], abs=1e-9)


@given(values_strategy, st.lists(st.floats(-100, 100, allow_nan=False), min_size=64, max_size=64))
def test_shapley_additivity(case: tuple[int, list[float]], other: list[float]) -> None:
    n, raw = case
    g1 = _game(n, raw)
    g2 = _game(n, other[: 1 << n])
    both = Game(g1.players, g1.values + g2.values)
    assert shapley(both) == pytest.approx(shapley(g1) + shapley(g2), abs=1e-7)


def test_shapley_matches_the_permutation_definition() -> None:
    game = bankruptcy(200, [100, 200, 300])
    orders = list(itertools.permutations(range(3)))
    expected = np.zeros(3)
    for order in orders:
        mask = 0
        for p in order:
            expected[p] += game.values[mask | 1 << p] - game.values[mask]
            mask |= 1 << p
    assert shapley(game) == pytest.approx(expected / len(orders))
    assert shapley(game) == pytest.approx([100 / 3, 250 / 3, 250 / 3])


def test_monte_carlo_shapley_is_within_its_stated_bound() -> None:
    n = 12
    weights = np.arange(1, n + 1, dtype=float)
    quota = weights.sum() / 2

    def value(mask: int) -> float:  # weighted majority game
        return 1.0 if sum(w for i, w in enumerate(weights) if mask >> i & 1) > quota else 0.0

    exact = shapley(
        Game.from_function(
            [f"p{i}" for i in range(n)], lambda s: value(sum(1 << int(p[1:]) for p in s))
        )
    )
    estimate = shapley_monte_carlo([f"p{i}" for i in range(n)], value, samples=4000, seed=1)
    assert estimate.values.sum() == pytest.approx(1.0)
    inside = np.abs(estimate.values - exact) <= estimate.half_width_95 + 1e-12
    assert inside.mean() >= 0.8  # a 95% interval per player; allow a few misses out of 12
    assert estimate.max_half_width_95 < 0.02


# --- bad input, allocation rules, transfers ----------------------------------------------------


def test_bad_games_get_clear_errors() -> None:
    with pytest.raises(GameError, match=r"not defined for 1 coalition\(s\): \{A, B\}"):
        Game.from_coalitions("AB", {frozenset("A"): 1, frozenset("B"): 1})
    with pytest.raises(GameError, match="unknown player"):
        Game.from_coalitions("AB", {frozenset("AZ"): 1})
    with pytest.raises(GameError, match="more than a game held in full supports \\(25\\)"):
        Game.from_function([f"p{i}" for i in range(26)], lambda s: 0.0)
    big = Game(tuple(f"p{i}" for i in range(23)), np.zeros(1 << 23))
    with pytest.raises(GameError, match="the nucleolus needs at most 22 players, got 23"):
        nucleolus(big)
    assert allocate(big, "shapley").core is None  # exact Shapley, no core check above 22
    with pytest.raises(GameError, match="imputation set is empty"):
        nucleolus(Game.from_function("AB", lambda s: 1.0 if len(s) == 1 else 0.5))
    with pytest.raises(GameError, match="unknown rule"):
        allocate(Game.from_function("AB", lambda s: 1.0), "fair")
    with pytest.raises(GameError, match="no investment given for B"):
        allocate(
            Game.from_function("AB", lambda s: 1.0), "proportional_investment", investments={"A": 1}
        )


def test_allocation_rules_split_the_grand_value() -> None:
    game = bankruptcy(200, [100, 200, 300])
    for rule, kwargs in [
        ("equal", {}),
        ("shapley", {}),
        ("nucleolus", {}),
        ("proportional_investment", {"investments": {"c0": 1, "c1": 1, "c2": 2}}),
        ("proportional_savings", {"savings": {"c0": 0, "c1": 3, "c2": 1}}),
    ]:
        result = allocate(game, rule, **kwargs)  # type: ignore[arg-type]
        assert result.shares.sum() == pytest.approx(200)
    assert allocate(
        game, "proportional_investment", investments={"c0": 1, "c1": 1, "c2": 2}
    ).shares == pytest.approx([50, 50, 100])


@given(st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=2, max_size=12))
def test_settle_sums_to_zero_with_few_transfers(raw: list[float]) -> None:
    balances = {f"p{i}": b for i, b in enumerate(raw)}
    balances["p0"] -= sum(balances.values())
    transfers = settle(balances)
    assert len(transfers) <= len(balances) - 1
    net = dict.fromkeys(balances, 0.0)
    for t in transfers:
        assert t.amount > 0 and t.payer != t.payee
        net[t.payee] += t.amount
        net[t.payer] -= t.amount
    for p, b in balances.items():
        assert net[p] == pytest.approx(b, abs=0.005 * len(balances) + 1e-6)


def test_settle_rejects_unbalanced_books() -> None:
    with pytest.raises(ValueError, match="sum to zero"):
        settle({"a": 5, "b": -3})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('{"players": ["A", "A"], "coalitions": []}', "players[1]: 'A' appears twice"),
        ('{"players": ["A", ""], "coalitions": []}', "players[1]: every player needs a name"),
        ('{"players": ["A"], "coalitions": [{"members": ["A"], "value": NaN}]}', "NaN is not"),
        ('{"players": ["A"], "coalitions": [{"members": ["A"], "value": 1e400}]}', "too large"),
        ('{"players": ["A"], "coalitions": [{"members": ["A"], "value": true}]}',
         "coalitions[0].value: must be a number"),
        ('{"players": ["A"], "coalitions": [{"members": ["A"], "value": 1}], '
         '"investments": {"A": true}}', "investments.A: must be a finite number"),
        ('{"parties": ["H", "H"], "interventions": []}', "parties[1]: 'H' appears twice"),
        ('{"parties": ["H", " "], "interventions": []}', "parties[1]: every party needs a name"),
    ],
)  # fmt: skip
def test_allocate_refuses_bad_files_by_name(tmp_path: Path, document: str, message: str) -> None:
    file = tmp_path / "game.json"
    file.write_text(document)
    done = subprocess.run(
        [sys.executable, "-m", "samenspel.cli.main", "allocate", str(file), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert message in " ".join(done.stderr.split()) and "Traceback" not in done.stderr


def test_allocate_json_output_is_strict_json() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "samenspel.cli.main", "allocate",
         str(EXAMPLES / "glove-game.json"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    json.loads(done.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the output"))
