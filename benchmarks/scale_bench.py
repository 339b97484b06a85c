"""Benchmark: memory and time of the command line at country scale.

For each number of persons: generate a synthetic region (`samenspel synth`), then run
`samenspel validate` and `samenspel regiobeeld` as a user would, each in its own process, and
report wall time, peak resident memory (of that process and its children), the size of the
data on disk and the most the spill folder held while the regiobeeld ran, against the goals:

- at 1,000,000 persons: peak memory below 2 GB for validate and for regiobeeld;
- memory does not grow with the number of persons beyond that (peak at N persons at most 1.25x
  the peak at 1,000,000);
- 17,800,000 persons (the Netherlands): `samenspel regiobeeld`, which validates the data first,
  under 15 minutes and 6 GB.

Correctness: the population total of every year equals the count of persons alive on 1 January
computed with one plain DuckDB query on the files; the script exits non-zero when it does not.

    .venv/bin/python benchmarks/scale_bench.py --persons 1000000 5000000 17800000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "samenspel"
GB = 1024**3


PEAK = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(done.returncode)"
)


def _run(args: list[str], spill: Path | None = None) -> tuple[float, float, str, int]:
    """Seconds, peak RSS in bytes (of the command and its children), its standard output, and
    the most the spill folder ``spill`` held while it ran (polled twice a second).

    Each command runs under a fresh watcher process, so its peak is its own."""
    env = dict(os.environ)
    if spill:
        env["SAMENSPEL_DUCKDB_SPILL_DIR"] = str(spill)
    most = [0]
    running = threading.Event()
    running.set()

    def watch() -> None:
        while spill and running.is_set():
            most[0] = max(most[0], _size(spill))
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *args], capture_output=True, text=True, check=False, env=env
    )
    seconds = time.perf_counter() - start
    running.clear()
    watcher.join()
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:2])} failed: {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kb * 1024, done.stdout, most[0]


def _size(folder: Path) -> int:
    """Bytes in the files below ``folder`` (files that vanish while counted count nothing)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total


def _expected_population(folder: Path) -> dict[int, int]:
    import duckdb

    rows = duckdb.sql(f"""
        WITH years AS (SELECT DISTINCT year(date) AS y
                       FROM read_parquet('{folder}/care_events.parquet'))
        SELECT y, count(*) FROM years, read_parquet('{folder}/persons.parquet') p
        WHERE p.birth_year <= y AND (p.death_date IS NULL OR p.death_date >= make_date(y, 1, 1))
        GROUP BY 1 ORDER BY 1""").fetchall()
    return {int(y): int(n) for y, n in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--keep", action="store_true", help="Keep the generated data.")
    args = parser.parse_args()
    rows = []
    failed = False
    for n in sorted(args.persons):
        folder = Path(tempfile.mkdtemp(prefix=f"samenspel-scale-{n}-"))
        spill = Path(tempfile.mkdtemp(prefix=f"samenspel-spill-{n}-"))
        synth_s, _p, _o, _s = _run([str(BIN), "synth", "--persons", str(n), "--seed", "7",
                                    "--out", str(folder)])  # fmt: skip
        validate_s, validate_peak, _o, _s = _run([str(BIN), "validate", str(folder)], spill)
        report_s, report_peak, out, spilled = _run(
            [str(BIN), "regiobeeld", str(folder), "--json"], spill
        )
        shutil.rmtree(spill, ignore_errors=True)
        report = json.loads(out)
        shown = {r["year"]: r["persons"] for r in report["population"]
                 if r["municipality"] == "total"}  # fmt: skip
        correct = shown == _expected_population(folder)
        failed |= not correct
        rows.append((n, synth_s, validate_s, validate_peak, report_s, report_peak,
                     _size(folder), spilled, correct))  # fmt: skip
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'persons':>11} {'synth s':>8} {'validate s':>10} {'peak GB':>8} {'regiobeeld s':>12} "
          f"{'peak GB':>8} {'data GB':>8} {'spill GB':>8}  correct")  # fmt: skip
    for n, ss, vs, vp, rs, rp, disk, spilled, ok in rows:
        print(f"{n:>11,} {ss:8.0f} {vs:10.0f} {vp / GB:8.2f} {rs:12.0f} {rp / GB:8.2f} "
              f"{disk / GB:8.2f} {spilled / GB:8.2f}  {'yes' if ok else 'NO'}")  # fmt: skip
    print("(regiobeeld s includes its own validation of the data)")
    print("\ngoals:")
    base = next((r for r in rows if r[0] == 1_000_000), None)
    if base:
        print(
            f"  1M: validate peak {base[3] / GB:.2f} GB, regiobeeld peak {base[5] / GB:.2f} GB "
            f"(goal < 2 GB): {'met' if max(base[3], base[5]) < 2 * GB else 'NOT met'}"
        )
        for r in rows:
            if r[0] > 1_000_000:
                grow = max(r[3], r[5]) / max(base[3], base[5])
                print(f"  {r[0]:,}: peak {grow:.2f}x the 1M peak (goal <= 1.25x): "
                      f"{'met' if grow <= 1.25 else 'NOT met'}")  # fmt: skip
    nl = next((r for r in rows if r[0] >= 17_800_000), None)
    if nl:
        total = nl[4]  # the regiobeeld command validates first: it is the whole job
        print(
            f"  NL: {total / 60:.1f} min, peak {max(nl[3], nl[5]) / GB:.2f} GB "
            f"(goal < 15 min, < 6 GB): "
            f"{'met' if total < 900 and max(nl[3], nl[5]) < 6 * GB else 'NOT met'}"
        )
    if failed:
        sys.exit("a population total differs from the plain query: see 'correct'")


if __name__ == "__main__":
    os.environ.setdefault("SAMENSPEL_DUCKDB_MEMORY_LIMIT", "1GB")
    main()
