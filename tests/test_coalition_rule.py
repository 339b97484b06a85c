"""Coalition values that reward no cost-shifting (docs/money.md, "How the value of a group of
parties is defined"): a hand-computed three-party case and properties over random agreements."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samenspel.analytics.business_case import coalition_game, parse_agreement, settlement
from samenspel.analytics.business_case.evaluate import (
    coalition_value,
    exact_shapley,
    marginal_ranges,
)
from samenspel.analytics.games import (
    core_check,
    least_core,
    nucleolus,
    shapley,
    shapley_monte_carlo,
)

# The worked example of docs/money.md: hospital and insurer carry out hospital care at home;
# the municipality, which is not needed for it, bears 100 of home support and saves 80 on
# emergency shelter.
HOSPITAL_AT_HOME = {
    "parties": ["hospital", "insurer", "municipality"],
    "horizon": 1,
    "discount_rate": 0.0,
    "interventions": [
        {
            "name": "Hospital at home",
            "partners": ["hospital", "insurer"],
            "costs": [
                {"party": "hospital", "stream": "Zvw", "likely": 100},
                {"party": "municipality", "stream": "Wmo", "likely": 100},
            ],
            "savings": [
                {"party": "insurer", "stream": "Zvw", "likely": 160},
                {"party": "municipality", "stream": "Wmo", "likely": 80},
            ],
        }
    ],
}


def test_shifting_a_cost_onto_an_outsider_does_not_pay() -> None:
    agreement = parse_agreement(HOSPITAL_AT_HOME)
    game = coalition_game(agreement)
    # The municipality nets -20 there (bears 100, saves 80). Hospital and insurer gain
    # 160 - 100 and must hold it harmless for that net loss: 60 - 20 = 40.
    assert game.value(["hospital", "insurer"]) == pytest.approx(40)
    assert game.value(["hospital", "insurer", "municipality"]) == pytest.approx(40)
    assert all(game.value([p]) == 0 for p in agreement.parties)
    # The municipality adds nothing: hospital and insurer split the 40, and pay the
    # municipality its 20, so it ends at 0, its stand-alone value, not at -20.
    result = settlement(agreement, "shapley")
    assert result.allocation.as_dict() == pytest.approx(
        {"hospital": 20, "insurer": 20, "municipality": 0}
    )
    assert result.allocation.core is not None and result.allocation.core.in_core
    assert result.own_npv["municipality"] == pytest.approx(-20)
    assert result.side_payments["municipality"] == pytest.approx(20)
    assert result.final_positions["municipality"] == pytest.approx(0)  # never below alone
    nucleolus_shares = settlement(agreement, "nucleolus").allocation.as_dict()
    assert nucleolus_shares == pytest.approx({"hospital": 20, "insurer": 20, "municipality": 0})
    # Moving the hospital's cost onto the municipality pays nothing: it is held harmless.
    shifted = copy.deepcopy(HOSPITAL_AT_HOME)
    shifted["interventions"][0]["costs"][0]["party"] = "municipality"
    assert coalition_game(parse_agreement(shifted)).value(["hospital", "insurer"]) == 40


def test_the_sampled_value_follows_the_same_rule() -> None:
    agreement = parse_agreement(HOSPITAL_AT_HOME)
    game, value = coalition_game(agreement), coalition_value(agreement)
    assert [value(mask) for mask in range(8)] == pytest.approx(list(game.values))


PARTIES = ("hospital", "insurer", "municipality", "gp", "zorgkantoor")
STREAMS = ("Zvw", "Wlz", "Wmo", "Jeugdwet", "Wpg", "other")


@st.composite
def agreements(draw: st.DrawFn) -> dict[str, Any]:
    """Agreements of 2-5 parties whose lines (costs, savings, revenue gained or lost) may name
    any party, partner or not."""
    n = draw(st.integers(2, 5))
    parties = list(PARTIES[:n])
    horizon = draw(st.integers(1, 3))
    amount = st.integers(0, 200)
    line = st.builds(
        lambda party, likely, stream, years: {
            "party": party, "likely": likely, "stream": stream, "years": years
        },
        st.sampled_from(parties), amount, st.sampled_from(STREAMS),
        st.lists(st.integers(1, horizon), min_size=1, max_size=horizon, unique=True),
    )  # fmt: skip
    interventions = [
        {
            "name": f"intervention {k}",
            "partners": draw(st.lists(st.sampled_from(parties), min_size=1, unique=True)),
            "costs": draw(st.lists(line, max_size=3)),
            "savings": draw(st.lists(line, max_size=3)),
            "revenues": [
                {**r, "lost": lost} for r, lost in draw(st.lists(st.tuples(line, st.booleans()),
                                                                 max_size=2))
            ],
        }
        for k in range(draw(st.integers(1, 4)))
    ]
    rate = draw(st.sampled_from([0.0, 0.0225, 0.1]))
    return {"parties": parties, "horizon": horizon, "discount_rate": rate,
            "interventions": interventions}  # fmt: skip


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=agreements(), extra=st.integers(1, 300), pick=st.integers(0, 1000))
def test_a_cost_on_an_outsider_never_raises_a_coalition_value(
    data: dict[str, Any], extra: int, pick: int
) -> None:
    intervention = data["interventions"][pick % len(data["interventions"])]
    outsiders = [p for p in data["parties"] if p not in intervention["partners"]]
    if not outsiders:
        return
    before = coalition_game(parse_agreement(data)).values
    changed = copy.deepcopy(data)
    target = changed["interventions"][pick % len(data["interventions"])]
    target["costs"].append({"party": outsiders[pick % len(outsiders)], "likely": extra})
    after = coalition_game(parse_agreement(changed)).values
    assert np.all(after <= before + 1e-9)


@PROPERTY
@given(data=agreements(), pick=st.integers(0, 1000))
def test_moving_a_cost_from_a_partner_onto_an_outsider_never_pays(
    data: dict[str, Any], pick: int
) -> None:
    changed = copy.deepcopy(data)
    for intervention in changed["interventions"]:
        # an outsider that gains nothing there (one that nets a gain is held harmless only
        # down to zero: a cost it can carry from its own gain is its own affair)
        gainers = {line["party"] for line in intervention["savings"]} | {
            r["party"] for r in intervention["revenues"] if not r["lost"]
        }
        outsiders = [
            p for p in data["parties"] if p not in intervention["partners"] and p not in gainers
        ]
        partners = intervention["partners"]
        partners_costs = [c for c in intervention["costs"] if c["party"] in partners]
        if outsiders and partners_costs:
            partners_costs[pick % len(partners_costs)]["party"] = outsiders[pick % len(outsiders)]
    before = coalition_game(parse_agreement(data)).values
    after = coalition_game(parse_agreement(changed)).values
    assert np.all(after <= before + 1e-9)


def test_a_pair_of_lines_that_cancels_buys_no_share() -> None:
    """The hospital of docs/money.md: it loses 100 of revenue on a substitution by the care
    group and the insurer, and saves the 100 it no longer spends producing that care. Netted,
    it neither gains nor loses, so it is not needed and gets nothing; counted line by line it
    became a veto player and took a third of the gain."""
    data = {
        "parties": ["care group", "insurer", "hospital"], "horizon": 1, "discount_rate": 0.0,
        "interventions": [{
            "name": "Substitution", "partners": ["care group", "insurer"],
            "costs": [{"party": "care group", "stream": "Zvw", "likely": 40}],
            "savings": [{"party": "insurer", "stream": "Zvw", "likely": 100},
                        {"party": "hospital", "stream": "other", "likely": 100}],
            "revenues": [{"party": "hospital", "stream": "Zvw", "likely": 100, "lost": True}],
        }],
    }  # fmt: skip
    game = coalition_game(parse_agreement(data))
    assert game.value(["care group", "insurer"]) == pytest.approx(60)
    assert game.value(["care group", "insurer", "hospital"]) == pytest.approx(60)
    for rule in ("shapley", "nucleolus"):
        shares = settlement(parse_agreement(data), rule).allocation.as_dict()
        assert shares == pytest.approx({"care group": 30, "insurer": 30, "hospital": 0})


@PROPERTY
@given(data=agreements(), amount=st.integers(1, 300), pick=st.integers(0, 1000))
def test_adding_a_pair_that_cancels_for_a_party_changes_no_share(
    data: dict[str, Any], amount: int, pick: int
) -> None:
    changed = copy.deepcopy(data)
    party = data["parties"][pick % len(data["parties"])]
    target = changed["interventions"][pick % len(data["interventions"])]
    years = [1 + pick % data["horizon"]]
    target["costs"].append({"party": party, "likely": amount, "years": years, "stream": "other"})
    target["revenues"].append(
        {"party": party, "likely": amount, "years": years, "stream": "other", "lost": False}
    )
    before, after = parse_agreement(data), parse_agreement(changed)
    assert coalition_game(after).values == pytest.approx(coalition_game(before).values, abs=1e-9)
    for rule in ("shapley", "nucleolus"):
        old = settlement(before, rule).allocation.as_dict()
        new = settlement(after, rule).allocation.as_dict()
        assert new == pytest.approx(old, abs=1e-6), rule


@PROPERTY
@given(data=agreements())
def test_the_game_is_convex_and_every_share_beats_standing_alone(data: dict[str, Any]) -> None:
    agreement = parse_agreement(data)
    game = coalition_game(agreement)
    n, v = game.n, game.values
    # convex: v(S + i) - v(S) grows with S (checked against every S within T, i outside T)
    for t in range(1 << n):
        for i in range(n):
            if t >> i & 1:
                continue
            s = t
            while True:
                assert v[s | 1 << i] - v[s] <= v[t | 1 << i] - v[t] + 1e-7
                if s == 0:
                    break
                s = (s - 1) & t
    epsilon, _ = least_core(game)
    assert epsilon <= 1e-7  # the core is never empty
    alone = np.array([v[1 << i] for i in range(n)])
    for x in (shapley(game), nucleolus(game).x):
        assert core_check(game, x).in_core
        assert np.all(x >= alone - 1e-7)


@PROPERTY
@given(data=agreements())
def test_term_by_term_shapley_equals_the_shapley_value_of_the_whole_game(
    data: dict[str, Any],
) -> None:
    agreement = parse_agreement(data)
    exact = exact_shapley(agreement)
    assert exact is not None
    assert exact == pytest.approx(shapley(coalition_game(agreement)), abs=1e-7)


def _platform_and_chain(n: int) -> dict[str, Any]:
    """A regional platform that needs all ``n`` parties (too many to enumerate, so Shapley is
    sampled) beside a chain of pairwise links with unequal amounts."""
    parties = [f"party{i:02d}" for i in range(n)]
    rng = np.random.default_rng(7)
    links = [
        {
            "name": f"link {i}",
            "partners": [parties[i], parties[i + 1]],
            "costs": [{"party": parties[i], "likely": int(rng.integers(5, 30))}],
            "savings": [
                {"party": parties[i + 1], "stream": "Zvw", "likely": int(rng.integers(20, 60))}
            ],
        }
        for i in range(n - 1)
    ]
    platform = {
        "name": "platform",
        "partners": parties,
        "costs": [{"party": parties[0], "likely": 400}],
        "savings": [
            {"party": p, "stream": "Zvw", "likely": int(rng.integers(0, 40))} for p in parties
        ],
    }
    return {"parties": parties, "horizon": 1, "discount_rate": 0.0,
            "interventions": [*links, platform]}  # fmt: skip


def test_the_sampled_bound_holds_for_every_party_at_once() -> None:
    data = _platform_and_chain(26)
    agreement = parse_agreement(data)
    assert exact_shapley(agreement) is None  # the platform needs 26 parties: sampled
    # The exact value by hand: links term by term, the platform's gain split equally (only the
    # whole partnership can carry it out, and every party is needed).
    chain = parse_agreement({**data, "interventions": data["interventions"][:-1]})
    links = exact_shapley(chain)
    assert links is not None
    platform = sum(s["likely"] for s in data["interventions"][-1]["savings"]) - 400
    truth = links + platform / 26
    value, ranges = coalition_value(agreement), marginal_ranges(agreement)
    per_party_missed = joint_missed = 0
    for seed in range(20):
        estimate = shapley_monte_carlo(agreement.parties, value, samples=400, seed=seed)
        error = np.abs(estimate.values - truth)
        joint_missed += bool(np.any(error > estimate.simultaneous_half_widths(ranges)))
        per_party_missed += bool(np.any(error > estimate.half_width_95))
    # The per-party 95% bound misses some party in most runs; the joint bound in none.
    assert per_party_missed >= 5
    assert joint_missed == 0
    # Through the agreement: the stated bound is the joint one, and covers the truth.
    allocation = settlement(agreement, "shapley", samples=400).allocation
    assert allocation.error_bound is not None
    assert np.all(np.abs(allocation.shares - truth) <= allocation.error_bound)


def test_side_payments_inside_the_sampling_bound_are_within_the_margin(tmp_path: Path) -> None:
    path = tmp_path / "platform.json"
    path.write_text(json.dumps(_platform_and_chain(26)))
    command = [sys.executable, "-m", "samenspel.cli.main", "allocate", str(path), "--rule"]
    result = subprocess.run([*command, "shapley", "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    bound = report["shapley_error_bound_95"]
    assert bound > 0
    flags = [(t["amount"] < bound, t["within_margin"]) for t in report["transfers"]]
    assert all(small == flagged for small, flagged in flags)
    assert any(flagged for _, flagged in flags) and not all(flagged for _, flagged in flags)
    text = subprocess.run([*command, "shapley"], capture_output=True, text=True).stdout
    small = next(t for t in report["transfers"] if t["within_margin"])
    assert f"{small['payer']} → {small['payee']}: within the margin" in text
    assert f"{small['payer']} pays {small['payee']}" not in text  # no amount to sign for
    assert "all parties at once, with 95% probability" in " ".join(text.split())
