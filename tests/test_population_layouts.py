"""Datasets as analysts have them: a table as one file or as a folder of parts (Spark's
``part-*.parquet``, several CSV files, gzip-compressed CSV, Hive-partitioned folders). The
regiobeeld is the same whichever way the rows are laid out, on DuckDB and on Spark, and a broken
row is named in its own file."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from samenspel.analytics.population.pipeline import regiobeeld
from samenspel.analytics.population.sources import DatasetError, find_tables
from samenspel.analytics.population.synthetic import generate
from samenspel.analytics.population.validate import validate_dataset

pytestmark = pytest.mark.no_database

SAME = ("population", "segments", "prevalence", "care_use", "costs", "municipalities")


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    generate(folder, persons=600, seed=3)
    return folder


def _split(region: Path, out: Path, table: str, parts: int, kind: str) -> None:
    """Write ``table`` of ``region`` as ``parts`` files in ``out/table/`` (kind: parquet, csv or
    csv.gz), rows in their order."""
    (out / table).mkdir(parents=True)
    con = duckdb.connect()
    source = f"read_parquet('{region / f'{table}.parquet'}')"
    rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    size = -(-rows // parts)
    for n in range(parts):
        part = out / table / f"part-{n:05d}.{kind}"
        query = f"SELECT * FROM {source} LIMIT {size} OFFSET {n * size}"
        if kind == "parquet":
            con.execute(f"COPY ({query}) TO '{part}' (FORMAT parquet)")
        else:
            plain = part.with_name(f"part-{n:05d}.csv")
            con.execute(f"COPY ({query}) TO '{plain}' (FORMAT csv, HEADER)")
            if kind == "csv.gz":
                part.write_bytes(gzip.compress(plain.read_bytes()))
                plain.unlink()
    # Spark leaves these beside its parts; they are not data
    (out / table / "_SUCCESS").write_text("")
    (out / table / f".part-00000.{kind}.crc").write_text("not data")


@pytest.fixture(scope="module")
def laid_out(region: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same region: events as Parquet parts, conditions as gzip CSV parts, persons as one
    gzip-compressed CSV file."""
    out = tmp_path_factory.mktemp("laid_out")
    _split(region, out, "care_events", 3, "parquet")
    _split(region, out, "conditions", 2, "csv.gz")
    con = duckdb.connect()
    plain = out / "persons.csv"
    con.execute(
        f"COPY (SELECT * FROM read_parquet('{region / 'persons.parquet'}')) TO '{plain}' "
        "(FORMAT csv, HEADER)"
    )
    (out / "persons.csv.gz").write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    return out


def test_every_table_is_found_as_a_file_or_a_folder_of_parts(laid_out: Path) -> None:
    found = find_tables(laid_out)
    assert found["persons"].files == (laid_out / "persons.csv.gz",)
    assert [f.name for f in found["care_events"].files] == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet",
    ]  # fmt: skip
    assert found["conditions"].kind == "csv" and len(found["conditions"].files) == 2


def test_the_regiobeeld_is_the_same_whatever_the_layout(
    region: Path, laid_out: Path, engine: str
) -> None:
    assert validate_dataset(laid_out) == []
    expected = regiobeeld(region, threshold=5, engine="duckdb")
    found = regiobeeld(laid_out, threshold=5, engine=engine)
    for key in SAME:  # costs summed in another order differ in the last bits only
        assert _rounded(found[key]) == _rounded(expected[key]), key


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def test_a_broken_row_is_named_in_its_own_part(region: Path, tmp_path: Path) -> None:
    """The second data row of the second CSV part is row 3 of that file, not of the table."""
    for table in ("persons", "conditions"):
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{region / f'{table}.parquet'}')) TO "
            f"'{tmp_path / f'{table}.csv'}' (FORMAT csv, HEADER)"
        )
    _split(region, tmp_path, "care_events", 2, "csv")
    part = tmp_path / "care_events" / "part-00001.csv"
    lines = part.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index("kind")] = "séance"
    lines[2] = ",".join(row)
    part.write_text("\n".join(lines) + "\n")
    problems = [str(p) for p in validate_dataset(tmp_path)]
    assert any(
        p.startswith("care_events/part-00001.csv, row 3, column 'kind'") for p in problems
    ), problems


def test_a_folder_with_parquet_and_csv_is_refused(laid_out: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    (mixed / "care_events").mkdir(parents=True)
    for f in (laid_out / "care_events").glob("*.parquet"):
        (mixed / "care_events" / f.name).write_bytes(f.read_bytes())
    (mixed / "care_events" / "extra.csv").write_text("person_id\n")
    with pytest.raises(DatasetError, match="holds both Parquet and CSV files"):
        find_tables(mixed)


def test_a_cut_off_gzip_file_is_one_named_problem(laid_out: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("care_events", "conditions"):
        target = broken / name
        target.mkdir()
        for f in (laid_out / name).glob("part-*"):
            (target / f.name).write_bytes(f.read_bytes())
    data = (laid_out / "persons.csv.gz").read_bytes()
    (broken / "persons.csv.gz").write_bytes(data[: len(data) // 2])
    problems = validate_dataset(broken)
    assert [(p.file, p.row) for p in problems] == [("persons.csv.gz", None)]
    assert "cut off" in str(problems[0])
