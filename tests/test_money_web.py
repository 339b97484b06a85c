"""Money in the web app and API: access, dashboard figures, exports, scenarios, bad input."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from samenspel.web.finance.evaluation import evaluate
from samenspel.web.finance.models import Agreement, Intervention, MoneyLine

from .conftest import World


@pytest.fixture
def agreement(world: World) -> Agreement:
    a = Agreement.objects.create(
        programme=world.a, name="Deal", start_year=2026, horizon=3, discount_rate=Decimal("0.10")
    )
    care = Intervention.objects.create(programme=world.a, agreement=a, name="Care at home")
    care.partners.set([world.hospital, world.municipality])
    MoneyLine.objects.create(
        programme=world.a,
        intervention=care,
        kind="cost",
        party=world.hospital,
        stream="other",
        low=100,
        likely=100,
        high=100,
        years="1",
    )
    MoneyLine.objects.create(
        programme=world.a,
        intervention=care,
        kind="saving",
        party=world.municipality,
        stream="Wmo",
        low=40,
        likely=66,
        high=80,
        years="all",
    )
    return a


def _url(world: World, agreement: Agreement, suffix: str = "") -> str:
    return f"/p/{world.a.pk}/money/{agreement.pk}/{suffix}"


def test_dashboard_shows_business_case_and_allocation(world: World, agreement: Agreement) -> None:
    response = world.client_for(world.viewer).get(_url(world, agreement))
    assert response.status_code == 200
    evaluation = response.context["evaluation"]
    npv = {p.party: p.npv for p in evaluation.case.parties}
    assert npv["Hospital A"] == pytest.approx(-100)
    assert npv["Town A"] == pytest.approx(66 + 60 + 66 / 1.21)
    shapley = evaluation.settlements["shapley"].allocation.as_dict()
    assert shapley["Hospital A"] == pytest.approx(40.2727272)
    [transfer] = evaluation.settlements["shapley"].transfers
    assert (transfer.payer, transfer.payee) == ("Town A", "Hospital A")
    assert b"<svg" in response.content


@pytest.mark.parametrize("suffix", ["", "agreement.xlsx", "agreement.json", "agreement.pdf"])
def test_outsiders_get_404_and_members_can_read(
    world: World, agreement: Agreement, suffix: str
) -> None:
    url = _url(world, agreement, suffix)
    assert world.client_for(world.outsider).get(url).status_code == 404
    assert world.client_for(world.viewer).get(url).status_code == 200
    other = f"/p/{world.b.pk}/money/{agreement.pk}/{suffix}"
    assert world.client_for(world.outsider).get(other).status_code == 404


def test_excel_export_has_the_sheets_a_board_signs(world: World, agreement: Agreement) -> None:
    content = world.client_for(world.director).get(_url(world, agreement, "agreement.xlsx")).content
    book = load_workbook(io.BytesIO(content))
    # Dutch by default, like the rest of the interface.
    assert book.sheetnames == [
        "Businesscase",
        "Wrong pocket",
        "Financieringsstromen",
        "Verdeling",
        "Verevening",
        "Onzekerheid",
    ]
    rows = list(book["Verevening"].values)
    assert ("Shapley-waarde", "Town A", "Hospital A") in [r[:3] for r in rows]


def test_json_export_feeds_the_command_line(
    world: World, agreement: Agreement, tmp_path: Path
) -> None:
    document = world.client_for(world.viewer).get(_url(world, agreement, "agreement.json")).json()
    path = tmp_path / "deal.json"
    path.write_text(json.dumps(document))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "samenspel.cli.main",
            "allocate",
            str(path),
            "--rule",
            "shapley",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["shares"]["Hospital A"] == pytest.approx(40.2727272)


def test_copy_as_scenario_is_for_directors(world: World, agreement: Agreement) -> None:
    url = _url(world, agreement, "copy/")
    assert world.client_for(world.viewer).post(url, {"scenario": "x"}).status_code == 403
    response = world.client_for(world.director).post(url, {"scenario": "pessimistic"})
    assert response.status_code == 302
    copy = Agreement.objects.get(programme=world.a, scenario="pessimistic")
    assert copy.interventions.get().lines.count() == 2
    assert evaluate(copy).case.total_npv == pytest.approx(evaluate(agreement).case.total_npv)


def test_api_rejects_bad_money_lines(world: World, agreement: Agreement) -> None:
    client = world.client_for(world.director)
    intervention = agreement.interventions.get()
    url = f"/api/v1/programmes/{world.a.pk}/money-lines"
    base = {
        "intervention": intervention.pk,
        "kind": "cost",
        "party": world.hospital.pk,
        "stream": "other",
        "low": "10",
        "likely": "5",
        "high": "20",
        "years": "all",
    }
    response = client.post(url, json.dumps(base), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "likely"]
    response = client.post(
        url, json.dumps({**base, "likely": "15", "years": "2, 7"}), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "years"]
    response = client.post(
        url, json.dumps({**base, "likely": "-1", "low": "-2"}), content_type="application/json"
    )
    assert response.status_code == 422
    response = client.post(
        url,
        json.dumps({**base, "party": world.b_org.pk, "likely": "15"}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "party" in str(response.json())
    ok = client.post(url, json.dumps({**base, "likely": "15"}), content_type="application/json")
    assert ok.status_code == 201


def test_partners_and_viewers_cannot_change_money(world: World, agreement: Agreement) -> None:
    url = f"/api/v1/programmes/{world.a.pk}/agreements/{agreement.pk}"
    for user in (world.partner, world.viewer):
        response = world.client_for(user).patch(
            url, json.dumps({"horizon": 4}), content_type="application/json"
        )
        assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.horizon == 3


def test_demo_agreements_evaluate(db: None) -> None:
    from samenspel.web.workspace.demo import load_demo

    load_demo(with_population=False)
    for agreement in Agreement.objects.all():
        evaluation = evaluate(agreement, draws=200)
        assert not evaluation.problems
        assert evaluation.case is not None and evaluation.case.total_npv > 0
        nucleolus = evaluation.settlements["nucleolus"].allocation
        assert nucleolus.core.in_core


def test_api_evaluation(world: World, agreement: Agreement) -> None:
    url = f"/api/v1/programmes/{world.a.pk}/agreements/{agreement.pk}/evaluation?draws=100"
    data = world.client_for(world.viewer).get(url).json()
    assert data["allocations"]["nucleolus"]["in_core"] is True
    assert data["allocations"]["shapley"]["transfers"][0]["payer"] == "Town A"
    assert world.client_for(world.outsider).get(url).status_code == 404


def test_pdf_export_for_signing(world: World, agreement: Agreement) -> None:
    response = world.client_for(world.director).get(_url(world, agreement, "agreement.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000


def test_two_editors_do_not_overwrite_each_other(world: World, agreement: Agreement) -> None:
    url = f"/p/{world.a.pk}/agreements/{agreement.pk}/edit/"
    first, second = world.client_for(world.director), world.client_for(world.director)
    form_a = first.get(url).context["form"]
    form_b = second.get(url).context["form"]
    assert form_a["version"].value() == form_b["version"].value() == 1
    base = {
        "name": "Deal",
        "scenario": "baseline",
        "start_year": 2026,
        "horizon": 3,
        "discount_rate": "0.10",
        "description": "",
        "amount_unit": "euro",
        "settlement_rule": "shapley",
        "minimum_savings_rate": "0.02",
        "sharing_rate": "0.5",
        "cap_rate": "0.1",
        "insurer_share": "1",
        "contract_type": "shared_savings",
    }
    saved = first.post(url, {**base, "description": "from A", "version": 1})
    assert saved.status_code == 302
    stale = second.post(url, {**base, "description": "from B", "version": 1})
    assert stale.status_code == 200
    assert "Reload" in str(stale.context["form"].non_field_errors()) or "Herlaad" in str(
        stale.context["form"].non_field_errors()
    )
    agreement.refresh_from_db()
    assert (agreement.description, agreement.version) == ("from A", 2)


def test_api_refuses_a_stale_version(world: World, agreement: Agreement) -> None:
    client = world.client_for(world.director)
    url = f"/api/v1/programmes/{world.a.pk}/agreements/{agreement.pk}"
    assert client.get(url).json()["version"] == 1
    ok = client.patch(
        url, json.dumps({"description": "one", "version": 1}), content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        url, json.dumps({"description": "two", "version": 1}), content_type="application/json"
    )
    assert stale.status_code == 409
    agreement.refresh_from_db()
    assert agreement.description == "one"


def test_amounts_entered_in_thousands_are_shown_in_euros(
    world: World, agreement: Agreement
) -> None:
    """The municipality pays the hospital for its investment. Entered in thousands of euros,
    every amount is shown in euros, 1,000 times the one entered in euros: the side payment on
    the page and in the PDF (€ 12.500, never "× €1.000"), the tables' captions, and every
    amount cell of the workbook."""
    from pypdf import PdfReader

    client = world.client_for(world.director)
    payment = re.compile(r"betaalt Hospital A € ([\d.]+) per jaar")

    def shown(unit: str) -> tuple[int, int, list[float]]:
        agreement.amount_unit = unit
        agreement.save()
        page = client.get(_url(world, agreement)).content.decode().replace("\xa0", " ")
        assert "Bedragen in euro</caption>" in page
        assert "Contante waarde in euro</caption>" in page
        assert "× €" not in page.split("</h1>", 1)[1].split("<form", 1)[0]
        pdf = client.get(_url(world, agreement, "agreement.pdf")).content
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.split())
        assert "Bedragen in euro" in text and "× €" not in text
        on_page, in_pdf = payment.search(page), payment.search(text)
        assert on_page and in_pdf, "the side payment is an amount in euros"
        book = load_workbook(
            io.BytesIO(client.get(_url(world, agreement, "agreement.xlsx")).content)
        )
        cells = [
            c for row in book.worksheets[0].iter_rows(min_row=6) for c in row
            if isinstance(c.value, int | float)
        ]  # fmt: skip
        assert {c.number_format for c in cells} == {'"€" #,##0'}
        as_int = int(on_page.group(1).replace(".", ""))
        assert as_int == int(in_pdf.group(1).replace(".", ""))
        return as_int, len(cells), [float(c.value) for c in cells]

    euro, cells, values = shown("euro")
    thousand, same_cells, thousand_values = shown("thousand")
    assert thousand == pytest.approx(1000 * euro, abs=1)
    assert cells == same_cells
    assert thousand_values == pytest.approx([1000 * v for v in values])
