"""Open data in the web app: choosing the region, loading Vektis and CBS files whole or not at
all, the standardised comparison on the Population page, and in the report and Excel."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from samenspel.web.monitoring.models import OpenDataFile, RegionArea

from .conftest import World
from .test_opendata import HEADER, ROWS

FILE = "\n".join([HEADER] + [";".join(str(v) for v in row) for row in ROWS]) + "\n"


def _upload(client, programme_id, text=FILE, name="vektis_gemeente_2023.csv", kind="vektis"):
    return client.post(
        f"/p/{programme_id}/population/",
        {"action": "opendata", "kind": kind, "file": SimpleUploadedFile(name, text.encode())},
    )


def test_region_municipalities_by_name_code_and_postcode(world: World) -> None:
    client = world.client_for(world.director)
    url = f"/p/{world.a.pk}/population/"
    response = client.post(url, {"action": "areas", "areas": "Oss\nGM0865; Atlantis, 528"})
    assert response.status_code == 200
    assert "Geen Nederlandse gemeente heet &#x27;Atlantis&#x27;" in response.content.decode()
    assert not RegionArea.objects.filter(programme=world.a).exists()
    response = client.post(url, {"action": "areas", "areas": "Oss\nGM0865\n528\nWeesp"})
    assert response.status_code == 302
    codes = set(RegionArea.objects.filter(programme=world.a).values_list("code", flat=True))
    assert codes == {"GM0828", "GM0865", "528", "GM0363"}  # Weesp is part of Amsterdam
    # a viewer may not change the region
    viewer = world.client_for(world.viewer)
    assert viewer.post(url, {"action": "areas", "areas": "Oss"}).status_code == 403


def test_bad_file_is_refused_whole_with_row_and_column(world: World) -> None:
    client = world.client_for(world.director)
    bad = FILE.replace("OSS;101;100;30000", "OSS;101;100;drie")
    response = _upload(client, world.a.pk, bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "vektis_gemeente_2023.csv, rij 2, kolom &#x27;kosten_medisch_specialistische_z&#x27;"
        in page
    )
    assert "drie" in page and "/tmp" not in page
    assert not OpenDataFile.objects.exists()
    header_only = _upload(client, world.a.pk, HEADER + "\n")
    assert "heeft een kopregel maar geen gegevens" in header_only.content.decode()
    assert not OpenDataFile.objects.exists()


def test_population_page_shows_the_standardised_region(world: World) -> None:
    client = world.client_for(world.director)
    client.post(f"/p/{world.a.pk}/population/", {"action": "areas", "areas": "Oss\nVught"})
    assert _upload(client, world.a.pk).status_code == 302
    page = client.get(f"/p/{world.a.pk}/population/").content.decode()
    # hand-computed in test_opendata: Oss 170000 / 171428.57 = 0.99; region (Oss + Vught)
    oss_expected = 100 * 150000 / 700 + 100 * 200 + 100 * 1000 + 30000
    vught_expected = 200 * 150000 / 700 + 200 * 200 + 20 * 1000 + 24000
    region_ratio = (170000 + 144000) / (oss_expected + vught_expected)
    assert f"{region_ratio:.2f}".replace(".", ",") in page
    assert "Vught" in page and "Oss" in page and "1 van 3" in page
    assert "WEESP → Amsterdam" in page
    # a second file of the same year replaces the first
    assert _upload(client, world.a.pk, name="herzien_2023.csv").status_code == 302
    assert OpenDataFile.objects.filter(programme=world.a).count() == 1
    # the other programme's members see none of it
    outsider = world.client_for(world.outsider)
    assert outsider.get(f"/p/{world.a.pk}/population/").status_code in (403, 404)


def test_open_data_in_excel_and_programme_report(world: World) -> None:
    client = world.client_for(world.director)
    client.post(f"/p/{world.a.pk}/population/", {"action": "areas", "areas": "Oss\nVught"})
    _upload(client, world.a.pk)
    response = client.get(f"/p/{world.a.pk}/population/open-data.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].values)
    total = next(r for r in rows if r and r[0] == "Totaal")
    assert total[1] == 170000 + 144000
    municipalities = [r[0] for r in list(book.worksheets[1].values)[1:]]
    assert municipalities == ["Vught", "Oss"]  # highest ratio first
    report = client.get(f"/p/{world.a.pk}/report.xlsx")
    assert "Zvw open data" in load_workbook(io.BytesIO(report.content)).sheetnames
    pdf = client.get(f"/p/{world.a.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_cbs_population_gives_the_pyramid(world: World) -> None:
    client = world.client_for(world.director)
    client.post(f"/p/{world.a.pk}/population/", {"action": "areas", "areas": "Oss"})
    _upload(client, world.a.pk)
    cbs = (
        "Geslacht;Leeftijd;Regio's;Perioden;Bevolking op 1 januari (aantal)\n"
        "Mannen;0 tot 5 jaar;Oss;2023;2500\nVrouwen;0 tot 5 jaar;Oss;2023;2400\n"
    )
    assert _upload(client, world.a.pk, cbs, name="03759ned.csv", kind="cbs").status_code == 302
    page = client.get(f"/p/{world.a.pk}/population/").content.decode()
    assert "inwoners op 1 januari 2023 (CBS)" in page
    assert "0-4: 2.500" in page


def test_many_unknown_names_give_a_short_answer(world: World) -> None:
    client = world.client_for(world.director)
    areas = "\n".join(f"Nergenshuizen {i}" for i in range(5000))
    response = client.post(f"/p/{world.a.pk}/population/", {"action": "areas", "areas": areas})
    page = response.content.decode()
    assert response.status_code == 200 and page.count("Nergenshuizen") <= 101
    assert not RegionArea.objects.filter(programme=world.a).exists()


def test_a_hostile_file_name_stays_text_in_the_workbook(world: World) -> None:
    client = world.client_for(world.director)
    client.post(f"/p/{world.a.pk}/population/", {"action": "areas", "areas": "Oss"})
    name = "=cmd|' -C calc'!A0 2023.csv"  # no slash: the upload keeps only the base name
    assert _upload(client, world.a.pk, name=name).status_code == 302
    book = load_workbook(
        io.BytesIO(client.get(f"/p/{world.a.pk}/population/open-data.xlsx").content)
    )
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == name and c.quotePrefix for c in cells)
