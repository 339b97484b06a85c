"""Country scale: the regiobeeld computed in partitions of persons equals the regiobeeld computed
at once, the partitions follow DuckDB's memory limit, and validation reads typed Parquet columns
as they are stored without letting a bad value through."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

from samenspel.analytics.population import regiobeeld
from samenspel.analytics.population.engine import connect, load
from samenspel.analytics.population.limits import size_bytes
from samenspel.analytics.population.regiobeeld import Counts, compute_counts, partitions_needed
from samenspel.analytics.population.synthetic import generate
from samenspel.analytics.population.validate import validate_dataset

pytestmark = pytest.mark.no_database


def _counts(folder: Path, partitions: int | None = None) -> Counts:
    con = connect("duckdb")
    return compute_counts(con, load(con, folder, "duckdb"), partitions=partitions)


def _assert_same(a: Counts, b: Counts) -> None:
    for item in fields(Counts):
        pd.testing.assert_frame_equal(
            getattr(a, item.name).reset_index(drop=True),
            getattr(b, item.name).reset_index(drop=True),
            check_dtype=False,
            rtol=1e-9,
            obj=item.name,
        )


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    generate(folder, persons=4000, seed=11, chunk=1500)
    return folder


def test_partitions_of_persons_add_up_to_the_whole(region: Path) -> None:
    whole = _counts(region, partitions=1)
    assert whole.population.persons.sum() > 0 and len(whole.neighbourhood_segments)
    for parts in (3, 8):
        _assert_same(_counts(region, partitions=parts), whole)


def test_empty_partitions_count_nothing(tmp_path: Path) -> None:
    """Three persons in 16 partitions: most partitions have no person, condition or event."""
    (tmp_path / "persons.csv").write_text(
        "person_id,birth_year,sex,municipality,neighbourhood,death_date\n"
        "a,1950,F,GM0796,WK079601,\nb,1980,M,GM0828,,2022-03-01\nc,2001,F,GM0828,,\n"
    )
    (tmp_path / "conditions.csv").write_text("person_id,condition,start_date\na,copd,2010-01-01\n")
    (tmp_path / "care_events.csv").write_text(
        "person_id,date,kind,provider_id,stream,cost\n"
        "a,2021-03-01,gp_visit,GP1,Zvw,30\nb,2022-01-05,hospital_admission,ZH1,Zvw,5000\n"
        "b,2022-01-20,hospital_admission,ZH1,Zvw,\n"
    )
    _assert_same(_counts(tmp_path, partitions=16), _counts(tmp_path, partitions=1))


def test_a_small_memory_limit_splits_the_persons(
    region: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = connect("duckdb")
    tables = load(con, region, "duckdb")
    assert partitions_needed(con, tables) == 1  # 4,000 persons fit in 1 GB at once
    monkeypatch.setenv("SAMENSPEL_DUCKDB_MEMORY_LIMIT", "1MB")
    assert partitions_needed(con, tables) >= 4
    monkeypatch.setenv("SAMENSPEL_DUCKDB_MEMORY_LIMIT", "2MB")
    fewer = partitions_needed(con, tables)
    monkeypatch.setenv("SAMENSPEL_DUCKDB_MEMORY_LIMIT", "1MB")
    assert 1 < fewer < partitions_needed(con, tables)


def test_the_partitions_leave_nothing_in_the_spill_folder(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted in partitions because the memory budget says so (not because a test asks for
    them), the regiobeeld is the same, and the partitions written to the spill folder are gone
    after. (A person is made to weigh a megabyte: DuckDB itself needs more than a few MB.)"""
    whole = _counts(region, partitions=1)
    monkeypatch.setenv("SAMENSPEL_DUCKDB_SPILL_DIR", str(tmp_path / "spill"))
    monkeypatch.setattr(regiobeeld, "BYTES_PER_PERSON", 10**6)
    con = connect("duckdb")
    tables = load(con, region, "duckdb")
    assert partitions_needed(con, tables) > 1
    _assert_same(compute_counts(con, tables), whole)
    assert not list((tmp_path / "spill").rglob("partitions-*"))


def test_sizes_are_read_as_duckdb_reads_them() -> None:
    assert size_bytes("1GB") == 10**9
    assert size_bytes(" 512MiB ") == 512 * 2**20
    assert size_bytes("1.5gb") == 1_500_000_000
    for wrong in ("lots", "12", "-1GB", "1 PB"):
        with pytest.raises(ValueError):
            size_bytes(wrong)


def test_typed_parquet_columns_are_checked_as_stored(tmp_path: Path) -> None:
    """Dates, years and amounts stored as such in Parquet are checked without a detour through
    text, and every rule still finds its row."""
    persons = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p2", "p4"],
            "birth_year": pd.array([1950, 1700, 1980, 1990], dtype="int32"),
            "sex": ["F", "M", "M", "F"],
            "municipality": ["GM0796"] * 4,
            "death_date": [dt.date(2021, 6, 1), None, None, None],
        }
    )
    conditions = pd.DataFrame(
        {
            "person_id": ["p1", "p1"],
            "condition": ["copd", "diabetes"],
            "start_date": [dt.date(2010, 1, 1), dt.date(2021, 7, 1)],
        }
    )
    events = pd.DataFrame(
        {
            "person_id": ["p1", "p1", "p4", "p4", "p9", "p4"],
            "date": [dt.date(2021, 3, 1), dt.date(2021, 8, 1)] + [dt.date(2021, 5, 1)] * 4,
            "kind": ["gp_visit"] * 6,
            "provider_id": ["GP1"] * 6,
            "stream": ["Zvw"] * 6,
            "cost": [30.0, 30.0, -5.0, float("inf"), 30.0, None],
        }
    )
    for name, frame in (("persons", persons), ("conditions", conditions), ("care_events", events)):
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
    problems = [str(p) for p in validate_dataset(tmp_path)]
    assert problems == [  # in the order of the contract's rules
        "persons.parquet, row 3, column 'person_id': appears more than once (found 'p2')",
        "persons.parquet, row 4, column 'person_id': appears more than once (found 'p2')",
        "persons.parquet, row 3, column 'birth_year': must be a year from 1890 to "
        f"{dt.date.today().year} (found '1700')",
        "conditions.parquet, row 3, column 'start_date': lies after the person's death "
        "(found '2021-07-01')",
        "care_events.parquet, row 6, column 'person_id': refers to a person not in persons "
        "(found 'p9')",
        "care_events.parquet, row 3, column 'date': lies after the person's death "
        "(found '2021-08-01')",
        "care_events.parquet, row 4, column 'cost': must be an amount of at least 0 "
        "(found '-5.0')",
        "care_events.parquet, row 5, column 'cost': must be an amount of at least 0 "
        "(found 'inf')",
    ]


def test_a_fractional_year_of_birth_in_parquet_is_refused(tmp_path: Path) -> None:
    persons = pd.DataFrame(
        {"person_id": ["p1"], "birth_year": [1950.5], "sex": ["F"], "municipality": ["GM0796"]}
    )
    events = pd.DataFrame(
        {"person_id": ["p1"], "date": [dt.date(2021, 3, 1)], "kind": ["gp_visit"],
         "provider_id": ["GP1"], "stream": ["Zvw"], "cost": [30.0]}
    )  # fmt: skip
    persons.to_parquet(tmp_path / "persons.parquet", index=False)
    events.to_parquet(tmp_path / "care_events.parquet", index=False)
    (tmp_path / "conditions.csv").write_text("person_id,condition,start_date\n")
    assert [str(p)[:64] for p in validate_dataset(tmp_path)] == [
        "persons.parquet, row 2, column 'birth_year': must be a year from"
    ]


def test_an_unanswered_integer_program_is_never_taken_as_protection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HiGHS sometimes ends an integer program without an answer. The audit then tries again
    without presolve, and a cell whose range stays unproven is a finding (more is hidden),
    never a pass, and never a crash of the whole run."""
    from types import SimpleNamespace

    import numpy as np
    from scipy.sparse import csr_matrix

    from samenspel.analytics.population import disclosure

    calls: list[dict[str, object]] = []

    def unanswered(*_args: object, options: dict[str, object], **_kw: object) -> SimpleNamespace:
        calls.append(options)
        return SimpleNamespace(status=4, x=None, message="model_status is Unknown")

    monkeypatch.setattr(disclosure, "milp", unanswered)
    problem = disclosure._Problem(
        csr_matrix(np.array([[1.0, 1.0]])), np.array([7.0]), np.array([7.0]), np.ones(2)
    )
    assert np.isnan(problem._integer_optimum(0, 1.0, np.array([True, True])))
    assert calls == [{}, {"presolve": False}]

    # a total of 53 published, a row of 3 persons hidden, the row of 50 shown
    publication = disclosure.Publication(10)
    frame = pd.DataFrame({"area": ["a", "b", "total"], "persons": [3, 50, 53]})
    hidden = np.array([True, False, False])
    publication.add("population", disclosure.Table(frame, ("persons",), hidden=hidden))
    monkeypatch.setattr(disclosure._Problem, "range", lambda *_: (float("nan"), float("nan")))
    [finding] = publication.audit().findings
    assert finding.cell == ("population", 0, "persons") and finding.rule == "range not proven"
