"""Business case, coalition values and Monte-Carlo on hand-computed agreements."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from samenspel.analytics.business_case import (
    AgreementError,
    business_case,
    coalition_game,
    parse_agreement,
    settlement,
    simulate,
)
from samenspel.analytics.games import GameError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

TWO_PARTY = {
    "parties": ["hospital", "insurer"],
    "horizon": 3,
    "discount_rate": 0.10,
    "interventions": [
        {
            "name": "Care at home",
            "partners": ["hospital", "insurer"],
            "costs": [{"party": "hospital", "likely": 100, "years": [1]}],
            "savings": [{"party": "insurer", "stream": "Zvw", "likely": 66, "years": "all"}],
        }
    ],
}


def test_npv_per_party_by_hand() -> None:
    agreement = parse_agreement(TWO_PARTY)
    case = business_case(agreement)
    by_party = {p.party: p for p in case.parties}
    # Insurer: 66 + 66/1.1 + 66/1.21 = 66 + 60 + 54.5454... = 180.5454...
    assert by_party["insurer"].npv == pytest.approx(66 + 60 + 66 / 1.21)
    assert by_party["hospital"].npv == pytest.approx(-100)  # year 1 is not discounted
    assert by_party["hospital"].cumulative == [-100, -100, -100]
    assert by_party["insurer"].savings_by_stream == {"Zvw": pytest.approx(180.5454545)}
    assert case.total_npv == pytest.approx(80.5454545)
    assert case.wrong_pocket[0] == ("hospital", pytest.approx(100), 0.0, pytest.approx(-100))


def test_wrong_pocket_game_and_side_payments() -> None:
    agreement = parse_agreement(TWO_PARTY)
    game = coalition_game(agreement)
    # Alone, neither can carry out the intervention; together they gain the total NPV.
    assert game.value(["hospital"]) == 0 and game.value(["insurer"]) == 0
    assert game.value(["hospital", "insurer"]) == pytest.approx(80.5454545)
    result = settlement(agreement, "shapley")
    assert result.allocation.as_dict() == {
        "hospital": pytest.approx(40.2727272),
        "insurer": pytest.approx(40.2727272),
    }
    [transfer] = result.transfers
    assert (transfer.payer, transfer.payee) == ("insurer", "hospital")
    assert transfer.amount == pytest.approx(140.2727272)
    # The yearly amount is the annuity with the same present value.
    annuity = 1 + 1 / 1.1 + 1 / 1.21
    assert result.yearly_transfers[0].amount == pytest.approx(140.2727272 / annuity)


def test_monte_carlo_without_ranges_is_certain() -> None:
    agreement = parse_agreement(TWO_PARTY)
    [risk] = simulate(agreement, ["shapley"], draws=50)
    assert risk.probability_positive == {"hospital": 1.0, "insurer": 1.0}
    assert risk.p50["hospital"] == pytest.approx(40.2727272)


def test_monte_carlo_probabilities_respond_to_ranges() -> None:
    agreement = parse_agreement(json.loads((EXAMPLES / "agreement.json").read_text()))
    risks = {
        r.rule: r
        for r in simulate(agreement, ["shapley", "proportional_savings"], draws=3000, seed=3)
    }
    shapley = risks["shapley"].probability_positive
    assert 0.3 < shapley["hospital"] < 1.0 and 0.3 < shapley["insurer"] < 1.0
    # Proportional to savings gives the hospital (which saves nothing) no share of the gain: the
    # side payment only makes good its likely costs, so it ends above zero far less often.
    saving_rule = risks["proportional_savings"]
    assert saving_rule.probability_positive["hospital"] < shapley["hospital"] - 0.2
    assert abs(saving_rule.p50["hospital"]) < 30 < risks["shapley"].p50["hospital"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["interventions"][0]["costs"][0].update(party="pharmacy"),
            "interventions[0].costs[0].party: unknown party 'pharmacy'",
        ),
        (
            lambda d: d["interventions"][0]["costs"][0].update(likely=-5),
            "interventions[0].costs[0]: amounts cannot be negative",
        ),
        (
            lambda d: d["interventions"][0]["costs"][0].update(likely=1e12, high=2e12),
            "interventions[0].costs[0].likely: must be below 1,000,000,000,000, "
            "got 1,000,000,000,000",
        ),
        (
            lambda d: d["interventions"][0]["savings"][0].update(stream="AWBZ"),
            "interventions[0].savings[0].stream: 'AWBZ' is not one of",
        ),
        (
            lambda d: d["interventions"][0]["savings"][0].update(years=[0, 4]),
            "interventions[0].savings[0].years: [0, 4] outside the horizon 1..3",
        ),
        (
            lambda d: d["interventions"][0].update(partners=["hospital", "bank"]),
            "interventions[0].partners: unknown party 'bank'",
        ),
        (lambda d: d.update(discount_rate="2%"), "discount_rate: must be a number"),
    ],
)
def test_bad_agreements_name_the_place(change: object, message: str) -> None:
    document = json.loads(json.dumps(TWO_PARTY))
    change(document)  # type: ignore[operator]
    with pytest.raises(AgreementError) as caught:
        parse_agreement(document)
    assert str(caught.value).startswith(message)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "samenspel.cli.main", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_allocate_agreement_json() -> None:
    result = _cli("allocate", str(EXAMPLES / "agreement.json"), "--rule", "nucleolus", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert sum(report["shares"].values()) == pytest.approx(report["grand_value"])
    assert report["core"]["in_core"] is True
    assert sum(t["amount"] for t in report["transfers"]) == pytest.approx(
        sum(b for b in report["side_payments"].values() if b > 0)
    )
    # the final position is the own NPV plus the side payment: the share, never below alone
    for party, share in report["shares"].items():
        final = report["own_npv"][party] + report["side_payments"][party]
        assert report["final_positions"][party] == pytest.approx(final)
        assert final == pytest.approx(share)
    text = _cli("allocate", str(EXAMPLES / "agreement.json"), "--rule", "nucleolus")
    assert "side payment" in text.stdout and "final position" in text.stdout


def test_cli_allocate_game_and_errors(tmp_path: Path) -> None:
    result = _cli("allocate", str(EXAMPLES / "glove-game.json"), "--rule", "nucleolus", "--json")
    report = json.loads(result.stdout)
    assert report["shares"]["L"] == pytest.approx(1.0)
    assert sorted((t["payer"], t["payee"], round(t["amount"], 9)) for t in report["transfers"]) == [
        ("R1", "L", 0.5),
        ("R2", "L", 0.5),
    ]
    bad = tmp_path / "bad.json"
    bad.write_text('{"players": ["A", "B"], "coalitions": [{"members": ["A"], "value": 1}]}')
    failed = _cli("allocate", str(bad), "--rule", "shapley")
    assert failed.returncode == 2
    assert "not defined for 2 coalition(s): {B}, {A, B}" in " ".join(failed.stderr.split())


def _many_parties(n: int) -> dict[str, object]:
    parties = [f"party{i:02d}" for i in range(n)]
    interventions = []
    for i in range(n - 1):  # a chain: each pair of neighbours gains from working together
        a, b = parties[i], parties[i + 1]
        interventions.append(
            {
                "name": f"link {i}",
                "partners": [a, b],
                "costs": [{"party": a, "likely": 10, "low": 8, "high": 14}],
                "savings": [{"party": b, "stream": "Zvw", "likely": 16, "low": 10, "high": 20}],
            }
        )
    return {"parties": parties, "horizon": 1, "discount_rate": 0.0, "interventions": interventions}


def test_large_partnerships_get_the_exact_shapley_value_term_by_term() -> None:
    agreement = parse_agreement(_many_parties(25))
    result = settlement(agreement, "shapley", samples=2000)
    allocation = result.allocation
    # Every link involves two parties only, so the value is exact: no bound, nothing sampled.
    assert allocation.core is None and allocation.error_bound is None
    assert allocation.shares.sum() == pytest.approx(24 * 6)
    # By symmetry every link's gain of 6 is split equally between its two partners:
    # inner parties get 6, the two ends 3.
    assert allocation.shares == pytest.approx([3.0] + [6.0] * 23 + [3.0], abs=1e-9)
    assert sum(t.amount for t in result.transfers) > 0
    with pytest.raises(GameError, match="nucleolus needs every coalition"):
        settlement(agreement, "nucleolus")
    equal = settlement(agreement, "equal").allocation
    assert equal.shares == pytest.approx([24 * 6 / 25] * 25)


def test_cli_allocate_large_agreement(tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    path.write_text(json.dumps(_many_parties(24)))
    result = _cli("allocate", str(path), "--rule", "shapley", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["core"] is None and report["least_core_epsilon"] is None
    # Pairwise links: the exact value, term by term, with no sampling bound.
    assert report["shapley_error_bound_95"] is None
    assert report["shares"]["party01"] == pytest.approx(6)


def _uptake(linked: bool) -> dict[str, object]:
    line = {"party": "insurer", "stream": "Zvw", "low": 60, "likely": 100, "high": 120}
    return {
        "parties": ["hospital", "insurer"],
        "horizon": 1,
        "discount_rate": 0.0,
        "interventions": [
            {
                "name": "Care at home",
                "partners": ["hospital", "insurer"],
                "costs": [{**line, "stream": "other"}, {**line, "party": "hospital", "high": 200}],
                "savings": [line, {**line, "party": "hospital", "low": 150, "likely": 250,
                                   "high": 300}],
                "uptake_linked": linked,
            }
        ],
    }


def test_costs_and_savings_that_follow_uptake_move_together() -> None:
    # The insurer's cost and saving have the same range: linked, they cancel in every draw.
    linked = simulate(parse_agreement(_uptake(True)), ["equal"], draws=4000, seed=3)[0]
    apart = simulate(parse_agreement(_uptake(False)), ["equal"], draws=4000, seed=3)[0]
    # equal split of the plan's NPV 150: the insurer (own NPV 0) receives 75 from the hospital
    assert linked.p5["insurer"] == pytest.approx(75) and linked.p95["insurer"] == pytest.approx(75)
    assert apart.p95["insurer"] - apart.p5["insurer"] > 40
    # The hospital saves 150-250-300 and spends 60-100-200, and pays 75. Linked, both are at the
    # same quantile: at the lowest uptake 150 - 60 - 75 = 15, and it never loses. Apart, a low
    # saving can meet a high cost (150 - 200 - 75 < 0).
    assert linked.probability_positive["hospital"] == 1.0
    assert apart.probability_positive["hospital"] < 0.999
    with pytest.raises(AgreementError, match=r"interventions\[0\]\.uptake_linked: true or false"):
        parse_agreement({**_uptake(True), "interventions": [
            {**_uptake(True)["interventions"][0], "uptake_linked": "yes"}]})  # type: ignore[index]


def test_the_triangular_quantile_matches_the_distribution() -> None:
    from samenspel.analytics.business_case.model import Line
    from samenspel.analytics.business_case.uncertainty import triangular_quantile

    line = Line("p", 10.0, 40.0, 100.0, (1,))
    u = np.array([0.0, 1 / 3, 1.0])
    # F(mode) = (40 - 10) / 90 = 1/3, so u = 1/3 gives the mode; 0 and 1 give low and high
    assert triangular_quantile(line, u) == pytest.approx([10, 40, 100])
    draws = triangular_quantile(line, np.random.default_rng(0).random(200_000))
    assert draws.mean() == pytest.approx((10 + 40 + 100) / 3, rel=2e-3)


def test_cli_allocate_a_cost_game_with_the_core_on_the_cost_side() -> None:
    # The airport game (Littlechild and Owen 1973): a runway for the largest plane of each
    # coalition, c(S) = max cost in S, here 12, 18 and 30.
    path = str(EXAMPLES / "airport-cost-game.json")
    shapley = json.loads(_cli("allocate", path, "--rule", "shapley", "--json").stdout)
    assert shapley["kind"] == "cost" and shapley["grand_value"] == pytest.approx(30)
    # Littlechild-Owen: the first 12 split by all three, the next 6 by the two larger, the
    # last 12 by the largest alone.
    assert shapley["shares"] == pytest.approx({"small": 4, "medium": 7, "large": 19})
    assert shapley["core"]["in_core"] is True
    # Nucleolus by hand: maximise the least saving c(S) - x(S); every group saves at least 6.
    nucleolus = json.loads(_cli("allocate", path, "--rule", "nucleolus", "--json").stdout)
    assert nucleolus["shares"] == pytest.approx({"small": 6, "medium": 6, "large": 18})
    assert nucleolus["least_core_epsilon"] == pytest.approx(-6)
    # An equal split makes small + medium pay 20 for what costs them 18 on their own.
    equal = json.loads(_cli("allocate", path, "--rule", "equal", "--json").stdout)
    assert equal["core"]["in_core"] is False
    assert equal["core"]["blocking"] == ["small", "medium"]
    assert equal["core"]["max_excess"] == pytest.approx(2)
    text = " ".join(_cli("allocate", path, "--rule", "equal").stdout.split())
    assert "Cost shares by equal" in text
    assert "no group pays more than on its own): no; largest overpayment 2.00" in text


def test_a_cost_game_refuses_an_unknown_kind_and_holdings(tmp_path: Path) -> None:
    game = json.loads((EXAMPLES / "airport-cost-game.json").read_text())
    for change, message in (
        ({"kind": "costs"}, "kind: 'costs' is not one of value, cost"),
        ({"holdings": {"small": 10, "medium": 10, "large": 10}}, "holdings: side payments"),
    ):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps({**game, **change}))
        result = _cli("allocate", str(path), "--json")
        assert result.returncode == 2 and message in " ".join(result.stderr.split())
        assert "Traceback" not in result.stderr


def test_game_values_beyond_the_stated_range_are_refused(tmp_path: Path) -> None:
    game = json.loads((EXAMPLES / "glove-game.json").read_text())
    game["coalitions"][0]["value"] = -1e13
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(game))
    result = _cli("allocate", str(path), "--json")
    assert result.returncode == 2
    assert "coalitions[0].value: must lie within ±1,000,000,000,000" in " ".join(
        result.stderr.split()
    )


def test_the_stated_range_is_what_the_web_amount_fields_hold() -> None:
    from samenspel.analytics.inputs import MAX_AMOUNT
    from samenspel.web.finance.models import MoneyLine

    field = MoneyLine._meta.get_field("likely")
    assert 10 ** (field.max_digits - field.decimal_places) == MAX_AMOUNT  # type: ignore[attr-defined]
