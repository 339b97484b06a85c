"""``samenspel regiobeeld`` as an analyst runs it: tables to take away (CSV, Parquet, Excel) that
hold exactly the published figures, nothing written when it fails, one line when memory is too
small, clean JSON on a pipe, and no spill files left when the run is stopped."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from samenspel.analytics.population.export import write_tables
from samenspel.analytics.population.synthetic import generate

pytestmark = pytest.mark.no_database


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "samenspel.cli.main", *args],
        capture_output=True, text=True, timeout=600, check=False, env=env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    generate(folder, persons=2500, seed=4)
    return folder


@pytest.fixture(scope="module")
def published(region: Path) -> dict[str, list[dict[str, object]]]:
    """The regiobeeld as --json prints it, to a pipe: only JSON on standard output."""
    done = _run("regiobeeld", str(region), "--json")
    assert done.returncode == 0, done.stderr
    assert "%" not in done.stderr, "no progress bar when --json goes to a pipe"
    return json.loads(done.stdout)


def _key(row: dict[str, object]) -> tuple[str, ...]:
    return tuple(str(row[c]) for c in ("year", "municipality", "age_band", "sex") if c in row)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_every_published_table_is_written_with_a_readme(
    region: Path, published: dict[str, list[dict[str, object]]], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "tables"
    if fmt == "csv":  # the command itself once; the other formats from the same report
        done = _run("regiobeeld", str(region), "--out", str(out), "--no-progress")
        assert done.returncode == 0, done.stderr
    else:
        write_tables(published, out, fmt)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "An empty cell is hidden, not zero" in readme and "| `per_1000` |" in readme
    if fmt == "csv":
        with (out / "pyramid.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    elif fmt == "parquet":
        rows = pq.read_table(out / "pyramid.parquet").to_pylist()
    else:
        sheet = load_workbook(out / "regiobeeld.xlsx")["pyramid"]
        header, *body = [list(r) for r in sheet.values]
        rows = [dict(zip(header, r, strict=True)) for r in body]
    expected = {_key(r): r["persons"] for r in published["pyramid"]}
    found = {_key(r): r["persons"] for r in rows}
    assert found.keys() == expected.keys()
    for key, persons in expected.items():  # a hidden count is an empty cell, never a number
        written = found[key]
        assert (written in ("", None)) if persons is None else float(written) == persons
    assert any(p is None for p in expected.values()), "the region hides some cells"


def test_nothing_is_written_over_a_folder_in_use(region: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    done = _run("regiobeeld", str(region), "--out", str(out), "--no-progress")
    assert done.returncode == 2 and "choose a new folder" in done.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_too_little_memory_is_one_line_naming_the_setting(region: Path) -> None:
    done = _run("regiobeeld", str(region), "--memory-limit", "2MB", "--no-progress")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "--memory-limit" in done.stderr and "Traceback" not in done.stderr


def test_a_stopped_run_leaves_no_spill_files(tmp_path: Path) -> None:
    """SIGTERM in the middle of a run: the process ends at once and its spill folder is gone."""
    big = tmp_path / "big"
    generate(big, persons=40_000, seed=1)
    spill = tmp_path / "spill"
    env = {**os.environ, "SAMENSPEL_DUCKDB_SPILL_DIR": str(spill)}
    run = subprocess.Popen(
        [sys.executable, "-m", "samenspel.cli.main", "regiobeeld", str(big), "--no-progress",
         "--memory-limit", "60MB"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        # wait until the run has spill files of its own: then it is under way
        deadline = time.monotonic() + 300
        while not any(spill.glob("process-*/*")) and run.poll() is None:
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.05)
        assert run.poll() is None, "the run ended before it could be stopped; make it larger"
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=120) == 143
    finally:
        if run.poll() is None:
            run.kill()
    assert list(spill.glob("process-*")) == []


def test_a_threshold_below_the_minimum_is_refused_by_name(region: Path) -> None:
    """On the command line and in the server's settings: one line naming the option."""
    result = _run("regiobeeld", str(region), "--threshold", "3")
    assert result.returncode == 2 and "--threshold" in result.stderr
    assert "Traceback" not in result.stderr
    env = {**os.environ, "SAMENSPEL_SUPPRESSION_THRESHOLD": "3",
           "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local"}  # fmt: skip
    check = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert check.returncode != 0
    assert "SAMENSPEL_SUPPRESSION_THRESHOLD=3 is below the minimum of 5" in check.stderr


def test_a_rounded_release_needs_a_kept_secret_and_states_its_accuracy(
    region: Path, tmp_path: Path
) -> None:
    """--rounded without a secret is refused in one line; with one, every table has its
    accuracy and the README says how the figures were rounded, not hidden."""
    bare = {k: v for k, v in os.environ.items() if k != "SAMENSPEL_CELL_KEY_SECRET"}
    refused = _run("regiobeeld", str(region), "--rounded", "--no-progress", env=bare)
    assert refused.returncode == 2 and "SAMENSPEL_CELL_KEY_SECRET" in refused.stderr
    assert "Traceback" not in refused.stderr
    key = tmp_path / "secret.txt"
    key.write_text("a secret kept beside the data\n")
    out = tmp_path / "release"
    args = ("regiobeeld", str(region), "--rounded", "--key-file", str(key), "--no-progress")
    done = _run(*args, "--out", str(out), env=bare)
    assert done.returncode == 0, done.stderr
    readme = (out / "README.md").read_text()
    assert "## Rounded figures" in readme and "## Hidden figures" not in readme
    with (out / "population.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["persons"] and int(r["accuracy"]) >= 2 for r in rows)
    again = _run(*args, "--json", env=bare)
    assert json.loads(again.stdout)["population"] == [
        {**r, "year": int(r["year"]), "persons": int(r["persons"]),
         "accuracy": int(r["accuracy"]), "suppressed": False}
        for r in rows
    ]  # fmt: skip
