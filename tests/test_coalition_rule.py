"""Coalition values that reward no cost-shifting (docs/money.md, "How the value of a group of
parties is defined"): a hand-computed three-party case and properties over random agreements."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samenspel.analytics.business_case import coalition_game, parse_agreement, settlement
from samenspel.analytics.business_case.evaluate import coalition_value
from samenspel.analytics.games import core_check, least_core, nucleolus, shapley

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
    # Hospital and insurer gain 160 - 100 but must hold the municipality harmless: 60 - 100 < 0.
    assert game.value(["hospital", "insurer"]) == 0
    assert game.value(["hospital", "insurer", "municipality"]) == pytest.approx(40)
    assert all(game.value([p]) == 0 for p in agreement.parties)
    # With only the grand coalition worth anything, every rule in the core splits it equally.
    result = settlement(agreement, "shapley")
    assert result.allocation.as_dict() == pytest.approx(dict.fromkeys(agreement.parties, 40 / 3))
    assert result.allocation.core is not None and result.allocation.core.in_core
    # The municipality ends at 40/3 after side payments (own -20, receives 20 + 40/3), not below
    # its stand-alone value of 0, as it did when hospital + insurer were worth 60.
    assert result.own_npv["municipality"] == pytest.approx(-20)
    assert result.balances["municipality"] == pytest.approx(20 + 40 / 3)
    nucleolus_shares = settlement(agreement, "nucleolus").allocation.as_dict()
    assert nucleolus_shares == pytest.approx(dict.fromkeys(agreement.parties, 40 / 3))


def test_the_sampled_value_follows_the_same_rule() -> None:
    agreement = parse_agreement(HOSPITAL_AT_HOME)
    game, value = coalition_game(agreement), coalition_value(agreement)
    assert [value(mask) for mask in range(8)] == pytest.approx(list(game.values))


PARTIES = ("hospital", "insurer", "municipality", "gp", "zorgkantoor")
STREAMS = ("Zvw", "Wlz", "Wmo", "Jeugdwet", "Wpg", "other")


@st.composite
def agreements(draw: st.DrawFn) -> dict[str, Any]:
    """Agreements of 2-5 parties whose lines may name any party, partner or not."""
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
        outsiders = [p for p in data["parties"] if p not in intervention["partners"]]
        partners = intervention["partners"]
        partners_costs = [c for c in intervention["costs"] if c["party"] in partners]
        if outsiders and partners_costs:
            partners_costs[pick % len(partners_costs)]["party"] = outsiders[pick % len(outsiders)]
    before = coalition_game(parse_agreement(data)).values
    after = coalition_game(parse_agreement(changed)).values
    assert np.all(after <= before + 1e-9)


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
