"""OMOP CDM mapping and the patient-sharing network on small hand-built data."""

from __future__ import annotations

from pathlib import Path

import pytest

from samenspel.analytics.population.omop import OmopError, convert
from samenspel.analytics.population.pipeline import regiobeeld
from samenspel.analytics.population.sharing import patient_sharing
from samenspel.analytics.population.validate import validate_dataset

pytestmark = pytest.mark.no_database

OMOP = {
    "person": "person_id,year_of_birth,gender_concept_id,location_id\n"
    "1,1950,8532,10\n2,1980,8507,10\n3,1990,8507,11\n4,1970,0,10\n",
    "location": "location_id,county,location_source_value\n10,GM0828,WK082801\n"
    "11,GM1721,WK172101\n",
    "observation_period": "observation_period_id,person_id,observation_period_start_date,"
    "observation_period_end_date\n1,1,2015-01-01,2023-12-31\n"
    "2,2,2015-01-01,2023-12-31\n3,3,2015-01-01,2023-12-31\n",
    "condition_occurrence": "condition_occurrence_id,person_id,condition_concept_id,"
    "condition_start_date\n1,1,201826,2012-05-01\n"
    "2,1,201826,2010-01-01\n3,1,255573,2018-01-01\n"
    "4,2,999999,2019-01-01\n",
    "visit_occurrence": "visit_occurrence_id,person_id,visit_concept_id,visit_start_date,"
    "care_site_id,provider_id\n100,1,9201,2022-02-01,7,\n"
    "101,1,581477,2022-03-01,8,\n102,2,9203,2022-04-01,7,\n"
    "103,3,12345,2022-05-01,9,\n",
    "drug_exposure": "drug_exposure_id,person_id,drug_exposure_start_date,provider_id\n"
    "200,1,2022-03-02,55\n",
    "cost": "cost_id,cost_event_id,cost_domain_id,total_cost,payer_plan_period_id\n"
    "1,100,Visit,5000,1\n2,101,Visit,35,1\n3,200,Drug,80,2\n",
    "payer_plan_period": "payer_plan_period_id,person_id,payer_source_value\n1,1,Zvw\n"
    "2,1,Unknown\n",
}


def test_omop_subset_maps_to_the_contract(tmp_path: Path) -> None:
    source = tmp_path / "omop"
    source.mkdir()
    for table, text in OMOP.items():
        (source / f"{table}.csv").write_text(text)
    summary = convert(source, tmp_path / "out")
    # person 4 has no observation period; visit 103 has an unmapped kind
    assert (summary.persons, summary.conditions, summary.events) == (3, 2, 4)
    assert summary.skipped_visits == 1 and summary.persons_without_observation == 1
    assert summary.unmapped_payers == {"Unknown": 1} and summary.events_without_cost == 1
    assert validate_dataset(tmp_path / "out") == []
    report = regiobeeld(tmp_path / "out", threshold=1)
    diabetes = [
        r
        for r in report["prevalence"]
        if r["condition"] == "diabetes" and r["municipality"] == "GM0828"
    ]
    assert diabetes and diabetes[0]["persons"] == 1
    kinds = {r["kind"]: r["events"] for r in report["care_use"] if r["municipality"] == "total"}
    assert kinds == {"hospital_admission": 1, "gp_visit": 1, "ed_visit": 1, "medication": 1}
    costs = {r["stream"]: r["cost"] for r in report["costs"] if r["municipality"] == "total"}
    assert costs == {"Zvw": 5035, "other": 80}


def _omop(tmp_path: Path, **changes: str) -> Path:
    source = tmp_path / "omop"
    source.mkdir(exist_ok=True)
    for table, text in {**OMOP, **changes}.items():
        (source / f"{table}.csv").write_text(text)
    return source


def _header(table: str) -> str:
    return OMOP[table].splitlines()[0] + "\n"


def test_omop_empty_cost_tables_give_unknown_costs_not_an_error(tmp_path: Path) -> None:
    """A published OMOP sample ships cost and payer_plan_period with a header only."""
    source = _omop(tmp_path, cost=_header("cost"), payer_plan_period=_header("payer_plan_period"))
    summary = convert(source, tmp_path / "out")
    assert summary.events == 4 and summary.events_without_cost == 4
    assert summary.share_without_cost == 1.0
    assert validate_dataset(tmp_path / "out") == []
    report = regiobeeld(tmp_path / "out", threshold=1)
    row = next(r for r in report["costs"] if r["municipality"] == "total")
    assert row["cost"] == 0 and row["unknown_cost_percent"] == 100  # unknown, not "free"


def test_omop_observation_period_is_the_denominator_and_limits_the_years(
    tmp_path: Path,
) -> None:
    source = _omop(
        tmp_path,
        observation_period=_header("observation_period")
        + "1,1,2021-01-01,2022-12-31\n2,2,2022-01-01,2022-06-30\n3,3,2022-01-01,2022-12-31\n",
        visit_occurrence=OMOP["visit_occurrence"]
        # before person 1's observation, and a visit of person 4 who is never observed
        + "104,1,581477,1911-03-01,8,\n105,4,581477,2022-03-01,8,\n",
    )
    summary = convert(source, tmp_path / "out")
    assert summary.persons_without_observation == 1  # person 4 ...
    assert summary.events_of_unobserved_persons == 1  # ... and their visit, left out together
    assert summary.events_outside_observation == 1  # the visit of 1911
    assert validate_dataset(tmp_path / "out") == []
    report = regiobeeld(tmp_path / "out", threshold=1)
    assert report["years"] == [2022]  # not every calendar year since 1911
    total = next(r for r in report["population"] if r["municipality"] == "total")
    assert total["persons"] == 3


def test_omop_payers_map_without_regard_to_case_and_unmapped_ones_are_listed(
    tmp_path: Path,
) -> None:
    source = _omop(
        tmp_path,
        payer_plan_period=_header("payer_plan_period") + "1,1, zvw \n2,1,Particulier\n",
    )
    summary = convert(source, tmp_path / "out")
    assert summary.unmapped_payers == {"Particulier": 1}
    report = regiobeeld(tmp_path / "out", threshold=1)
    costs = {r["stream"]: r["cost"] for r in report["costs"] if r["municipality"] == "total"}
    assert costs == {"Zvw": 5035, "other": 80}


def test_omop_errors_name_the_source_table_row_and_column(tmp_path: Path) -> None:
    source = _omop(
        tmp_path,
        visit_occurrence=OMOP["visit_occurrence"] + "106,2,9203,01-04-2022,7,\n",
        person=_header("person").replace("year_of_birth,", "") + "1,8532,10\n",
    )
    with pytest.raises(OmopError) as caught:
        convert(source, tmp_path / "out")
    text = str(caught.value)
    assert "person.csv: required column 'year_of_birth' is missing" in text
    assert (
        "visit_occurrence.csv, row 6, column 'visit_start_date': is not a valid date "
        "(found '01-04-2022')" in text
    )
    assert str(tmp_path) not in text  # no server paths
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_omop_missing_table(tmp_path: Path) -> None:
    with pytest.raises(OmopError, match="missing OMOP table person"):
        convert(tmp_path, tmp_path / "out")


def test_patient_sharing_network(tmp_path: Path) -> None:
    (tmp_path / "persons.csv").write_text(
        "person_id,birth_year,sex,municipality\n"
        + "".join(f"p{i},1950,F,GM0796\n" for i in range(5))
    )
    (tmp_path / "conditions.csv").write_text("person_id,condition,start_date\n")
    rows = ["person_id,date,kind,provider_id,stream,cost"]
    for i in range(3):  # A and B share p0..p2; C sees p0 only
        rows += [
            f"p{i},2022-01-0{i + 1},gp_visit,A,Zvw,30",
            f"p{i},2022-02-0{i + 1},outpatient_visit,B,Zvw,200",
        ]
    rows += ["p0,2022-03-01,home_care,C,Zvw,60", "p4,2021-03-01,gp_visit,A,Zvw,30"]
    (tmp_path / "care_events.csv").write_text("\n".join(rows) + "\n")
    network = patient_sharing(tmp_path, min_shared=3, threshold=1)
    assert network.ties == [("A", "B", 3)]
    assert network.providers == {"A": {"kind": "gp_visit"}, "B": {"kind": "outpatient_visit"}}
    assert patient_sharing(tmp_path, min_shared=4, threshold=1).ties == []
    assert len(patient_sharing(tmp_path, min_shared=1, threshold=1).ties) == 3
    assert patient_sharing(tmp_path, min_shared=1, threshold=1, year=2021).ties == []
    # A tie is never made below the suppression threshold, whatever is asked: a published tie
    # without its weight would otherwise say "exactly K - 1".
    below = patient_sharing(tmp_path, min_shared=1, threshold=4)
    assert below.min_shared == 4 and below.ties == []
