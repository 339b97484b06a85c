"""The same Ibis expressions on DuckDB and on PySpark (local mode) give identical results."""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from samenspel.analytics.population.engine import connect, load
from samenspel.analytics.population.regiobeeld import compute_counts
from samenspel.analytics.population.report import build_report
from samenspel.analytics.population.synthetic import generate

NO_JAVA = "PySpark needs Java 17 (apt-get install openjdk-17-jre-headless)"
if shutil.which("java") is None and os.environ.get("CI") == "true":
    raise RuntimeError(f"CI=true runs the Spark tests: {NO_JAVA}")  # fails, never skips, in CI
pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None, reason=NO_JAVA),
    pytest.mark.no_database,
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, persons=3000, seed=11, chunk=1000)
    return folder


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if column in ("year",) or frame[column].dtype.kind in "iub":
            frame[column] = frame[column].astype("int64")
    keys = [c for c in frame.columns if frame[c].dtype == object or c == "year"]
    return frame.sort_values(keys).reset_index(drop=True)


def test_duckdb_and_spark_agree(synthetic: Path) -> None:
    results = {}
    for engine in ("duckdb", "spark"):
        con = connect(engine)
        # with a secret: the record keys (a keyed MD5 of the person id) agree too
        results[engine] = compute_counts(con, load(con, synthetic, engine), secret="s" * 16)
    for field in dataclasses.fields(results["duckdb"]):
        duck = _normalised(getattr(results["duckdb"], field.name))
        spark = _normalised(getattr(results["spark"], field.name))
        assert len(duck) > 0, field.name
        pd.testing.assert_frame_equal(
            duck, spark, check_dtype=False, rtol=1e-9, atol=1e-6, obj=field.name
        )
    assert results["duckdb"].population["key"].gt(0).all()
    # and so do the published tables, suppressed and rounded
    _assert_same(build_report(results["duckdb"]), build_report(results["spark"]), "report")
    _assert_same(
        build_report(results["duckdb"], method="rounded"),
        build_report(results["spark"], method="rounded"),
        "rounded",
    )


def _assert_same(duck: object, spark: object, where: str) -> None:
    """Equal, except that sums of floats may differ in the last digits by summation order."""
    if isinstance(duck, float) and isinstance(spark, float):
        assert math.isclose(duck, spark, rel_tol=1e-9, abs_tol=1e-9), (where, duck, spark)
    elif isinstance(duck, dict) and isinstance(spark, dict):
        assert duck.keys() == spark.keys(), where
        for key in duck:
            _assert_same(duck[key], spark[key], f"{where}.{key}")
    elif isinstance(duck, list) and isinstance(spark, list):
        assert len(duck) == len(spark), where
        for i, (a, b) in enumerate(zip(duck, spark, strict=True)):
            _assert_same(a, b, f"{where}[{i}]")
    else:
        assert duck == spark, (where, duck, spark)


def test_spark_reads_csv_the_same_way(synthetic: Path, tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    for table in ("persons", "conditions", "care_events"):
        pacsv.write_csv(pq.read_table(synthetic / f"{table}.parquet"), tmp_path / f"{table}.csv")
    con = connect("spark")
    from_csv = compute_counts(con, load(con, tmp_path, "spark"))
    duck = connect("duckdb")
    from_parquet = compute_counts(duck, load(duck, synthetic, "duckdb"))
    pd.testing.assert_frame_equal(
        _normalised(from_csv.costs), _normalised(from_parquet.costs), check_dtype=False, rtol=1e-9
    )


def test_spark_refuses_a_file_without_a_required_column(tmp_path: Path) -> None:
    from samenspel.analytics.population.validate import ProblemsError

    (tmp_path / "persons.csv").write_text("person_id|birth_year\np1|1950\n")
    (tmp_path / "conditions.csv").write_text("person_id,condition,start_date\n")
    (tmp_path / "care_events.csv").write_text("person_id,date,kind,provider_id,stream,cost\n")
    for engine in ("duckdb", "spark"):
        con = connect(engine)
        with pytest.raises(ProblemsError) as caught:
            load(con, tmp_path, engine)
        assert "persons.csv, row 1, column 'sex': required column is missing" in str(caught.value)


@pytest.mark.parametrize("master", ["spark://127.0.0.1:9", "spark://10.255.255.1:7077"])
def test_an_unreachable_spark_master_is_named_within_seconds(synthetic: Path, master: str) -> None:
    """Refused at once (nothing listens) or after the 5-second wait (nothing answers), instead
    of hanging: the timeout is generous, as a busy machine starts Java slowly."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "samenspel.cli.main", "regiobeeld", str(synthetic),
         "--engine", "spark", "--spark-master", master],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert f"the Spark master {master} cannot be reached" in done.stderr
    assert "Traceback" not in done.stderr and "Py4J" not in done.stderr
