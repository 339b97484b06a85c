"""Financing streams that matter: revenue lines, the stream rules with recorded exceptions, and
the party x stream matrix on the page, in the API, the PDF and Excel."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from samenspel.analytics.business_case import business_case, coalition_game, parse_agreement
from samenspel.analytics.business_case.streams import (
    STREAM_RULES,
    StreamLine,
    breaches,
    counted,
)
from samenspel.web.core.models import Organisation
from samenspel.web.finance.evaluation import stream_check
from samenspel.web.finance.models import Agreement, Intervention, MoneyLine

from .conftest import World

# Fee for service: the hospital treats fewer patients, so it loses 100 of Zvw revenue a year
# and saves 80 of its own costs; the insurer no longer pays the 100.
FEWER_ADMISSIONS = {
    "parties": ["hospital", "insurer"],
    "horizon": 2,
    "discount_rate": 0.0,
    "interventions": [
        {
            "name": "Fewer admissions",
            "partners": ["hospital", "insurer"],
            "costs": [],
            "savings": [
                {"party": "hospital", "stream": "other", "likely": 80},
                {"party": "insurer", "stream": "Zvw", "likely": 100},
            ],
            "revenues": [{"party": "hospital", "stream": "Zvw", "likely": 100, "lost": True}],
        }
    ],
}


def test_lost_revenue_is_a_loss_of_the_provider_and_shows_per_stream() -> None:
    agreement = parse_agreement(FEWER_ADMISSIONS)
    case = business_case(agreement)
    hospital, insurer = case.parties
    assert hospital.revenue == [-100, -100] and hospital.net == [-20, -20]
    assert hospital.npv == pytest.approx(-40) and insurer.npv == pytest.approx(200)
    assert case.wrong_pocket[0] == ("hospital", 200, 160, -40)  # loses 200, saves 160
    assert sorted(case.stream_matrix()) == [
        ("hospital", "Zvw", 0, 0, -200),
        ("hospital", "other", 0, 160, 0),
        ("insurer", "Zvw", 0, 200, 0),
    ]
    # The insurer alone cannot act; together the gain is 160 + 200 - 200 = 160.
    game = coalition_game(agreement)
    assert game.value(["hospital", "insurer"]) == pytest.approx(160)


def test_the_stream_rules_name_the_funder_and_the_providers() -> None:
    assert STREAM_RULES["Zvw"]["saves"] == {"health_insurer"}
    assert STREAM_RULES["Wlz"]["pays"] == {"zorgkantoor"}
    assert STREAM_RULES["Wmo"]["saves"] == STREAM_RULES["Jeugdwet"]["pays"] == {"municipality"}
    lines = [
        StreamLine("Gemeente", "municipality", "Zvw", "saves"),  # breach
        StreamLine("Ziekenhuis", "hospital", "Zvw", "earns"),  # fine
        StreamLine("Ziekenhuis", "hospital", "Zvw", "saves"),  # breach: it loses revenue
        StreamLine("Verzekeraar", "health_insurer", "Zvw", "earns"),  # breach
        StreamLine("Gemeente", "municipality", "Zvw", "saves", reason="pilot budget"),
        StreamLine("Woonstichting", "housing_corporation", "own_funds", "pays"),  # no rule
    ]
    assert [(b.line.party, b.line.role) for b in breaches(lines)] == [
        ("Gemeente", "saves"),
        ("Ziekenhuis", "saves"),
        ("Verzekeraar", "earns"),
    ]


@pytest.fixture
def shifted(world: World) -> Agreement:
    """A municipality that books a Zvw saving: the breach the stream rules exist for."""
    insurer = Organisation.objects.create(
        programme=world.a, name="Insurer A", kind="health_insurer", domain="finance",
        level="region",
    )  # fmt: skip
    agreement = Agreement.objects.create(
        programme=world.a, name="Deal", start_year=2026, horizon=2, discount_rate=Decimal("0")
    )
    care = Intervention.objects.create(programme=world.a, agreement=agreement, name="Care")
    care.partners.set([world.hospital, world.municipality, insurer])
    for kind, party, stream, amount in (
        ("cost", world.municipality, "Wmo", 50),
        ("saving", world.municipality, "Zvw", 90),
        ("lost_revenue", world.hospital, "Zvw", 120),
        ("saving", world.hospital, "other", 100),
        ("saving", insurer, "Zvw", 120),
    ):
        MoneyLine.objects.create(
            programme=world.a, intervention=care, kind=kind, party=party, stream=stream,
            low=amount, likely=amount, high=amount,
        )  # fmt: skip
    return agreement


def test_a_breach_is_flagged_until_a_reason_is_recorded(world: World, shifted: Agreement) -> None:
    url = f"/p/{world.a.pk}/money/{shifted.pk}/"
    page = world.client_for(world.director).get(url).content.decode()
    assert "Controle van de financieringsstromen" in page
    assert "Town A boekt een besparing op Zvw" in page
    assert "alleen Zorgverzekeraar bespaart daarop" in page
    [(line, problem)] = stream_check(shifted)
    assert (line.party.name, problem.line.role) == ("Town A", "saves")
    api = world.client_for(world.viewer).get(
        f"/api/v1/programmes/{world.a.pk}/agreements/{shifted.pk}/evaluation?draws=0"
    )
    assert api.json()["stream_breaches"] == [
        {"line": line.pk, "party": "Town A", "stream": "Zvw", "role": "saves",
         "allowed_kinds": ["health_insurer"]}
    ]  # fmt: skip
    # the line counts nowhere: not in the business case, not in the division
    assert "tellen niet mee in de businesscase en de verdeling" in page
    [left_out] = api.json()["not_counted"]
    assert (left_out["party"], left_out["stream"], left_out["role"]) == ("Town A", "Zvw", "saves")
    assert "may not save Zvw money" in left_out["why"]
    town = {p["party"]: p for p in api.json()["business_case"]}["Town A"]
    assert town["pv_savings"] == 0 and town["npv"] == -100  # its 2 x 50 of Wmo cost only
    # The director records why it is right all the same: no breach, the reason is listed.
    line.stream_reason = "Zvw pilot budget delegated to the municipality"
    line.save()
    assert stream_check(shifted) == []
    page = world.client_for(world.director).get(url).content.decode()
    assert "Controle van de financieringsstromen" not in page
    assert "Zvw pilot budget delegated to the municipality" in page
    api = world.client_for(world.viewer).get(
        f"/api/v1/programmes/{world.a.pk}/agreements/{shifted.pk}/evaluation?draws=0"
    ).json()
    assert api["not_counted"] == []
    assert {p["party"]: p for p in api["business_case"]}["Town A"]["npv"] == 2 * (90 - 50)


def test_a_saving_on_a_stream_the_party_does_not_fund_buys_no_share() -> None:
    """The hospital books a Zvw saving of 30: counted, it stood alone at 30 and took a share
    of what the insurer saves. With the parties' kinds known the line is left out, and with a
    reason it counts again."""
    data = {
        "parties": ["hospital", "insurer"], "horizon": 1, "discount_rate": 0.0,
        "kinds": {"hospital": "hospital", "insurer": "health_insurer"},
        "interventions": [
            {"name": "Own saving", "partners": ["hospital"],
             "savings": [{"party": "hospital", "stream": "Zvw", "likely": 30}]},
            {"name": "Care at home", "partners": ["hospital", "insurer"],
             "costs": [{"party": "hospital", "stream": "other", "likely": 40}],
             "savings": [{"party": "insurer", "stream": "Zvw", "likely": 100}]},
        ],
    }  # fmt: skip
    agreement, left_out = counted(parse_agreement(data))
    assert [(n.intervention, n.breach.line.party, n.breach.line.role) for n in left_out] == [
        ("Own saving", "hospital", "saves")
    ]
    assert coalition_game(agreement).value(["hospital"]) == 0
    assert coalition_game(parse_agreement({**data, "kinds": {}})).value(["hospital"]) == 30
    data["interventions"][0]["savings"][0]["reason"] = "own Zvw contract for this ward"
    agreement, left_out = counted(parse_agreement(data))
    assert not left_out and coalition_game(agreement).value(["hospital"]) == 30


def test_the_command_line_lists_what_it_leaves_out(tmp_path: Path) -> None:
    file = tmp_path / "agreement.json"
    document = {**FEWER_ADMISSIONS, "kinds": {"hospital": "hospital", "insurer": "health_insurer"}}
    document["interventions"] = [
        {**FEWER_ADMISSIONS["interventions"][0],
         "costs": [{"party": "insurer", "stream": "Wmo", "likely": 5}]}
    ]  # fmt: skip
    file.write_text(json.dumps(document))
    run = [sys.executable, "-m", "samenspel.cli.main", "allocate", str(file), "--rule", "shapley"]
    report = json.loads(subprocess.run([*run, "--json"], capture_output=True, text=True,
                                       check=True).stdout)  # fmt: skip
    [item] = report["not_counted"]
    assert (item["party"], item["stream"], item["role"]) == ("insurer", "Wmo", "pays")
    assert item["allowed"] == ["municipality"]
    text = subprocess.run(run, capture_output=True, text=True, check=True)
    assert "1 line(s) not counted" in text.stderr and "may not pay from Wmo money" in text.stderr


def test_the_party_stream_matrix_on_the_page_in_excel_and_the_pdf(
    world: World, shifted: Agreement
) -> None:
    client = world.client_for(world.viewer)
    base = f"/p/{world.a.pk}/money/{shifted.pk}/"
    page = client.get(base)
    rows = {(r[0], r[1]): r[2:] for r in page.context["stream_matrix"]}
    assert rows[("Hospital A", "Zvw (zorgverzekeraar)")] == (0, 0, -240)  # lost revenue, 2 years
    assert rows[("Town A", "Wmo (gemeente)")] == (100, 0, 0)
    assert rows[("Insurer A", "Zvw (zorgverzekeraar)")] == (0, 240, 0)
    assert "Wie betaalt, bespaart en verdient, per financieringsstroom" in page.content.decode()
    book = load_workbook(io.BytesIO(client.get(base + "agreement.xlsx").content))
    sheet = [tuple(r) for r in book["Financieringsstromen"].values]
    assert sheet[0] == ("Partij", "Financieringsstroom", "Betaalt (CW)", "Bespaart (CW)",
                        "Verdient (CW)")  # fmt: skip
    assert ("Hospital A", "Zvw (zorgverzekeraar)", 0, 0, -240) in sheet
    assert "€" in book["Financieringsstromen"]["E2"].number_format
    pdf = client.get(base + "agreement.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Wie betaalt, bespaart en verdient, per financieringsstroom" in text
    assert "Town A boekt een besparing op Zvw" in text


@pytest.mark.django_db
def test_the_demo_agreements_follow_the_stream_rules_and_show_revenue() -> None:
    from samenspel.web.workspace.demo import load_demo

    load_demo(with_population=False)
    agreements = list(Agreement.objects.filter(programme__is_demo=True))
    assert agreements
    assert all(stream_check(a) == [] for a in agreements)
    kinds = set(MoneyLine.objects.filter(programme__is_demo=True).values_list("kind", flat=True))
    assert {"revenue", "lost_revenue"} <= kinds
    assert MoneyLine.objects.filter(programme__is_demo=True).exclude(stream_reason="").exists()
