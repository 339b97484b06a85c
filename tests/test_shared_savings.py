"""Realised savings settled as agreed (shared savings, MSSP-style): hand-computed years, and the
settlement on the money page, in the PDF, Excel and the API."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from samenspel.analytics.business_case import parse_agreement
from samenspel.analytics.business_case.shared_savings import (
    SharedSavingsError,
    Terms,
    Year,
    divide,
    msr_by_size,
    msr_from_confidence,
    planned_savings,
    settle_year,
)
from samenspel.web.finance.models import RULE_CHOICES, Agreement, RealisedYear

from .conftest import World

TERMS = Terms(minimum_savings_rate=0.02, sharing_rate=0.5, cap_rate=0.10)
SHARES = {"hospital": 2.0, "gp": 1.0, "insurer": 1.0}


def _year(realised: float, **extra: float) -> Year:
    # 1,000 persons at 2,000 each: a benchmark of 2,000,000
    return Year(2027, "Zvw", 1000, 2000.0, 0, realised, **extra)  # type: ignore[arg-type]


def test_savings_below_the_minimum_rate_are_not_shared() -> None:
    outcome = settle_year(_year(1_970_000), TERMS, SHARES)
    assert outcome.benchmark == 2_000_000 and outcome.savings == 30_000
    assert outcome.savings_rate == pytest.approx(0.015)
    assert not outcome.qualifies and outcome.shared == 0
    assert outcome.per_party == {"hospital": 0, "gp": 0, "insurer": 0}


def test_savings_above_the_minimum_rate_are_shared_from_the_first_euro() -> None:
    outcome = settle_year(_year(1_900_000), TERMS, SHARES)
    assert outcome.savings == 100_000 and outcome.qualifies and not outcome.capped
    assert outcome.shared == 50_000  # 50% of all 100,000, not only of what exceeds 2%
    assert outcome.per_party == {"hospital": 25_000, "gp": 12_500, "insurer": 12_500}


def test_the_sharing_rate_is_what_the_providers_receive() -> None:
    """As in MSSP and the Dutch insurer contracts: with a 50% rate the providers receive half
    the savings, divided by the rule's shares (2 : 1); the insurer that funds the Zvw keeps
    the other half and receives none of the shared amount."""
    outcome = settle_year(_year(1_900_000), TERMS, SHARES, funders={"insurer"})
    assert outcome.shared == 50_000
    assert outcome.per_party == pytest.approx(
        {"hospital": 100_000 / 3, "gp": 50_000 / 3, "insurer": 0}
    )
    assert sum(outcome.per_party.values()) / outcome.savings == pytest.approx(0.5)
    loss = settle_year(_year(2_100_000), Terms(two_sided=True), SHARES, funders={"insurer"})
    assert loss.per_party == pytest.approx({"hospital": -100_000 / 3, "gp": -50_000 / 3,
                                            "insurer": 0})  # fmt: skip


def test_the_cap_limits_the_shared_amount() -> None:
    outcome = settle_year(_year(1_500_000), TERMS, SHARES)
    # 50% of 500,000 is 250,000, above the cap of 10% of 2,000,000
    assert outcome.capped and outcome.shared == 200_000
    assert sum(outcome.per_party.values()) == pytest.approx(200_000)


def test_a_loss_year_one_sided_and_two_sided() -> None:
    one = settle_year(_year(2_100_000), TERMS, SHARES)
    assert one.savings == -100_000 and not one.qualifies and one.shared == 0
    two = settle_year(_year(2_100_000), Terms(two_sided=True), SHARES)
    assert two.qualifies and two.shared == -50_000  # the parties pay back half the loss
    assert two.per_party["hospital"] == -25_000
    small = settle_year(_year(2_030_000), Terms(two_sided=True), SHARES)
    assert small.shared == 0  # a 1.5% loss is inside the corridor


def test_a_two_sided_contract_settles_losses_on_its_own_terms() -> None:
    """MSSP's loss terms (42 CFR 425.605): a minimum loss rate, a shared loss rate and a loss
    sharing limit as a share of the benchmark. Benchmark 2,000,000, 2% minimum loss rate,
    40% loss sharing, a 4% limit (80,000)."""
    terms = Terms(two_sided=True, loss_sharing_rate=0.4, minimum_loss_rate=0.02,
                  loss_cap_rate=0.04)  # fmt: skip
    loss = settle_year(_year(2_100_000), terms, SHARES, funders={"insurer"})
    assert loss.qualifies and loss.shared == pytest.approx(-40_000)  # 40% of a 100,000 loss
    assert loss.per_party == pytest.approx({"hospital": -80_000 / 3, "gp": -40_000 / 3,
                                            "insurer": 0})  # fmt: skip
    big = settle_year(_year(2_300_000), terms, SHARES)
    assert big.capped and big.shared == pytest.approx(-80_000)  # 40% of 300,000 above 4%
    small = settle_year(_year(2_030_000), terms, SHARES)
    assert not small.qualifies and small.shared == 0  # 1.5%: below the minimum loss rate
    # a saving year still follows the savings terms
    assert settle_year(_year(1_900_000), terms, SHARES).shared == 50_000
    # without own loss terms a loss follows the savings terms, as before
    assert Terms(two_sided=True).for_loss(1000) == (0.02, 0.5, 0.10)


def test_the_enhanced_track_as_42_cfr_425_610_writes_it() -> None:
    """MSSP's ENHANCED track: a final sharing rate of 75% times the quality score, at most 20%
    of the benchmark; a shared loss rate of 1 minus the final sharing rate, at least 40%, at
    most 15% of the benchmark. At full quality that is 40%. Benchmark 2,000,000, 2% corridor."""
    terms = Terms(
        sharing_rate=0.75, cap_rate=0.20, two_sided=True, loss_sharing_rate=0.40,
        minimum_loss_rate=0.02, loss_cap_rate=0.15, quality_indicators=("CAHPS", "HbA1c"),
    )  # fmt: skip
    full = settle_year(_year(1_800_000, quality_score=1.0), terms, SHARES)
    assert full.shared == pytest.approx(150_000)  # 75% of 200,000
    huge = settle_year(_year(1_000_000, quality_score=1.0), terms, SHARES)
    assert huge.capped and huge.shared == pytest.approx(400_000)  # 20% of 2,000,000
    # quality 0.8: a final sharing rate of 60%; its loss rate 1 - 0.6 = 40%, as at full
    eighty = settle_year(_year(1_800_000, quality_score=0.8), terms, SHARES)
    assert eighty.sharing_rate == pytest.approx(0.60) and eighty.shared == pytest.approx(120_000)
    loss = settle_year(_year(2_200_000, quality_score=0.8), terms, SHARES)
    assert loss.shared == pytest.approx(-80_000)  # 40% of a 200,000 loss
    worst = settle_year(_year(3_000_000, quality_score=0.8), terms, SHARES)
    assert worst.capped and worst.shared == pytest.approx(-300_000)  # 15% of 2,000,000


@pytest.mark.parametrize(
    ("persons", "rate"),
    [(1, 0.122), (499, 0.122), (750, 0.1045), (1_000, 0.087), (2_000, 0.0685),
     (5_000, 0.039), (5_500, 0.0375), (12_500, 0.0285), (60_000, 0.02), (250_000, 0.02)],
)  # fmt: skip
def test_the_minimum_savings_rate_by_population_size_follows_cms_table(
    persons: int, rate: float
) -> None:
    """42 CFR 425.604(b): 12.2% up to 500 persons, 8.7% at 1,000, 5.0% at 3,000, 3.9% at 5,000,
    3.6% at 6,000, 3.0% at 10,000, 2.7% at 15,000 and 2.0% from 60,000; linear in between."""
    assert msr_by_size(persons) == pytest.approx(rate)


def test_a_small_population_needs_a_larger_saving_under_the_size_based_rate() -> None:
    """1,000 persons: 8.7% instead of the agreed 2%. A 5% saving is no longer shared; 10% is."""
    terms = Terms(msr_by_size=True)
    five = settle_year(_year(1_900_000), terms, SHARES)
    assert not five.qualifies and five.shared == 0 and five.minimum_rate == pytest.approx(0.087)
    ten = settle_year(_year(1_800_000), terms, SHARES)
    assert ten.qualifies and ten.shared == pytest.approx(100_000)
    # two-sided without its own minimum loss rate: the loss side uses the same size-based rate
    loss = settle_year(_year(2_100_000), Terms(msr_by_size=True, two_sided=True), SHARES)
    assert not loss.qualifies and loss.minimum_rate == pytest.approx(0.087)


@pytest.mark.parametrize("persons", [500, 1_000, 3_000, 5_000])
def test_cms_table_is_a_ninety_percent_confidence_interval(persons: int) -> None:
    """CMS's table is, up to 5,000 persons, the half-width of a 90% confidence interval of the
    mean cost per person with a coefficient of variation of 1.66: within 0.1 point."""
    assert msr_from_confidence(persons, 1.66, 0.90) == pytest.approx(
        msr_by_size(persons), abs=0.001
    )


def test_the_minimum_rate_from_a_confidence_interval_by_hand() -> None:
    """1,000 persons at 2,000 each with a spread of 2,000 (variation 1): at 95%, z = 1.95996,
    so the minimum rate is 1.95996 / sqrt(1,000) = 6.198%. A 6% saving is not shared; 6.5% is;
    a 6% loss of a two-sided contract costs the providers nothing either."""
    terms = Terms(msr_confidence=0.95, two_sided=True)
    six = settle_year(_year(1_880_000, cost_sd_per_person=2000.0), terms, SHARES)
    assert six.minimum_rate == pytest.approx(1.959964 / 1000**0.5, rel=1e-6)
    assert not six.qualifies and six.shared == 0
    more = settle_year(_year(1_870_000, cost_sd_per_person=2000.0), terms, SHARES)
    assert more.qualifies and more.shared == pytest.approx(65_000)
    loss = settle_year(_year(2_120_000, cost_sd_per_person=2000.0), terms, SHARES)
    assert not loss.qualifies and loss.shared == 0
    # a lower spread narrows the interval: half the spread, half the rate
    half = settle_year(_year(1_880_000, cost_sd_per_person=1000.0), terms, SHARES)
    assert half.minimum_rate == pytest.approx(six.minimum_rate / 2) and half.qualifies


@pytest.mark.parametrize(
    ("terms", "year", "field"),
    [
        ({"msr_confidence": 1.0}, {}, "msr_confidence"),
        ({"msr_confidence": 0.4}, {}, "msr_confidence"),
        ({"msr_confidence": float("nan")}, {}, "msr_confidence"),
        ({"msr_confidence": 0.9, "msr_by_size": True}, {}, "msr_confidence"),
        ({"msr_confidence": 0.9}, {}, "cost_sd_per_person"),
        ({}, {"cost_sd_per_person": float("inf")}, "cost_sd_per_person"),
        ({}, {"cost_sd_per_person": -1.0}, "cost_sd_per_person"),
    ],
)
def test_a_confidence_interval_without_its_figures_is_refused_by_name(
    terms: dict[str, object], year: dict[str, float], field: str
) -> None:
    with pytest.raises(SharedSavingsError, match=field):
        settle_year(_year(1_900_000, **year), Terms(**terms), SHARES)  # type: ignore[arg-type]


def test_the_quality_gate_scales_the_sharing_rate_by_the_score() -> None:
    """A score of 0.8 on the chosen indicators: 80% of the 50% rate, so 40,000 of 100,000."""
    terms = Terms(quality_indicators=("HbA1c in target", "Readmissions within 30 days"))
    scored = settle_year(_year(1_900_000, quality_score=0.8), terms, SHARES)
    assert scored.sharing_rate == pytest.approx(0.4) and scored.shared == pytest.approx(40_000)
    unscored = settle_year(_year(1_900_000), terms, SHARES)
    assert unscored.qualifies and unscored.quality_missing and unscored.shared == 0
    # a loss is settled on the loss terms, whatever the quality
    loss = settle_year(
        _year(2_100_000, quality_score=1.0), replace(terms, two_sided=True), SHARES
    )
    assert loss.shared == pytest.approx(-50_000) and not loss.quality_missing
    with pytest.raises(SharedSavingsError, match="quality_score: the agreement names no ind"):
        settle_year(_year(1_900_000, quality_score=0.8), TERMS, SHARES)
    with pytest.raises(SharedSavingsError, match="quality_score: 0 to 1"):
        _year(1_900_000, quality_score=1.5)


def test_the_insurer_settles_its_own_insured_share_of_a_zvw_year() -> None:
    """An insurer with 60% of the insured: 60% of the 50,000 shared; the cap (10% of the
    benchmark) scales too. Another stream is not scaled."""
    terms = Terms(insurer_share=0.6)
    outcome = settle_year(_year(1_900_000), terms, SHARES)
    assert outcome.shared == pytest.approx(30_000) and outcome.insurer_share == 0.6
    big = settle_year(_year(1_500_000), terms, SHARES)  # 500,000 saved: 150,000 > 120,000
    assert big.capped and big.shared == pytest.approx(120_000)
    wmo = settle_year(Year(2027, "Wmo", 1000, 2000.0, 0, 1_900_000), terms, SHARES)
    assert wmo.shared == pytest.approx(50_000)


def test_persons_who_moved_into_wlz_care_are_left_out_of_a_zvw_year() -> None:
    """20 of 1,000 persons moved into Wlz care; their Zvw cost fell to 10,000 where 40,000 was
    expected. Counted, that shift looks like 30,000 of savings. Left out, with their cost, the
    benchmark is 980 x 2,000 = 1,960,000 against 1,900,000: a saving of 60,000, not 90,000."""
    counted = settle_year(_year(1_910_000), TERMS, SHARES)
    assert counted.savings == pytest.approx(90_000)
    fair = settle_year(_year(1_910_000, moved_to_wlz=20, moved_to_wlz_cost=10_000), TERMS, SHARES)
    assert fair.benchmark == pytest.approx(1_960_000) and fair.savings == pytest.approx(60_000)
    with pytest.raises(SharedSavingsError, match="moved_to_wlz: a Zvw year only"):
        Year(2027, "Wmo", 1000, 2000.0, 0, 1_900_000, moved_to_wlz=20)
    with pytest.raises(SharedSavingsError, match="moved_to_wlz: give the persons"):
        _year(1_900_000, moved_to_wlz_cost=10_000)
    with pytest.raises(SharedSavingsError, match="moved_to_wlz_cost: out of range"):
        _year(1_900_000, moved_to_wlz=20, moved_to_wlz_cost=2_000_000)


def test_a_benchmark_of_three_weighted_base_years_as_mssp() -> None:
    """Base years 2023, 2024 and 2025 at 2,000, 2,100 and 2,200 per person, weighted 10/30/60,
    each trended at 3% to 2025: 0.1 x 2,000 x 1.03^2 + 0.3 x 2,100 x 1.03 + 0.6 x 2,200 =
    212.18 + 648.9 + 1,320 = 2,181.08; in 2026, for 1,000 persons: 2,246,512.4."""
    year = Year(
        2026, "Zvw", 1000, 2200.0, 1, 2_000_000, trend_rate=0.03,
        earlier_bases=((2, 2000.0), (1, 2100.0)), weights=(0.1, 0.3, 0.6),
    )  # fmt: skip
    assert year.base_years == (2023, 2024, 2025)
    assert year.base_per_person == pytest.approx(2181.08)
    assert year.benchmark == pytest.approx(2_246_512.4)
    # the earlier years may be given in any order; the weights go oldest first
    turned = replace(year, earlier_bases=((1, 2100.0), (2, 2000.0)))
    assert turned.benchmark == pytest.approx(year.benchmark)
    for change, message in (
        ({"weights": (0.1, 0.3, 0.5)}, "weights: fractions that add up to 1"),
        ({"weights": (0.4, 0.6)}, "weights: give one per base year"),
        ({"weights": ()}, "weights: give one per base year"),
        ({"earlier_bases": ((1, 2100.0), (1, 2000.0))}, "earlier_bases: distinct"),
        ({"earlier_bases": ((2, float("nan")), (1, 2100.0))}, "earlier_bases: distinct"),
    ):
        with pytest.raises(SharedSavingsError, match=message):
            replace(year, **change)  # type: ignore[arg-type]


def test_a_growth_bending_contract_settles_against_the_bent_target() -> None:
    """Trend 4%, agreed growth 1.5%, two years after the base, 1,000 persons at 2,000:
    benchmark 2,163,200 and target 2,060,450. Realised 2,000,000: 60,450 below the target (2.9%),
    half shared, 30,225; the funder spends 163,200 less than at the trend and keeps 132,975.
    Realised 2,150,000: 89,550 above the target (4.3%), half paid back though one-sided; at
    2,100,000 the 39,550 above it (1.9%) is within the minimum rate."""
    terms = Terms(contract="growth_bending", agreed_growth=0.015)
    year = Year(2027, "Zvw", 1000, 2000.0, 2, 2_000_000, trend_rate=0.04)
    below = settle_year(year, terms, SHARES)
    assert below.benchmark == pytest.approx(2_163_200) and below.target == pytest.approx(2_060_450)
    assert below.shared == pytest.approx(30_225) and below.savings == pytest.approx(163_200)
    assert below.funder_gain == pytest.approx(132_975)
    above = settle_year(replace(year, realised_cost=2_150_000), terms, SHARES)
    assert above.qualifies and above.shared == pytest.approx(-44_775)
    assert above.funder_gain == pytest.approx(13_200 + 44_775)
    within = settle_year(replace(year, realised_cost=2_100_000), terms, SHARES)
    assert not within.qualifies and within.shared == 0
    for wrong, message in (
        ({"contract": "growth_bending"}, "agreed_growth: given for a growth-bending"),
        ({"agreed_growth": 0.01}, "agreed_growth: given for a growth-bending"),
        ({"contract": "growth_bending", "agreed_growth": float("inf")}, "agreed_growth: a frac"),
        ({"contract": "capitation"}, "contract: one of"),
    ):
        with pytest.raises(SharedSavingsError, match=message):
            Terms(**wrong)  # type: ignore[arg-type]


def test_a_lump_sum_leaves_the_whole_difference_with_the_providers() -> None:
    """A sum of 1,950,000 for care that cost 1,900,000: the providers keep 50,000, no minimum
    rate, sharing rate or cap applies; at 2,010,000 they bear the 60,000. The funder gains the
    benchmark minus the sum, 50,000, either way."""
    terms = Terms(contract="lump_sum")
    year = _year(1_900_000, lump_sum=1_950_000)
    kept = settle_year(year, terms, SHARES, funders={"insurer"})
    assert kept.shared == pytest.approx(50_000) and kept.target == 1_950_000
    assert kept.per_party["insurer"] == 0 and kept.funder_gain == pytest.approx(50_000)
    borne = settle_year(replace(year, realised_cost=2_010_000), terms, SHARES)
    assert borne.shared == pytest.approx(-60_000) and borne.funder_gain == pytest.approx(50_000)
    with pytest.raises(SharedSavingsError, match="lump_sum: given for a lump-sum contract"):
        settle_year(_year(1_900_000), terms, SHARES)
    with pytest.raises(SharedSavingsError, match="lump_sum: given for a lump-sum contract"):
        settle_year(year, TERMS, SHARES)
    with pytest.raises(SharedSavingsError, match="lump_sum: an amount above 0"):
        _year(1_900_000, lump_sum=-5)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"loss_sharing_rate": 1.2, "two_sided": True}, "loss_sharing_rate: a fraction"),
        ({"loss_cap_rate": float("nan"), "two_sided": True}, "loss_cap_rate: a fraction"),
        ({"minimum_loss_rate": 0.02, "two_sided": True}, "loss_sharing_rate: give it"),
        ({"loss_sharing_rate": 0.4}, "only a two-sided contract"),
        ({"insurer_share": 1.2}, "insurer_share: a fraction"),
        ({"insurer_share": 0}, "insurer_share: a fraction"),
        ({"quality_indicators": ("HbA1c", " ")}, "quality_indicators: name each"),
    ],
)
def test_bad_loss_terms_are_refused_by_name(fields: dict[str, object], message: str) -> None:
    with pytest.raises(SharedSavingsError, match=message):
        Terms(**fields)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_agreement_form_refuses_loss_terms_that_do_not_fit(world: World) -> None:
    deal = Agreement.objects.create(programme=world.a, name="Deal", start_year=2026, horizon=2)
    url = f"/p/{world.a.pk}/agreements/{deal.pk}/edit/"
    director = world.client_for(world.director)
    form = director.get(url).context["form"]
    values = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in values.items() if v not in (None, False)}
    for extra, field, words in (
        ({"minimum_loss_rate": "0.02", "two_sided": "on"}, "loss_sharing_rate",
         "Geef het verliesdelingspercentage"),
        ({"loss_sharing_rate": "0.4"}, "loss_sharing_rate", "Alleen een tweezijdig contract"),
        ({"loss_sharing_rate": "1.5", "two_sided": "on"}, "loss_sharing_rate", "1"),
    ):  # fmt: skip
        response = director.post(url, {**data, **extra})
        assert response.status_code == 200, extra
        assert words in " ".join(response.context["form"].errors.get(field, [])), extra
    deal.refresh_from_db()
    assert deal.loss_sharing_rate is None and deal.minimum_loss_rate is None
    saved = director.post(url, {**data, "two_sided": "on", "loss_sharing_rate": "0.4"})
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    deal.refresh_from_db()
    assert deal.loss_sharing_rate == Decimal("0.4")


def test_the_benchmark_is_trended_and_adjusted_for_age_and_sex() -> None:
    year = Year(2027, "Zvw", 1000, 2000.0, 2, 0.0, trend_rate=0.03, risk_adjustment=1.02)
    assert year.benchmark == pytest.approx(1000 * 2000 * 1.03**2 * 1.02)  # 2,164,236


def test_bad_terms_and_figures_are_refused_by_name() -> None:
    with pytest.raises(SharedSavingsError, match="sharing_rate: a fraction from 0 to 1"):
        Terms(sharing_rate=1.5)
    with pytest.raises(SharedSavingsError, match="minimum_savings_rate"):
        Terms(minimum_savings_rate=float("nan"))
    with pytest.raises(SharedSavingsError, match="2027 Zvw, persons: out of range"):
        Year(2027, "Zvw", 0, 2000.0, 0, 1.0)
    with pytest.raises(SharedSavingsError, match="realised_cost"):
        Year(2027, "Zvw", 10, 2000.0, 0, float("inf"))


def test_division_follows_the_rule_and_is_equal_when_the_plan_gains_nothing() -> None:
    assert divide(90, {"a": 0.0, "b": 0.0, "c": 0.0}) == {"a": 30, "b": 30, "c": 30}
    assert divide(90, {"a": 2.0, "b": 1.0, "c": -1.0}) == {"a": 60, "b": 30, "c": 0}


def test_planned_savings_net_the_funders_own_new_costs() -> None:
    agreement = parse_agreement({
        "parties": ["gp", "insurer"], "start_year": 2026, "horizon": 2, "discount_rate": 0,
        "interventions": [{
            "name": "Module", "partners": ["gp", "insurer"],
            "costs": [{"party": "insurer", "stream": "Zvw", "likely": 30}],
            "savings": [{"party": "insurer", "stream": "Zvw", "likely": 100, "years": [2]}],
            "revenues": [{"party": "gp", "stream": "Zvw", "likely": 30}],
        }],
    })  # fmt: skip
    assert planned_savings(agreement) == {("Zvw", 2026): -30, ("Zvw", 2027): 70}


def test_the_web_rules_are_the_analytics_rules() -> None:
    from samenspel.analytics.games import RULES

    assert [code for code, _label in RULE_CHOICES] == list(RULES)


@pytest.mark.django_db
def test_the_demo_settles_a_loss_year_and_a_shared_year() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from samenspel.web.workspace.demo import load_demo

    load_demo(with_population=False)
    deal = Agreement.objects.get(programme__name="Samendraads")
    assert RealisedYear.objects.filter(agreement=deal).count() == 2
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    base = f"/p/{deal.programme_id}/money/{deal.pk}/"
    response = client.get(base)
    realised = response.context["evaluation"].realised
    (loss, _none), (shared, planned) = realised
    # 2026: benchmark 1,800 x 3.2 x 1.03 = 5,932.8 against 6,000 spent: a loss, not shared
    assert loss.benchmark == pytest.approx(5932.8) and loss.savings < 0 and loss.shared == 0
    # 2027: 1,800 x 3.2 x 1.03^2 = 6,110.784; saved 170.784 (2.79%), half of it shared
    assert shared.savings == pytest.approx(170.784) and shared.shared == pytest.approx(85.392)
    assert planned is not None and planned.savings == pytest.approx(520 - 330)
    assert sum(shared.per_party.values()) == pytest.approx(85.392)
    # all of it to the providers: the insurer, which funds the Zvw, keeps the other half
    funders = [p for p in shared.per_party if "erzeker" in p]
    assert funders and all(shared.per_party[p] == 0 for p in funders)
    page = response.content.decode()
    assert "Gerealiseerde besparingen, verrekend zoals afgesproken" in page
    assert "verlies, niet gedeeld" in page and "2,79%" in page
    book = load_workbook(io.BytesIO(client.get(base + "agreement.xlsx").content))
    # in euros in the workbook: the demo's amounts are entered in thousands
    rows = [r for r in book["Verrekening"].values if r and r[0] == 2027]
    assert rows[0][1] == "Zvw (zorgverzekeraar)" and rows[0][7] == pytest.approx(85_392)
    pdf = client.get(base + "agreement.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Plan tegenover realisatie, per partij" in text
    api = client.get(
        f"/api/v1/programmes/{deal.programme_id}/agreements/{deal.pk}/evaluation?draws=0"
    ).json()["settlement"]
    assert [(s["year"], s["qualifies"], round(s["shared"], 3)) for s in api] == [
        (2026, False, 0.0),
        (2027, True, 85.392),
    ]


def test_a_base_year_after_the_year_is_refused(world: World) -> None:
    deal = Agreement.objects.create(programme=world.a, name="Deal")
    response = world.client_for(world.director).post(
        f"/p/{world.a.pk}/realised-years/new/",
        {"agreement": deal.pk, "year": 2027, "stream": "Zvw", "persons": 100,
         "base_year": 2028, "base_cost_per_person": "10", "trend_rate": "0",
         "risk_adjustment": "1", "realised_cost": "900"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Het basisjaar kan niet na het jaar liggen." in response.content.decode()
    assert not RealisedYear.objects.filter(agreement=deal).exists()


def test_the_base_year_can_come_from_the_regiobeeld(world: World) -> None:
    from samenspel.web.core.accounts.models import AuditEvent
    from samenspel.web.monitoring.models import Dataset, RegiobeeldRun

    deal = Agreement.objects.create(programme=world.a, name="Deal", amount_unit="thousand")
    dataset = Dataset.objects.create(programme=world.a, name="Regio", kind="upload", folder="x")
    RegiobeeldRun.objects.create(
        programme=world.a, dataset=dataset, status="done",
        result={
            "population": [{"year": 2025, "municipality": "total", "persons": 30000.0,
                            "suppressed": False}],
            "costs": [
                {"year": 2025, "municipality": "total", "stream": "Wmo", "per_capita": 335.2,
                 "suppressed": False},
                {"year": 2025, "municipality": "total", "stream": "Wpg", "per_capita": None,
                 "suppressed": True},
            ],
            "disclosure": {"passed": True},  # as every stored result since the audit
        },
    )  # fmt: skip
    base = f"/p/{world.a.pk}/money/{deal.pk}/"
    page = world.client_for(world.director).get(base).content.decode()
    assert "<option value=\"2025|Wmo\">2025 · Wmo (gemeente)</option>" in page
    assert "2025|Wpg" not in page  # a suppressed figure is not offered
    assert "2025|Wmo" not in world.client_for(world.viewer).get(base).content.decode()
    url = base + "base-from-regiobeeld/"
    assert world.client_for(world.viewer).post(url, {"choice": "2025|Wmo"}).status_code == 403
    response = world.client_for(world.director).post(url, {"choice": "2025|Wmo"})
    assert response.status_code == 302
    form = world.client_for(world.director).get(response["Location"]).context["form"]
    # € 335.20 per inhabitant in an agreement kept in thousands of euros
    assert form["base_cost_per_person"].value() == "0.3352"
    assert (form["persons"].value(), form["base_year"].value(), form["year"].value()) == (
        "30000", "2025", "2026"
    )
    assert AuditEvent.objects.filter(action="use regiobeeld figures").count() == 1
    missing = world.client_for(world.director).post(url, {"choice": "2019|Wmo"}, follow=True)
    assert "Het regiobeeld heeft geen gepubliceerd cijfer voor dat jaar." in (
        missing.content.decode()
    )


@pytest.mark.django_db
def test_loss_terms_stored_past_the_form_say_so_and_break_nothing(world: World) -> None:
    """A database edit that skips the form (loss terms on a one-sided contract): the money page
    names the problem and settles nothing, instead of a server error."""
    deal = Agreement.objects.create(programme=world.a, name="Deal", start_year=2026, horizon=2)
    _with_a_line(world, deal)
    RealisedYear.objects.create(
        programme=world.a, agreement=deal, year=2027, stream="Zvw", persons=100, base_year=2026,
        base_cost_per_person=Decimal("2000"), realised_cost=Decimal("190000"),
    )  # fmt: skip
    Agreement.objects.filter(pk=deal.pk).update(loss_sharing_rate=Decimal("0.4"))
    page = world.client_for(world.director).get(f"/p/{world.a.pk}/money/{deal.pk}/")
    assert page.status_code == 200
    assert "only a two-sided contract has loss terms" in page.content.decode()
    assert page.context["evaluation"].realised == []


def _with_a_line(world: World, deal: Agreement) -> None:
    """One intervention with one cost line, so that the agreement evaluates and settles."""
    from samenspel.web.finance.models import Intervention, MoneyLine

    care = Intervention.objects.create(programme=world.a, agreement=deal, name="Care")
    care.partners.set([world.hospital])
    MoneyLine.objects.create(
        programme=world.a, intervention=care, kind="cost", party=world.hospital, stream="other",
        low=1, likely=1, high=1,
    )  # fmt: skip


def _year_post(deal: Agreement, **changes: object) -> dict[str, object]:
    """The realised-year form as posted: a Zvw year of 100 persons at 10 that cost 900."""
    fields = {"agreement": deal.pk, "year": 2027, "stream": "Zvw", "persons": 100,
              "base_year": 2026, "base_cost_per_person": "10", "trend_rate": "0",
              "risk_adjustment": "1", "realised_cost": "900", "moved_to_wlz": "0",
              "moved_to_wlz_cost": "0", "trend_source": "agreed"}  # fmt: skip
    return fields | changes


def _agreement_post(deal: Agreement, **changes: object) -> dict[str, object]:
    fields = {
        "name": deal.name, "scenario": deal.scenario, "start_year": deal.start_year,
        "horizon": deal.horizon, "discount_rate": "0.0225", "description": "",
        "amount_unit": "euro", "settlement_rule": "shapley", "minimum_savings_rate": "0.02",
        "sharing_rate": "0.5", "cap_rate": "0.1", "insurer_share": "1",
        "version": deal.version,
    }  # fmt: skip
    return fields | changes


def test_contract_terms_that_do_not_fit_are_refused_by_field(world: World) -> None:
    """An insurer's share above 100%, a quality score without indicators, Wlz moves on a Wmo
    year, more movers than persons and a movers' cost above the year's: each refused on its
    field, in Dutch, and nothing stored."""
    deal = Agreement.objects.create(programme=world.a, name="Deal")
    director = world.client_for(world.director)
    edit = director.post(
        f"/p/{world.a.pk}/agreements/{deal.pk}/edit/", _agreement_post(deal, insurer_share="1.5")
    )
    assert edit.status_code == 200 and "insurer_share" in edit.context["form"].errors
    deal.refresh_from_db()
    assert deal.insurer_share == 1
    year = _year_post(deal)
    cases = [
        ({"quality_score": "0.8"}, "quality_score", "De afspraak noemt geen kwaliteitsindicatoren"),
        ({"stream": "Wmo", "moved_to_wlz": "3"}, "moved_to_wlz", "Alleen een Zvw-jaar"),
        ({"moved_to_wlz": "100"}, "moved_to_wlz", "Minder dan het aantal personen"),
        ({"moved_to_wlz_cost": "50"}, "moved_to_wlz", "Geef het aantal personen bij"),
        ({"moved_to_wlz": "2", "moved_to_wlz_cost": "901"}, "moved_to_wlz_cost", "Hoogstens"),
    ]
    for change, field, message in cases:
        response = director.post(f"/p/{world.a.pk}/realised-years/new/", year | change)
        assert response.status_code == 200, change
        assert message in " ".join(response.context["form"].errors[field]), change
    assert not RealisedYear.objects.filter(agreement=deal).exists()
    # with indicators named, the same score is taken; then they cannot be removed under it
    deal.quality_indicators = "HbA1c in streefwaarde\n\nHeropnames binnen 30 dagen\n"
    deal.save()
    assert director.post(
        f"/p/{world.a.pk}/realised-years/new/", year | {"quality_score": "0.8"}
    ).status_code == 302
    cleared = director.post(
        f"/p/{world.a.pk}/agreements/{deal.pk}/edit/",
        _agreement_post(deal, quality_indicators="  "),
    )
    assert "quality_indicators" in cleared.context["form"].errors
    deal.refresh_from_db()
    assert deal.quality_indicator_list == ("HbA1c in streefwaarde", "Heropnames binnen 30 dagen")


def test_the_money_page_and_api_settle_by_size_quality_insurer_share_and_wlz_moves(
    world: World,
) -> None:
    """12,500 persons, of whom 100 moved into Wlz care with 150,000 of cost, so 12,400 settled
    (MSR 3.0% - 0.3% x 2,400 / 5,000 = 2.856%); the insurer holds 60% of the insured; quality
    0.9. Benchmark 12,400 x 2,000 = 24,800,000;
    counted cost 24,000,000 - 150,000 = 23,850,000; saved 950,000 (3.83%), shared
    950,000 x 50% x 0.9 x 60% = 256,500."""
    deal = Agreement.objects.create(
        programme=world.a, name="Deal", start_year=2026, horizon=2, msr_by_size=True,
        insurer_share=Decimal("0.6"), quality_indicators="HbA1c in streefwaarde",
    )  # fmt: skip
    _with_a_line(world, deal)
    RealisedYear.objects.create(
        programme=world.a, agreement=deal, year=2027, stream="Zvw", persons=12_500,
        base_year=2027, base_cost_per_person=Decimal("2000"), realised_cost=Decimal("24000000"),
        moved_to_wlz=100, moved_to_wlz_cost=Decimal("150000"), quality_score=Decimal("0.9"),
    )  # fmt: skip
    client = world.client_for(world.director)
    response = client.get(f"/p/{world.a.pk}/money/{deal.pk}/")
    ((outcome, _planned),) = response.context["evaluation"].realised
    assert outcome.benchmark == pytest.approx(24_800_000)
    assert outcome.savings == pytest.approx(950_000)
    assert outcome.minimum_rate == pytest.approx(0.02856)
    assert outcome.shared == pytest.approx(256_500)
    page = response.content.decode()
    assert "zonder 100 personen die naar de Wlz zijn overgegaan" in page
    assert "deelpercentage 45% bij kwaliteit 90%" in page
    assert "Kwaliteitsvoorwaarde" in page and "HbA1c in streefwaarde" in page
    assert "verrekent de contracterende verzekeraar zijn eigen verzekerden: 60%" in page
    api = client.get(
        f"/api/v1/programmes/{world.a.pk}/agreements/{deal.pk}/evaluation?draws=0"
    ).json()["settlement"][0]
    assert api["minimum_rate"] == pytest.approx(0.02856) and api["moved_to_wlz"] == 100
    assert api["sharing_rate"] == pytest.approx(0.45) and api["insurer_share"] == 0.6
    assert api["shared"] == pytest.approx(256_500)
    # without the score the savings wait for it, and every output says so
    row = RealisedYear.objects.get(agreement=deal)
    row.quality_score = None
    row.save()
    waiting = client.get(f"/p/{world.a.pk}/money/{deal.pk}/")
    assert "wacht op de kwaliteitsscore" in waiting.content.decode()
    workbook = client.get(f"/p/{world.a.pk}/money/{deal.pk}/agreement.xlsx").content
    book = load_workbook(io.BytesIO(workbook))
    (row,) = [r for r in book["Verrekening"].values if r and r[0] == 2027]
    assert row[3] == pytest.approx(23_850_000) and row[7] == 0
    assert row[8] == "wacht op de kwaliteitsscore"


def test_later_terms_left_at_their_default_keep_an_approval_fingerprint(world: World) -> None:
    from samenspel.web.core.approvals import fingerprint
    from samenspel.web.finance.selectors import snapshot

    deal = Agreement.objects.create(programme=world.a, name="Deal")
    before = snapshot(deal)
    assert not {"msr_by_size", "quality_indicators", "insurer_share"} & set(before["terms"])
    deal.insurer_share = Decimal("0.6")
    assert fingerprint(snapshot(deal)) != fingerprint(before)


def test_base_years_and_weights_that_do_not_fit_are_refused_by_field(world: World) -> None:
    deal = Agreement.objects.create(programme=world.a, name="Deal")
    _with_a_line(world, deal)
    director = world.client_for(world.director)
    year = _year_post(deal, year=2026, base_year=2025, trend_rate="0.03", trend_source="national")
    cases = [
        ({"base_weights": "10/30/50", "earlier_base_costs": "2023: 9; 2024: 9,5"},
         "base_weights", "De gewichten tellen op tot 100%"),
        ({"base_weights": "40/60", "earlier_base_costs": "2023: 9; 2024: 9,5"},
         "base_weights", "Eén gewicht per basisjaar: 3 hier"),
        ({"base_weights": "10/30/60", "earlier_base_costs": "2023: 9; 2026: 9,5"},
         "earlier_base_costs", "Elk eerder jaar één keer, vóór het basisjaar"),
        ({"base_weights": "10/30/60", "earlier_base_costs": "2023 9"},
         "earlier_base_costs", "Schrijf jaar: kosten per persoon"),
        ({"base_weights": "veel"}, "base_weights", "Schrijf de gewichten"),
    ]  # fmt: skip
    for change, field, message in cases:
        response = director.post(f"/p/{world.a.pk}/realised-years/new/", year | change)
        assert response.status_code == 200, change
        assert message in " ".join(response.context["form"].errors[field]), change
    assert not RealisedYear.objects.filter(agreement=deal).exists()
    good = year | {"base_weights": "0,1/0,3/0,6", "earlier_base_costs": "2024: 9,5; 2023: 9"}
    assert director.post(f"/p/{world.a.pk}/realised-years/new/", good).status_code == 302
    page = director.get(f"/p/{world.a.pk}/money/{deal.pk}/").content.decode()
    assert "basis 2023–2025, gewogen 10/30/60%" in page
    assert "trend 3%, landelijk" in page


def test_three_base_years_and_a_regional_trend_come_from_the_regiobeeld(world: World) -> None:
    from samenspel.web.monitoring.models import Dataset, RegiobeeldRun

    deal = Agreement.objects.create(programme=world.a, name="Deal")
    dataset = Dataset.objects.create(programme=world.a, name="Regio", kind="upload", folder="x")
    RegiobeeldRun.objects.create(
        programme=world.a, dataset=dataset, status="done",
        result={
            "population": [{"year": y, "municipality": "total", "persons": 30000.0,
                            "suppressed": False} for y in (2023, 2024, 2025)],
            "costs": [{"year": y, "municipality": "total", "stream": "Wmo", "per_capita": c,
                       "suppressed": False}
                      for y, c in ((2023, 300.0), (2024, 318.0), (2025, 337.08))],
            "disclosure": {"passed": True},
        },
    )  # fmt: skip
    url = f"/p/{world.a.pk}/money/{deal.pk}/base-from-regiobeeld/"
    response = world.client_for(world.director).post(url, {"choice": "2025|Wmo"})
    form = world.client_for(world.director).get(response["Location"]).context["form"]
    assert form["earlier_base_costs"].value() == "2023: 300.0000; 2024: 318.0000"
    assert form["base_weights"].value() == "10/30/60"
    # 300 → 337.08 in two years: 6% a year, the region's own trend
    assert form["trend_rate"].value() == "0.0600" and form["trend_source"].value() == "regional"


@pytest.mark.django_db
def test_the_demo_settles_a_year_under_each_contract_type() -> None:
    """Goedleven (growth bending): 52,000 persons at 3.1 (thousands) in 2025; trend 4%, agreed
    1.5%: benchmark 161,200 x 1.04^2 = 174,353.92, target 161,200 x 1.015^2 = 166,072.27;
    realised 161,000, 5,072.27 (3.05%) below the target, half shared. Anders Beter (lump
    sum): a sum of 10,600 for care that cost 10,350."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from samenspel.web.workspace.demo import load_demo

    load_demo(with_population=False)
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    found = {}
    for name in ("Goedleven", "Anders Beter"):
        deal = Agreement.objects.get(programme__name=name)
        response = client.get(f"/p/{deal.programme_id}/money/{deal.pk}/")
        ((found[name], _planned),) = response.context["evaluation"].realised
        page = response.content.decode()
        assert "Groeiafspraak:" in page if name == "Goedleven" else "Aanneemsom:" in page
    bent, lump = found["Goedleven"], found["Anders Beter"]
    assert bent.benchmark == pytest.approx(174_353.92) and bent.target == pytest.approx(166_072.27)
    assert bent.shared == pytest.approx(2_536.135) and bent.qualifies
    assert bent.funder_gain == pytest.approx(174_353.92 - 161_000 - 2_536.135)
    assert lump.shared == pytest.approx(250) and lump.target == 10_600
    assert lump.funder_gain == pytest.approx(41_000 * 0.25 * 1.03**2 - 10_600)
    assert lump.per_party[next(p for p in lump.per_party if "verzekeraar" in p)] == 0


def test_contract_types_that_do_not_fit_are_refused_by_field(world: World) -> None:
    """Growth bending without its agreed growth, an agreed growth on shared savings, a lump-sum
    year without its sum, a sum on a shared-savings year, and a change of contract type under
    entered years: each refused on its field, in Dutch, and nothing stored."""
    deal = Agreement.objects.create(programme=world.a, name="Deal")
    director = world.client_for(world.director)
    edit = f"/p/{world.a.pk}/agreements/{deal.pk}/edit/"
    cases = [
        ({"contract_type": "growth_bending"}, "agreed_growth_rate", "Geef de afgesproken groei"),
        ({"agreed_growth_rate": "0.015"}, "agreed_growth_rate", "Alleen een groeiafspraak"),
    ]
    for change, field, message in cases:
        response = director.post(edit, _agreement_post(deal, **change))
        assert message in " ".join(response.context["form"].errors[field]), change
    deal.refresh_from_db()
    assert deal.contract_type == "shared_savings" and deal.agreed_growth_rate is None
    year = _year_post(deal)
    new = f"/p/{world.a.pk}/realised-years/new/"
    refused = director.post(new, year | {"lump_sum": "950"})
    assert "Alleen een contract met een aanneemsom" in " ".join(
        refused.context["form"].errors["lump_sum"]
    )
    assert director.post(new, year).status_code == 302
    switched = director.post(edit, _agreement_post(deal, contract_type="lump_sum"))
    assert "pas die eerst aan" in " ".join(switched.context["form"].errors["contract_type"])
    RealisedYear.objects.filter(agreement=deal).delete()
    deal.refresh_from_db()
    assert director.post(edit, _agreement_post(deal, contract_type="lump_sum")).status_code == 302
    missing = director.post(new, year)
    assert "Geef de aanneemsom van dit jaar" in " ".join(missing.context["form"].errors["lump_sum"])
    assert not RealisedYear.objects.filter(agreement=deal).exists()


def test_a_confidence_interval_and_truncation_that_do_not_fit_are_refused_by_field(
    world: World,
) -> None:
    """Both kinds of minimum rate at once, a confidence of 100%, a year without the spread the
    interval needs, untruncated figures under a truncating agreement, and switching either
    term on above years that lack it: each refused on its field, in Dutch, nothing stored."""
    deal = Agreement.objects.create(programme=world.a, name="Deal")
    director = world.client_for(world.director)
    edit = f"/p/{world.a.pk}/agreements/{deal.pk}/edit/"
    for change, field in (
        ({"msr_confidence": "0.9", "msr_by_size": "on"}, "msr_confidence"),
        ({"msr_confidence": "1"}, "msr_confidence"),
        ({"msr_confidence": "NaN"}, "msr_confidence"),
    ):
        response = director.post(edit, _agreement_post(deal, **change))
        assert field in response.context["form"].errors, change
    deal.refresh_from_db()
    assert deal.msr_confidence is None and not deal.msr_by_size
    new_year = f"/p/{world.a.pk}/realised-years/new/"
    assert director.post(new_year, _year_post(deal)).status_code == 302
    for change, field, message in (
        ({"msr_confidence": "0.9"}, "msr_confidence", "zonder spreiding"),
        ({"truncate_costs": "on"}, "truncate_costs", "niet-afgekapte"),
    ):
        response = director.post(edit, _agreement_post(deal, **change))
        assert message in " ".join(response.context["form"].errors[field]), change
    deal.refresh_from_db()
    assert deal.msr_confidence is None and not deal.truncate_costs
    RealisedYear.objects.filter(agreement=deal).delete()
    deal.msr_confidence, deal.truncate_costs = Decimal("0.9"), True
    deal.save()
    response = director.post(f"/p/{world.a.pk}/realised-years/new/", _year_post(deal))
    errors = response.context["form"].errors
    assert "spreiding" in " ".join(errors["cost_sd_per_person"])
    assert "99e percentiel" in " ".join(errors["truncated"])
    assert not RealisedYear.objects.filter(agreement=deal).exists()
    taken = director.post(
        f"/p/{world.a.pk}/realised-years/new/",
        _year_post(deal, cost_sd_per_person="20", truncated="on"),
    )
    assert taken.status_code == 302


@pytest.mark.django_db
def test_a_truncated_year_with_a_confidence_interval_is_settled_on_every_output() -> None:
    """The demo's Samendraads 2027 (1,800 persons, base 3.2 and trend 3%: a benchmark of
    6,110.784, saved 2.79%) with a spread of 6.4 (variation 2): at 90% the minimum rate is
    1.645 x 2 / sqrt(1,800) = 7.75%, so nothing is shared; the page, the workbook and the API
    say the costs were truncated."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from samenspel.web.workspace.demo import load_demo

    load_demo(with_population=False)
    deal = Agreement.objects.get(programme__name="Samendraads")
    RealisedYear.objects.filter(agreement=deal).update(
        cost_sd_per_person=Decimal("6.4"), truncated=True
    )
    Agreement.objects.filter(pk=deal.pk).update(
        msr_confidence=Decimal("0.9"), truncate_costs=True
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    base = f"/p/{deal.programme_id}/money/{deal.pk}/"
    response = client.get(base)
    (_loss, _none), (year, _planned) = response.context["evaluation"].realised
    assert year.minimum_rate == pytest.approx(1.644854 * 2 / 1800**0.5, rel=1e-5)
    assert year.savings_rate == pytest.approx(0.02795, abs=1e-4)
    assert not year.qualifies and year.shared == 0
    page = response.content.decode()
    assert "afgekapt op het 99e percentiel" in page and "90%-betrouwbaarheidsinterval" in page
    assert "minimum 7,75%" in page and "onder het minimumpercentage" in page
    book = load_workbook(io.BytesIO(client.get(base + "agreement.xlsx").content))
    header, *rows = book["Verrekening"].values
    assert header[13] == "afgekapt op het 99e percentiel" and rows[1][13] == "ja"
    api = client.get(
        f"/api/v1/programmes/{deal.programme_id}/agreements/{deal.pk}/evaluation?draws=0"
    ).json()["settlement"]
    assert [(s["truncated"], s["cost_sd_per_person"]) for s in api] == [(True, 6.4)] * 2


def test_truncated_figures_and_their_spread_come_from_the_regiobeeld(world: World) -> None:
    """A truncating agreement takes the regiobeeld's truncated cost per inhabitant for the
    base years, its spread, and the next year's truncated cost as the realised cost; a year
    without truncated figures is not offered."""
    from samenspel.web.monitoring.models import Dataset, RegiobeeldRun

    deal = Agreement.objects.create(programme=world.a, name="Deal", truncate_costs=True)
    dataset = Dataset.objects.create(programme=world.a, name="Regio", kind="upload", folder="x")
    years = (2023, 2024, 2025, 2026)
    RegiobeeldRun.objects.create(
        programme=world.a, dataset=dataset, status="done",
        result={
            "population": [{"year": y, "municipality": "total", "persons": 30000.0 + y - 2023,
                            "suppressed": False} for y in years],
            "costs": [{"year": y, "municipality": "total", "stream": "Zvw",
                       "per_capita": 3000.0 + y, "suppressed": False} for y in years],
            "settlement": [
                {"year": 2023, "stream": "Zvw", "percentile": 99, "suppressed": True,
                 "reason": "too_few_above_cap"},
                *({"year": y, "stream": "Zvw", "percentile": 99, "suppressed": False,
                   "truncated_per_capita": t, "sd_per_capita": 4100.5}
                  for y, t in ((2024, 2800.0), (2025, 2900.0), (2026, 2950.0))),
            ],
            "disclosure": {"passed": True},
        },
    )  # fmt: skip
    director = world.client_for(world.director)
    page = director.get(f"/p/{world.a.pk}/money/{deal.pk}/").content.decode()
    assert "2025|Zvw" in page and "2023|Zvw" not in page
    url = f"/p/{world.a.pk}/money/{deal.pk}/base-from-regiobeeld/"
    response = director.post(url, {"choice": "2025|Zvw"})
    form = director.get(response["Location"]).context["form"]
    assert form["base_cost_per_person"].value() == "2900.0000"
    assert form["cost_sd_per_person"].value() == "4100.5000"
    assert "checked" in str(form["truncated"])  # the box comes ticked
    # the realised year 2026: 30,003 inhabitants at 2,950 truncated
    assert (form["persons"].value(), form["realised_cost"].value()) == ("30003", "88508850.00")
    # 2023 has no truncated figure: one base year, no regional trend from untruncated costs
    assert not form["earlier_base_costs"].value()
    refused = director.post(url, {"choice": "2023|Zvw"}, follow=True).content.decode()
    assert "geen afgekapte kosten" in refused
