"""Vektis open data: reading the published layouts, and indirect standardisation computed by hand.

The national file written here has three municipalities (Oss, Vught, Amsterdam, where Weesp
joined in 2022), two sexes, the age classes 0-4 and 90+, two cost columns and a rest-category row.
Every expected figure below is worked out by hand from the rows, not by the code under test.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from samenspel.analytics.population.comparison import report, standardise
from samenspel.analytics.population.vektis import (
    VektisError,
    category_of,
    parse_age_class,
    read_vektis,
)
from samenspel.cli.main import app

HEADER = (
    "geslacht;leeftijdsklasse;gemeentenaam;aantal_bsn;aantal_verzekerdejaren;"
    "kosten_medisch_specialistische_z;kosten_farmacie"
)
ROWS = [
    # sex, age class, municipality, persons, insured-years, hospital, pharmacy
    ("M", "0 t/m  4 jaar", "OSS", 101, 100, 30000, 5000),
    ("V", "0 t/m  4 jaar", "OSS", 102, 100, 20000, 5000),
    ("M", "90+", "OSS", 55, 50, 50000, 10000),
    ("V", "90+", "OSS", 56, 50, 40000, 10000),
    ("M", "0 t/m  4 jaar", "VUGHT", 201, 200, 40000, 10000),
    ("V", "0 t/m  4 jaar", "VUGHT", 202, 200, 40000, 10000),
    ("M", "90+", "VUGHT", 11, 10, 20000, 2000),
    ("V", "90+", "VUGHT", 12, 10, 20000, 2000),
    ("M", "0 t/m  4 jaar", "AMSTERDAM", 301, 300, 60000, 15000),
    ("V", "0 t/m  4 jaar", "AMSTERDAM", 302, 300, 60000, 15000),
    ("M", "90+", "AMSTERDAM", 21, 20, 10000, 4000),
    ("V", "90+", "AMSTERDAM", 22, 20, 20000, 4000),
    ("M", "0 t/m  4 jaar", "WEESP", 103, 100, 20000, 5000),
    # the rest category: fewer than 10 persons, no municipality; kept out of the reference
    ("", "", "", 5, 5, 999999, 99999),
]


def write(path, header=HEADER, rows=ROWS):
    lines = [header] + [";".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def national(tmp_path):
    return write(tmp_path / "Vektis Open Databestand Zorgverzekeringswet 2023 - gemeente.csv")


def by_name(result, name):
    return next(a for a in result.areas if a.name == name)


def test_reference_rates_and_ratios_match_the_hand_computation(national):
    file = read_vektis(national)
    assert file.year == 2023 and file.level == "gemeente"
    assert file.merged == {"WEESP": "Amsterdam"}
    assert file.rest == {"rows": 1, "persons": 5, "years": 5, "cost": 999999 + 99999}
    result = standardise(file, region=["GM0828", "GM0865"])
    # reference (hospital): M 0-4 = (30000+40000+60000+20000)/(100+200+300+100); V 0-4 = 120000/600;
    # 90+ = 80000/80 for both sexes. Pharmacy: 0-4 = 50, 90+ = 200 per insured-year.
    hospital_m04, hospital_v04, hospital_90 = 150000 / 700, 120000 / 600, 1000.0
    oss = by_name(result, "Oss")
    oss_hospital_expected = 100 * hospital_m04 + 100 * hospital_v04 + 50 * 1000 + 50 * hospital_90
    assert oss.categories["hospital"].expected == pytest.approx(oss_hospital_expected)
    assert oss.categories["hospital"].ratio == pytest.approx(140000 / oss_hospital_expected)
    assert oss.categories["pharmacy"].expected == pytest.approx(100 * 50 + 100 * 50 + 100 * 200)
    assert oss.categories["pharmacy"].ratio == pytest.approx(1.0)
    oss_expected = oss_hospital_expected + 30000
    assert oss.total.actual == 170000
    assert oss.total.ratio == pytest.approx(170000 / oss_expected)
    assert oss.total.gap_per_year == pytest.approx((170000 - oss_expected) / 300)
    assert oss.insured_years == 300 and oss.insured_persons == 101 + 102 + 55 + 56
    # Weesp's row is part of Amsterdam, as in the 2025 division.
    amsterdam = by_name(result, "Amsterdam")
    assert amsterdam.insured_years == 300 + 300 + 20 + 20 + 100
    assert amsterdam.total.actual == 60000 + 60000 + 10000 + 20000 + 20000 + 15000 * 2 + 8000 + 5000
    # the region: Oss and Vught together
    vught_hospital_expected = 200 * hospital_m04 + 200 * hospital_v04 + 10 * 1000 + 10 * 1000
    region = result.region
    assert region is not None
    assert region.categories["hospital"].ratio == pytest.approx(
        (140000 + 120000) / (oss_hospital_expected + vught_hospital_expected)
    )
    assert region.total.expected == pytest.approx(oss_expected + vught_hospital_expected + 24000)
    # every area is a small population here
    assert all(area.small for area in result.areas)


def test_older_upper_case_layout_and_cost_set(tmp_path):
    header = (
        "GESLACHT;LEEFTIJDSKLASSE;GEMEENTENAAM;AANTAL_BSN;AANTAL_VERZEKERDEJAREN;"
        "KOSTEN_MEDISCH_SPECIALISTISCHE_ZORG;KOSTEN_FARMACIE;KOSTEN_TWEEDELIJNS_GGZ;"
        "KOSTEN_EERSTELIJNS_PSYCHOLOGISCHE_ZORG"
    )
    rows = [
        ("M", "0 t/m 4 jaar", "'S-HERTOGENBOSCH", 10, 10, 1000, 100, 50, 50),
        ("V", "0 t/m 4 jaar", "'S-HERTOGENBOSCH", 10, 10, 3000, 300, 0, 0),
        ("M", "0 t/m 4 jaar", "UDEN", 10, 10, 2000, 200, 100, 100),
        ("V", "0 t/m 4 jaar", "LANDERD", 10, 10, 1000, 100, 0, 0),
        ("M", "0 t/m 4 jaar", "BERGEN (NH.)", 20, 20, 2000, 200, 0, 0),
    ]
    file = read_vektis(write(tmp_path / "vektis_gemeente_2020.csv", header, rows))
    assert file.year == 2020
    assert file.columns["KOSTEN_TWEEDELIJNS_GGZ"] == "mental_health"
    # Uden and Landerd became Maashorst (GM1991) in 2022
    assert file.merged == {"UDEN": "Maashorst", "LANDERD": "Maashorst"}
    result = standardise(file)
    maashorst = by_name(result, "Maashorst")
    assert maashorst.categories["mental_health"].actual == 200
    # M 0-4 reference: (1000+2000+2000)/(10+10+20) = 125 per year; V 0-4: (3000+1000)/20 = 200
    assert maashorst.categories["hospital"].expected == pytest.approx(10 * 125 + 10 * 200)
    assert by_name(result, "Bergen (NH.)").insured_years == 20


def test_postcode_files_are_standardised_per_area(tmp_path):
    header = "geslacht;leeftijdsklasse;postcode_3;aantal_bsn;aantal_verzekerdejaren;kosten_farmacie"
    rows = [("M", "90+", "528", 10, 10, 400), ("M", "90+", "529", 10, 10, 200)]
    file = read_vektis(write(tmp_path / "zvw_postcode3_2023.csv", header, rows))
    result = standardise(file, region=["528"])
    assert file.level == "postcode3"
    assert [a.key for a in result.areas] == ["528", "529"]
    assert by_name(result, "528").total.ratio == pytest.approx(400 / 300)
    assert result.region is not None and result.region.total.ratio == pytest.approx(400 / 300)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("M", "0 t/m  4 jaar", "NERGENSHUIZEN", 10, 10, 1, 1)], "no Dutch municipality"),
        ([("M", "0 t/m  4 jaar", "GM9999", 10, 10, 1, 1)], "no Dutch municipality"),
        ([("M", "0 t/m  4 jaar", "OSS", 10, 10, "NaN", 1)], "must be an amount"),
        ([("M", "0 t/m  4 jaar", "OSS", 10, -3, 1, 1)], "at least 0"),
        ([("X", "0 t/m  4 jaar", "OSS", 10, 10, 1, 1)], "must be M or V"),
        ([("M", "0 t/m 3 jaar", "OSS", 10, 10, 1, 1)], "age class"),
        ([], "no data rows"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_read(tmp_path, rows, message):
    with pytest.raises(VektisError) as caught:
        read_vektis(write(tmp_path / "vektis_2023.csv", rows=rows))
    problem = caught.value.problems[0]
    assert message in problem.text
    if rows:
        assert problem.row == 2 and problem.file == "vektis_2023.csv"


def test_unknown_columns_are_named(tmp_path):
    header = HEADER + ";kosten_ruimtevaart;opmerking"
    with pytest.raises(VektisError) as caught:
        read_vektis(write(tmp_path / "vektis_2023.csv", header, [(*ROWS[0], 1, "x")]))
    assert "kosten_ruimtevaart, opmerking" in caught.value.problems[0].text


def test_decimal_comma_is_read(tmp_path):
    rows = [("M", "90+", "OSS", 10, "9,5", "1234,56", "0,44")]
    file = read_vektis(write(tmp_path / "vektis_2023.csv", rows=rows))
    assert file.years[0] == 9.5 and file.costs.sum() == pytest.approx(1235.0)


def test_mapping_of_the_2023_columns():
    columns_2023 = [
        "kosten_medisch_specialistische_z",
        "kosten_farmacie",
        "kosten_huisarts_consult",
        "kosten_huisarts_inschrijftarief",
        "kosten_huisarts_mdz",
        "kosten_huisarts_overig",
        "kosten_consulten_ggz",
        "kosten_mondzorg",
        "kosten_hulpmiddelen",
        "kosten_paramedische_zorg_fysioth",
        "kosten_paramedische_zorg_overig",
        "kosten_ziekenvervoer_zittend",
        "kosten_ziekenvervoer_liggend",
        "kosten_kraamzorg",
        "kosten_verloskundige_zorg",
        "kosten_integrale_geboortezorg",
        "kosten_eerstelijnsverblijf",
        "kosten_geriatrische_revalidatiez",
        "kosten_verpleging_en_verzorging",
        "kosten_grensoverschrijdende_zorg",
        "kosten_eerstelijns_ondersteuning",
        "kosten_gzsp",
        "kosten_innovatiegelden_ggz",
        "kosten_intramuraal_verblijf_ggz",
        "kosten_overige_prestaties_ggz",
        "kosten_overig",
    ]
    assert len(columns_2023) == 26
    mapped = {c: category_of(c) for c in columns_2023}
    assert None not in mapped.values()
    assert mapped["kosten_gzsp"] == "nursing"
    assert mapped["kosten_overige_prestaties_ggz"] == "mental_health"
    assert mapped["kosten_overig"] == "other"
    assert parse_age_class("0 t/m  4 jaar") == 0 and parse_age_class("85 t/m 89 jaar") == 17
    assert parse_age_class("90+") == 18 and parse_age_class("4 t/m 8 jaar") is None


def test_two_files_of_one_year_are_refused(national, tmp_path):
    other = write(tmp_path / "copy_2023.csv")
    with pytest.raises(VektisError, match="load one file per year"):
        report([read_vektis(national), read_vektis(other)])


def test_command_line_prints_municipalities_region_and_trend(national, tmp_path):
    older = write(
        tmp_path / "vektis_gemeente_2022.csv",
        rows=[(s, a, m, p, y, h * 0.9, f) for s, a, m, p, y, h, f in ROWS],
    )
    result = CliRunner().invoke(
        app,
        ["opendata", "vektis", str(national), str(older), "--region", "Oss",
         "--region", "GM0865", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year"] == 2023 and data["years"] == [2022, 2023]
    oss = next(m for m in data["municipalities"] if m["name"] == "Oss")
    assert set(oss) >= {"name", "insured_years", "actual_cost", "expected_cost", "ratio"}
    assert oss["categories"]["pharmacy"]["ratio"] == pytest.approx(1.0)
    assert data["region"]["insured_years"] == 300 + 420
    assert [point["year"] for point in data["trend"]["GM0828"]] == [2022, 2023]


def test_command_line_refuses_an_unknown_region_and_a_bad_file(national, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["opendata", "vektis", str(national), "--region", "Atlantis"])
    assert result.exit_code == 2 and "Atlantis" in result.output
    bad = write(tmp_path / "bad_2023.csv", rows=[("M", "90+", "OSS", 1, 1, "inf", 1)])
    result = runner.invoke(app, ["opendata", "vektis", str(bad), "--json"])
    assert result.exit_code == 2 and "row 2" in result.output
    assert "Traceback" not in result.output and str(tmp_path) not in result.output


def test_cbs_population_table_in_statline_layout(tmp_path):
    from samenspel.analytics.population.cbs import read_cbs_population

    text = (
        '"Geslacht";"Leeftijd";"Regio\'s";"Perioden";"Bevolking op 1 januari (aantal)"\n'
        '"Totaal mannen en vrouwen";"Totaal alle leeftijden";"Nederland";"2024";"17942942"\n'
        '"Mannen";"0 tot 5 jaar";"Oss";"2024";"2500"\n'
        '"Vrouwen";"0 tot 5 jaar";"Oss";"2024";"2400"\n'
        '"Mannen";"95 jaar of ouder";"Oss";"2024";"30"\n'
        '"Mannen";"90 tot 95 jaar";"Oss";"2024";"170"\n'
        '"Mannen";"0 tot 20 jaar";"Oss";"2024";"99999"\n'
        '"Mannen";"0 tot 5 jaar";"Utrecht (PV)";"2024";"99999"\n'
        '"Mannen";"0 tot 5 jaar";"Weesp";"2021";"900"\n'
    )
    population = read_cbs_population(text.encode(), name="03759ned.csv")
    assert population.years == [2021, 2024]
    assert population.pyramid(2024, ["GM0828"]) == {("M", 0): 2500, ("F", 0): 2400, ("M", 18): 200}
    assert population.pyramid(2021, ["GM0363"]) == {("M", 0): 900}  # Weesp is Amsterdam now


def test_cbs_population_problems_are_named():
    from samenspel.analytics.population.cbs import CbsError, read_cbs_population

    text = "Geslacht;Leeftijd;Regio's;Perioden;Bevolking\nMannen;7 jaar;Atlantis;2024;5\n"
    with pytest.raises(CbsError) as caught:
        read_cbs_population(text.encode(), name="cbs.csv")
    problem = caught.value.problems[0]
    assert (problem.row, problem.column, problem.found) == (2, "Regio's", "Atlantis")
    # a short row is named, not a crash
    short = "Geslacht;Leeftijd;Regio's;Perioden;Bevolking\nMannen;0 tot 5 jaar\n"
    with pytest.raises(CbsError) as caught:
        read_cbs_population(short.encode(), name="cbs.csv")
    assert caught.value.problems[0].row == 2 and "has 2 fields" in caught.value.problems[0].text
    with pytest.raises(CbsError, match="missing columns: Leeftijd"):
        read_cbs_population(b"Geslacht;Regio's;Bevolking\nMannen;Oss;5\n")
