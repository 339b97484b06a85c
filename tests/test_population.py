"""Regiobeeld indicators on a hand-built population whose answers are computed by hand, the
suppression rules, validation, and the synthetic region."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from samenspel.analytics.population.engine import connect, load
from samenspel.analytics.population.pipeline import InvalidDatasetError, regiobeeld
from samenspel.analytics.population.regiobeeld import compute_counts
from samenspel.analytics.population.suppression import TOTAL, primary, secondary
from samenspel.analytics.population.synthetic import generate
from samenspel.analytics.population.validate import validate_dataset

pytestmark = pytest.mark.no_database

PERSONS = """person_id,birth_year,sex,municipality,neighbourhood,death_date
p1,1950,F,GM0796,,
p2,1940,M,GM0796,,
p3,1990,F,GM0796,,
p4,1985,M,GM0828,,
p5,2000,F,GM0828,,2021-06-01
p6,2022,M,GM0828,,
"""
CONDITIONS = """person_id,condition,start_date
p1,diabetes,2010-01-01
p1,copd,2015-03-01
p1,dementia,2020-07-01
p2,dementia,2019-01-01
p4,asthma,2000-01-01
"""
EVENTS = """person_id,date,kind,provider_id,stream,cost
p3,2021-03-01,gp_visit,GP1,Zvw,30
p3,2021-04-01,gp_visit,GP1,Zvw,30
p4,2021-02-01,hospital_admission,ZH1,Zvw,5000
p4,2021-02-20,hospital_admission,ZH1,Zvw,4000
p4,2021-08-01,ed_visit,ZH1,Zvw,300
p3,2022-05-05,gp_visit,GP1,Zvw,30
"""


@pytest.fixture
def hand_built(tmp_path: Path) -> Path:
    (tmp_path / "persons.csv").write_text(PERSONS)
    (tmp_path / "conditions.csv").write_text(CONDITIONS)
    (tmp_path / "care_events.csv").write_text(EVENTS)
    return tmp_path


def _rows(report: dict[str, Any], table: str, **where: Any) -> list[dict[str, Any]]:
    return [r for r in report[table] if all(r[k] == v for k, v in where.items())]


def _one(report: dict[str, Any], table: str, **where: Any) -> dict[str, Any]:
    [row] = _rows(report, table, **where)
    return row


def test_indicators_by_hand(hand_built: Path, engine: str) -> None:
    report = regiobeeld(hand_built, threshold=1, engine=engine)
    assert report["years"] == [2021, 2022]
    pop = {(r["year"], r["municipality"]): r["persons"] for r in report["population"]}
    # p6 is born in 2022; p5 died in 2021 and no longer counts in 2022.
    assert pop == {
        (2021, "GM0796"): 3,
        (2021, "GM0828"): 2,
        (2021, TOTAL): 5,
        (2022, "GM0796"): 3,
        (2022, "GM0828"): 2,
        (2022, TOTAL): 5,
    }
    assert (
        _one(report, "prevalence", year=2021, municipality="GM0796", condition="dementia")[
            "persons"
        ]
        == 2
    )
    assert _one(report, "prevalence", year=2021, municipality="GM0796", condition="dementia")[
        "per_1000"
    ] == pytest.approx(2 / 3 * 1000)
    assert _one(report, "multimorbidity", year=2021, municipality=TOTAL)["persons"] == 1
    assert _one(report, "multimorbidity", year=2021, municipality=TOTAL)["percent"] == 20
    segments = {
        (r["municipality"], r["segment"]): r["persons"]
        for r in _rows(report, "segments", year=2021)
    }
    assert segments == {
        ("GM0796", "complex_chronic"): 1,
        ("GM0796", "frail_elderly"): 1,
        ("GM0796", "healthy"): 1,
        ("GM0828", "chronic_stable"): 1,
        ("GM0828", "end_of_life"): 1,
        (TOTAL, "chronic_stable"): 1,
        (TOTAL, "complex_chronic"): 1,
        (TOTAL, "end_of_life"): 1,
        (TOTAL, "frail_elderly"): 1,
        (TOTAL, "healthy"): 1,
    }
    assert _one(report, "segments", year=2021, municipality="GM0828", segment="chronic_stable")[
        "cost"
    ] == pytest.approx(9300)
    gp = _one(report, "care_use", year=2021, municipality="GM0796", kind="gp_visit")
    assert (gp["events"], gp["persons"]) == (2, 1)
    assert gp["per_1000"] == pytest.approx(2 / 3 * 1000)
    readm = _one(report, "readmissions", year=2021, municipality="GM0828")
    assert (readm["admissions"], readm["readmissions"]) == (2, 1)
    assert readm["readmission_percent"] == pytest.approx(50)
    zvw = _one(report, "costs", year=2021, municipality=TOTAL, stream="Zvw")
    assert zvw["cost"] == pytest.approx(9360) and zvw["per_capita"] == pytest.approx(9360 / 5)
    pyramid = _one(report, "pyramid", year=2021, municipality="GM0796", age_band="80-84", sex="M")
    assert pyramid["persons"] == 1  # p2, aged 81


def test_person_years_count_the_part_of_the_year_alive_and_observed(
    hand_built: Path, engine: str
) -> None:
    """p5 died on 1 June 2021: 152 of 365 days. p6 was born in 2022: half a year. A person
    observed from 1 July 2021 counts 184 days."""
    persons = PERSONS.replace("death_date\n", "death_date,observed_from,observed_to\n")
    persons = "\n".join(
        line + ("" if i == 0 else ",2021-07-01," if line.startswith("p4") else ",,")
        for i, line in enumerate(persons.strip().splitlines())
    )
    (hand_built / "persons.csv").write_text(persons + "\n")
    con = connect(engine)
    by_age = compute_counts(con, load(con, hand_built, engine)).by_age
    years = by_age.groupby("year")["exposure"].sum()
    assert years[2021] == pytest.approx(3 + 152 / 365 + 184 / 365)
    assert years[2022] == pytest.approx(4.5)


def test_suppression_primary_secondary_and_derived(hand_built: Path, engine: str) -> None:
    report = regiobeeld(hand_built, threshold=3, engine=engine)
    pop = {(r["year"], r["municipality"]): r["persons"] for r in report["population"]}
    # GM0828 has 2 persons (< 3): suppressed; GM0796 (3) is suppressed too, or it could be
    # recovered from the region's total (which the audit may hide as well in so small a region).
    assert pop[(2021, "GM0828")] is None and pop[(2021, "GM0796")] is None
    assert report["disclosure"]["passed"]
    for row in report["care_use"]:
        if row["persons"] is None:
            assert row["events"] is None and row["per_1000"] is None
    for table in ("prevalence", "segments", "care_use", "costs", "pyramid"):
        for row in report[table]:
            if row["municipality"] != TOTAL and row["persons"] is not None:
                assert row["persons"] >= 3 or row["persons"] == 0
    # Rates need a published denominator: municipality rates are gone with the populations.
    assert all(r["per_1000"] is None for r in report["prevalence"] if r["municipality"] != TOTAL)


def test_secondary_suppression_protects_every_group() -> None:
    frame = pd.DataFrame(
        {"year": [1] * 4, "municipality": ["a", "b", "c", TOTAL], "persons": [4, 50, 30, 84]}
    )
    flags = secondary(frame, "persons", primary(frame, "persons", 10), [["year"]])
    assert flags.tolist() == [True, False, True, False]  # c (30) is the smallest other cell
    frame = pd.DataFrame(
        {"year": [1] * 3, "municipality": ["a", "b", TOTAL], "persons": [0, 50, 50]}
    )
    flags = secondary(frame, "persons", primary(frame, "persons", 10), [["year"]])
    assert not flags.any()  # zero is shown and needs no protection


def test_invalid_dataset_computes_nothing(hand_built: Path, engine: str) -> None:
    (hand_built / "conditions.csv").write_text(CONDITIONS + "p9,flu,2020-01-01\n")
    with pytest.raises(InvalidDatasetError) as caught:
        regiobeeld(hand_built, engine=engine)
    text = str(caught.value)
    assert "conditions.csv, row 7, column 'person_id': refers to a person not in persons" in text
    assert "conditions.csv, row 7, column 'condition'" in text


def test_validation_names_file_row_and_column(hand_built: Path) -> None:
    (hand_built / "care_events.csv").write_text(
        EVENTS + "p1,2021-02-30,gp_visit,GP1,Zvw,30\np1,2021-03-01,gp_visit,GP1,AWBZ,-1\n"
    )
    problems = [str(p) for p in validate_dataset(hand_built)]
    assert (
        "care_events.csv, row 8, column 'date': must be a date YYYY-MM-DD (found '2021-02-30')"
        in problems
    )
    assert any(p.startswith("care_events.csv, row 9, column 'stream'") for p in problems)
    assert any(p.startswith("care_events.csv, row 9, column 'cost'") for p in problems)
    (hand_built / "persons.csv").write_text("person_id,sex\np1,F\n")
    problems = [str(p) for p in validate_dataset(hand_built)]
    assert "persons.csv, row 1, column 'birth_year': required column is missing" in problems


def test_municipality_codes_are_checked_against_the_cbs_list(hand_built: Path) -> None:
    persons = PERSONS.replace("p6,2022,M,GM0828", "p6,2022,M,GM9999")
    # Appingedam (GM0003) became part of Eemsdelta on 1 January 2021; the data are of 2021-2022
    persons += "p7,1960,F,GM0003,,\n"
    (hand_built / "persons.csv").write_text(persons)
    problems = [str(p) for p in validate_dataset(hand_built)]
    assert any(
        p.startswith(
            "persons.csv, row 7, column 'municipality': is not a Dutch municipality in 2021–2022"
        )
        and "GM9999" in p
        for p in problems
    ), problems
    assert any(p.startswith("persons.csv, row 8, column 'municipality'") for p in problems)
    # in data of 2020 Appingedam existed, and its successor Eemsdelta (GM1979) did not yet
    (hand_built / "persons.csv").write_text(PERSONS + "p7,1960,F,GM0003,,\np8,1960,F,GM1979,,\n")
    (hand_built / "care_events.csv").write_text(
        EVENTS.replace("2021-", "2020-").replace("2022-", "2020-")
    )
    problems = [str(p) for p in validate_dataset(hand_built)]
    assert [p[:52] for p in problems] == ["persons.csv, row 9, column 'municipality': is not a "]


def test_a_file_with_only_a_header_is_refused(hand_built: Path, engine: str) -> None:
    (hand_built / "care_events.csv").write_text(EVENTS.splitlines()[0] + "\n")
    problems = [str(p) for p in validate_dataset(hand_built)]
    assert problems == [
        "care_events.csv: has no data rows (only a header); nothing can be computed"
    ]
    with pytest.raises(InvalidDatasetError):
        regiobeeld(hand_built, engine=engine)


def test_a_decimal_comma_is_named_as_such(hand_built: Path) -> None:
    (hand_built / "care_events.csv").write_text(
        EVENTS + 'p1,2021-03-01,gp_visit,GP1,Zvw,"30,50"\np1,2021-03-02,gp_visit,GP1,Zvw,inf\n'
    )
    problems = [str(p) for p in validate_dataset(hand_built)]
    assert problems == [
        "care_events.csv, row 8, column 'cost': uses a decimal comma; write amounts with a "
        "decimal point, such as 12.50 (found '30,50')",
        "care_events.csv, row 9, column 'cost': must be an amount of at least 0 (found 'inf')",
    ]


def test_a_semicolon_separated_file_reads_the_same_on_both_engines(
    hand_built: Path, engine: str
) -> None:
    """A spreadsheet exported with ';' gives the same regiobeeld (Spark once read it as one
    column of NULLs and returned an empty regiobeeld)."""
    expected = regiobeeld(hand_built, threshold=1, engine="duckdb")
    (hand_built / "persons.csv").write_text(PERSONS.replace(",", ";"))
    found = regiobeeld(hand_built, threshold=1, engine=engine)
    assert found["population"] == expected["population"]
    assert found["segments"] == expected["segments"] and found["population"]


def test_synthetic_region_is_reproducible_and_plausible(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", persons=6000, seed=3, chunk=2500)
    b = generate(tmp_path / "b", persons=6000, seed=3, chunk=2500)
    assert (a.persons, a.conditions, a.events) == (b.persons, b.conditions, b.events)
    assert validate_dataset(tmp_path / "a") == []
    con = connect("duckdb")
    counts = compute_counts(con, load(con, tmp_path / "a", "duckdb"))
    year = counts.population[counts.population.year == 2023]
    pop = year.persons.sum()
    prevalence = (
        counts.prevalence[counts.prevalence.year == 2023].groupby("condition").persons.sum() / pop
    )
    assert 0.04 < prevalence["diabetes"] < 0.09
    assert 0.005 < prevalence["dementia"] < 0.03
    multimorbid = counts.multimorbidity[counts.multimorbidity.year == 2023].persons.sum() / pop
    assert 0.08 < multimorbid < 0.18
    costs = counts.costs[counts.costs.year == 2023].groupby("stream").cost.sum() / pop
    assert 2000 < costs["Zvw"] < 3800 and 1200 < costs["Wlz"] < 2900 and 150 < costs["Wmo"] < 500


def test_a_small_memory_limit_spills_to_the_chosen_folder_and_cleans_up(tmp_path: Path) -> None:
    """With 128 MB for DuckDB, validation and the regiobeeld of 30,000 persons still run, with
    their work database in the chosen spill folder, which is left empty afterwards."""
    import subprocess
    import sys

    generate(tmp_path / "region", persons=30_000, seed=5)
    spill = tmp_path / "spill"
    for command in ("validate", "regiobeeld"):
        done = subprocess.run(
            [sys.executable, "-m", "samenspel.cli.main", command, str(tmp_path / "region"),
             "--memory-limit", "128MB", "--spill-dir", str(spill)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert list(spill.iterdir()) == [], command
    done = subprocess.run(
        [sys.executable, "-m", "samenspel.cli.main", "validate", str(tmp_path / "region"),
         "--memory-limit", "lots"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "--memory-limit takes an amount" in done.stderr


def test_parquet_rows_are_numbered_as_in_a_csv_file(hand_built: Path) -> None:
    """Parquet is validated in place (not copied); its rows are numbered as the CSV would be."""
    frame = pd.read_csv(io.StringIO(PERSONS), dtype=str)
    frame.loc[2, "sex"] = "Q"
    (hand_built / "persons.csv").unlink()
    frame.to_parquet(hand_built / "persons.parquet")
    problems = [str(p) for p in validate_dataset(hand_built)]
    assert problems == [
        "persons.parquet, row 4, column 'sex': must be one of F, M, X (found 'Q')"
    ]
