"""Illustrative agreements for the demo programmes (fictional amounts, in thousands of euros).

Their texts are English message ids, shown in the reader's language (see workspace.demo_texts)."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django.utils.translation import gettext_noop

from samenspel.web.core.models import Organisation, Programme

from .models import Agreement, CareTask, Intervention, MoneyLine, RealisedYear


def _org(programme: Programme, prefix: str) -> Organisation:
    found: Organisation = Organisation.objects.get(programme=programme, name__startswith=prefix)
    return found


def _line(
    intervention: Intervention,
    kind: str,
    party: Organisation,
    stream: str,
    low: int,
    likely: int,
    high: int,
    years: str = "all",
    reason: str = "",
) -> None:
    line = MoneyLine(
        programme=intervention.programme,
        intervention=intervention,
        kind=kind,
        party=party,
        stream=stream,
        low=Decimal(low),
        likely=Decimal(likely),
        high=Decimal(high),
        years=years,
        stream_reason=reason,
    )
    line.full_clean()
    line.save()


def _intervention(
    agreement: Agreement,
    name: str,
    partners: list[Organisation],
    description: str = "",
    *,
    uptake_linked: bool = False,
) -> Intervention:
    intervention = Intervention.objects.create(
        programme=agreement.programme,
        agreement=agreement,
        name=name,
        description=description,
        uptake_linked=uptake_linked,
    )
    intervention.partners.set(partners)
    return cast("Intervention", intervention)


def load_money_demo(programmes: dict[str, Programme]) -> None:
    """Agreements for Samendraads (substitution) and Proeftuin Ruwaard (neighbourhood team)."""
    samendraads = programmes["Samendraads"]
    hospital, care_group = _org(samendraads, "Ziekenhuis"), _org(samendraads, "Zorggroep")
    insurer, town = _org(samendraads, "Zorgverzekeraar"), _org(samendraads, "Gemeente")
    agreement = Agreement.objects.create(
        programme=samendraads,
        name="Substitutie-afspraak 2026-2030",
        start_year=2026,
        horizon=5,
        description=gettext_noop("Illustrative amounts."),
        amount_unit="thousand",
    )
    CareTask.objects.create(
        programme=samendraads,
        agreement=agreement,
        performer=care_group,
        name=gettext_noop("Anticoagulation monitoring in general practice"),
        target_population=gettext_noop("Patients on vitamin K antagonists"),
        volume=1800,
        unit=gettext_noop("patients"),
    )
    anticoag = _intervention(
        agreement,
        gettext_noop("Anticoagulation care moves to general practice"),
        [hospital, care_group, insurer],
        uptake_linked=True,  # its costs and savings all follow how many patients move
    )
    # The insurer stops paying the hospital's anticoagulation clinic and pays the care group a
    # cheaper module instead: the hospital loses that revenue and saves its own costs.
    _line(anticoag, "cost", care_group, "other", 60, 80, 120, "1")
    _line(anticoag, "cost", hospital, "other", 60, 80, 120, "1")
    _line(anticoag, "cost", care_group, "other", 250, 300, 380, "2,3,4,5")
    _line(anticoag, "revenue", care_group, "Zvw", 300, 330, 360, "2,3,4,5")
    _line(anticoag, "cost", insurer, "Zvw", 300, 330, 360, "2,3,4,5")
    _line(anticoag, "saving", insurer, "Zvw", 380, 520, 600, "2,3,4,5")
    _line(anticoag, "lost_revenue", hospital, "Zvw", 380, 520, 600, "2,3,4,5")
    _line(anticoag, "saving", hospital, "other", 400, 480, 540, "2,3,4,5")
    elderly = _intervention(
        agreement,
        gettext_noop("Integrated care for frail older people"),
        [hospital, care_group, insurer, town],
    )
    # Two years settled: 2026 (the first, no savings planned) ended in a small loss, which a
    # one-sided contract does not share; 2027 saved 2.8% of the benchmark, above the minimum.
    for year, realised in ((2026, Decimal("6000")), (2027, Decimal("5940"))):
        settled = RealisedYear(
            programme=samendraads, agreement=agreement, year=year, stream="Zvw", persons=1800,
            base_year=2025, base_cost_per_person=Decimal("3.2"), trend_rate=Decimal("0.03"),
            realised_cost=realised,
        )  # fmt: skip
        settled.full_clean()
        settled.save()
    _line(elderly, "cost", care_group, "other", 150, 200, 260)
    _line(elderly, "cost", town, "Wmo", 60, 80, 110)
    _line(elderly, "saving", insurer, "Zvw", 150, 260, 330, "2,3,4,5")
    _line(elderly, "saving", town, "Wmo", 20, 50, 70, "3,4,5")
    _line(elderly, "saving", hospital, "other", 0, 30, 60, "3,4,5")

    ruwaard = programmes["Proeftuin Ruwaard"]
    municipality, health_centre = _org(ruwaard, "Gemeente"), _org(ruwaard, "Gezondheidscentrum")
    r_insurer, housing = _org(ruwaard, "Zorgverzekeraar"), _org(ruwaard, "Woonstichting")
    welfare, homecare = _org(ruwaard, "Welzijn"), _org(ruwaard, "Thuiszorg")
    plan = Agreement.objects.create(
        programme=ruwaard,
        name="Wijkafspraak Ruwaard",
        start_year=2026,
        horizon=5,
        description=gettext_noop("Illustrative amounts."),
        amount_unit="thousand",
    )
    CareTask.objects.create(
        programme=ruwaard,
        agreement=plan,
        performer=welfare,
        name=gettext_noop("One kitchen-table conversation per household"),
        target_population=gettext_noop("Households with a Wmo request"),
        volume=400,
        unit=gettext_noop("households"),
    )
    team = _intervention(
        plan,
        gettext_noop("One neighbourhood team"),
        [municipality, health_centre, welfare, homecare, r_insurer],
    )
    _line(team, "cost", municipality, "Wmo", 160, 210, 280)  # includes the welfare subsidy
    _line(team, "cost", welfare, "other", 40, 60, 80)
    _line(team, "revenue", welfare, "Wmo", 40, 60, 80)
    _line(team, "cost", health_centre, "other", 30, 40, 60)
    _line(team, "saving", municipality, "Wmo", 60, 110, 150, "2,3,4,5")
    _line(team, "saving", r_insurer, "Zvw", 80, 140, 200, "2,3,4,5")
    _line(
        team, "saving", homecare, "Zvw", 10, 20, 30,
        reason=gettext_noop(
            "District nursing is paid from a fixed Zvw budget agreed with the insurer: hours "
            "saved stay with the provider under that contract."
        ),
    )  # fmt: skip
    # The first year of the neighbourhood team, settled: Wmo cost a little above the benchmark.
    first = RealisedYear(
        programme=ruwaard, agreement=plan, year=2026, stream="Wmo", persons=15200,
        base_year=2025, base_cost_per_person=Decimal("0.45"), trend_rate=Decimal("0.02"),
        realised_cost=Decimal("7010"),
    )  # fmt: skip
    first.full_clean()
    first.save()
    homes = _intervention(
        plan, gettext_noop("Home adaptations without a waiting list"), [municipality, housing]
    )
    _line(homes, "cost", housing, "own_funds", 80, 100, 130, "1,2")
    _line(homes, "saving", municipality, "Wmo", 20, 35, 45)
    _line(homes, "saving", r_insurer, "Zvw", 5, 15, 25, "2,3,4,5")


def _settle(agreement: Agreement, **fields: object) -> None:
    year = RealisedYear(programme=agreement.programme, agreement=agreement, **fields)
    year.full_clean()
    year.save()


def _three_years(programme: Programme, name: str, **terms: object) -> Agreement:
    """An illustrative agreement for 2026-2028 in thousands of euros, checked and saved."""
    agreement = Agreement(
        programme=programme, name=name, start_year=2026, horizon=3,
        description=gettext_noop("Illustrative amounts."), amount_unit="thousand", **terms,
    )  # fmt: skip
    agreement.full_clean()
    agreement.save()
    return agreement


def load_contract_types_demo(programmes: dict[str, Programme]) -> None:
    """One settled year under each other contract type: growth bending in Goedleven, a lump sum
    in Anders Beter (Samendraads and Ruwaard settle shared savings)."""
    goedleven = programmes["Goedleven"]
    hospital, care_group = _org(goedleven, "Ziekenhuis"), _org(goedleven, "Zorggroep")
    insurer = _org(goedleven, "Zorgverzekeraar")
    bending = _three_years(
        goedleven, "Groeiafspraak ziekenhuiszorg 2026-2028",
        contract_type="growth_bending", agreed_growth_rate=Decimal("0.015"),
    )  # fmt: skip
    clinic = _intervention(
        bending,
        gettext_noop("Shared clinic for chronic conditions"),
        [hospital, care_group, insurer],
    )
    _line(clinic, "cost", care_group, "other", 80, 100, 130)
    _line(clinic, "saving", insurer, "Zvw", 150, 220, 300, "2,3")
    _line(clinic, "lost_revenue", hospital, "Zvw", 100, 150, 200, "2,3")
    _line(clinic, "saving", hospital, "other", 90, 130, 170, "2,3")
    # 2027: the cost per person grew less than the agreed 1.5% a year, let alone the 4% trend
    _settle(
        bending, year=2027, stream="Zvw", persons=52000, base_year=2025,
        base_cost_per_person=Decimal("3.1"), trend_rate=Decimal("0.04"),
        trend_source="national", realised_cost=Decimal("161000"),
    )  # fmt: skip

    anders = programmes["Anders Beter"]
    homecare, welfare = _org(anders, "Thuiszorg"), _org(anders, "Welzijn")
    a_insurer = _org(anders, "Zorgverzekeraar")
    lump = _three_years(anders, "Aanneemsom wijkverpleging 2026-2028", contract_type="lump_sum")
    nursing = _intervention(
        lump,
        gettext_noop("District nursing within a fixed sum"),
        [homecare, welfare, a_insurer],
    )
    _line(nursing, "cost", homecare, "other", 40, 60, 90)
    _line(nursing, "cost", welfare, "other", 10, 15, 20)
    _line(nursing, "saving", a_insurer, "Zvw", 120, 160, 200, "2,3")
    # 2027: the care cost less than the agreed sum; the providers keep the difference
    _settle(
        lump, year=2027, stream="Zvw", persons=41000, base_year=2025,
        base_cost_per_person=Decimal("0.25"), trend_rate=Decimal("0.03"),
        realised_cost=Decimal("10350"), lump_sum=Decimal("10600"),
    )  # fmt: skip
