"""Benchmark: read a national Vektis file and standardise every municipality for age and sex.

Ours (``read_vektis`` with row-level checks + ``comparison.standardise`` with intervals) against
the strongest baseline an analyst would write: vectorised pandas (``read_csv`` and ``groupby``)
computing the same actual and expected cost per municipality and kind of care, in the same run.
The ratios are checked to agree. Usage:

    .venv/bin/python benchmarks/opendata_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

from samenspel.analytics.population.comparison import standardise
from samenspel.analytics.population.municipalities import match
from samenspel.analytics.population.synthetic_vektis import synthetic_vektis
from samenspel.analytics.population.vektis import category_of, read_vektis


def ours(content: bytes) -> dict[str, float]:
    result = standardise(read_vektis(content, name="vektis_2023.csv"))
    return {area.key: area.total.ratio or 0.0 for area in result.areas}


def pandas_baseline(content: bytes) -> dict[str, float]:
    frame = pd.read_csv(io.BytesIO(content), sep=";", dtype={"gemeentenaam": str})
    frame = frame[frame["gemeentenaam"].notna()]
    names = frame["gemeentenaam"].unique()
    codes = {name: match(name) for name in names}  # the same name matching, once per name
    frame["code"] = frame["gemeentenaam"].map(codes)
    cost_columns = [c for c in frame.columns if category_of(c)]
    frame["cost"] = frame[cost_columns].sum(axis=1)
    cells = ["geslacht", "leeftijdsklasse"]
    national = frame.groupby(cells)[["cost", "aantal_verzekerdejaren"]].sum()
    rate = (national["cost"] / national["aantal_verzekerdejaren"]).rename("rate")
    frame = frame.join(rate, on=cells)
    frame["expected"] = frame["aantal_verzekerdejaren"] * frame["rate"]
    per_area = frame.groupby("code")[["cost", "expected"]].sum()
    return (per_area["cost"] / per_area["expected"]).to_dict()


def measure(
    run: Callable[[bytes], dict[str, float]], content: bytes, repeat: int
) -> tuple[dict[str, float], float, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(content)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run(content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    content = synthetic_vektis(2023)
    rows = content.count(b"\n") - 1
    print(f"Vektis gemeente file: {rows:,} rows, {len(content) / 1e6:.1f} MB, 342 municipalities")
    mine, t_ours, m_ours = measure(ours, content, args.repeat)
    base, t_base, m_base = measure(pandas_baseline, content, args.repeat)
    worst = max(abs(mine[k] - base[k]) for k in base)
    print(f"ours (checked reader + standardise): {t_ours:.3f} s, peak {m_ours / 1e6:.0f} MB")
    print(f"vectorised pandas baseline:          {t_base:.3f} s, peak {m_base / 1e6:.0f} MB")
    print(f"largest difference in ratio: {worst:.2e}")
    if not np.isfinite(worst) or worst > 1e-9:
        raise SystemExit("the two computations disagree")


if __name__ == "__main__":
    main()
