"""The settlement figures of person-level data: costs truncated at the 99th percentile and the
spread of the cost per person, checked by hand, against pandas, and for what they give away."""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from samenspel.analytics.population.engine import connect, load
from samenspel.analytics.population.regiobeeld import compute_counts
from samenspel.analytics.population.report import build_report
from samenspel.analytics.population.settlement import (
    COST_HIDDEN,
    DOMINATED,
    NO_CAP,
    ROUNDED_RELEASE,
    TOO_FEW_ABOVE,
    published_settlement,
)
from samenspel.analytics.population.suppression import TOTAL
from samenspel.analytics.population.synthetic import generate

pytestmark = pytest.mark.no_database


def _region(folder: Path, costs: list[float], *, stream: str = "Zvw") -> Path:
    """One person per cost, each with one event of that cost in 2023."""
    ids = [f"p{i:05d}" for i in range(len(costs))]
    pd.DataFrame(
        {"person_id": ids, "birth_year": 1970, "sex": "F", "municipality": "GM0796",
         "neighbourhood": "", "death_date": ""}
    ).to_csv(folder / "persons.csv", index=False)  # fmt: skip
    (folder / "conditions.csv").write_text("person_id,condition,start_date\n")
    pd.DataFrame(
        {"person_id": ids, "date": "2023-05-01", "kind": "gp_visit", "provider_id": "GP1",
         "stream": stream, "cost": costs}
    ).to_csv(folder / "care_events.csv", index=False)  # fmt: skip
    return folder


def _settle(folder: Path, engine: str = "duckdb") -> pd.DataFrame:
    con = connect(engine)
    return compute_counts(con, load(con, folder, engine)).settlement


def test_thousand_persons_costing_one_to_a_thousand_by_hand(tmp_path: Path) -> None:
    """The 99th percentile of 1..1000 is the 990th cost: 990. Ten persons are above it, and
    truncation removes 1 + 2 + ... + 10 = 55 of the 500,500."""
    raw = _settle(_region(tmp_path, [float(c) for c in range(1, 1001)]))
    row = raw.iloc[0]
    assert (row.year, row.stream, row.persons) == (2023, "Zvw", 1000)
    assert (row.cap, row.capped, row.cost) == (990.0, 10, 500_500.0)
    assert (row.truncated, row.removed, row.largest_removed) == (500_445.0, 55.0, 10.0)
    [published] = published_settlement(raw, threshold=10)
    assert published["truncated_per_capita"] == pytest.approx(500.445, abs=0.006)
    capped = np.minimum(np.arange(1, 1001), 990)
    assert published["sd_per_capita"] == pytest.approx(capped.std(ddof=1), abs=0.006)
    assert "cap" not in published and "capped" not in published


def test_too_few_persons_above_the_cap_or_one_that_dominates_publish_nothing(
    tmp_path: Path,
) -> None:
    """200 persons: two above the cap (198), removing 1 and 2. Fewer than the threshold; and
    with a threshold of two, the costliest person is two thirds of what was removed."""
    raw = _settle(_region(tmp_path, [float(c) for c in range(1, 201)]))
    assert (raw.iloc[0].cap, raw.iloc[0].capped, raw.iloc[0].removed) == (198.0, 2, 3.0)
    [withheld] = published_settlement(raw, threshold=10)
    assert withheld == {
        "year": 2023, "stream": "Zvw", "percentile": 99, "suppressed": True,
        "reason": TOO_FEW_ABOVE,
    }  # fmt: skip
    assert published_settlement(raw, threshold=2)[0]["reason"] == DOMINATED


def test_a_stream_that_fewer_than_one_in_a_hundred_use_has_no_cap(tmp_path: Path) -> None:
    folder = _region(tmp_path, [0.0] * 995 + [50.0] * 5)
    [withheld] = published_settlement(_settle(folder), threshold=5)
    assert withheld["reason"] == NO_CAP


def _by_pandas(folder: Path, year: int, stream: str) -> tuple[float, float]:
    """Truncated cost per person and its spread, recomputed from the files alone."""
    persons = pd.read_parquet(folder / "persons.parquet")
    events = pd.read_parquet(folder / "care_events.parquet")
    death = pd.to_datetime(persons["death_date"])
    counted = persons[
        (persons["birth_year"] <= year) & (death.isna() | (death >= f"{year}-01-01"))
    ]
    events = events[
        (pd.to_datetime(events["date"]).dt.year == year) & (events["stream"] == stream)
    ]
    cost = events.groupby("person_id")["cost"].sum()
    per_person = counted["person_id"].map(cost).fillna(0.0).to_numpy()
    ordered = np.sort(per_person)
    cap = ordered[math.ceil(0.99 * len(ordered) - 1e-9) - 1]
    kept = np.minimum(per_person, cap)
    return kept.mean(), kept.std(ddof=1)


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_the_published_figures_equal_a_recomputation_in_pandas(
    engine: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if engine == "spark" and shutil.which("java") is None and os.environ.get("CI") != "true":
        pytest.skip("PySpark needs Java 17")
    folder = tmp_path_factory.mktemp("region")
    generate(folder, persons=3000, seed=11, chunk=1000)
    con = connect(engine)
    report = build_report(compute_counts(con, load(con, folder, engine)))
    published = [r for r in report["settlement"] if not r["suppressed"]]
    assert {r["stream"] for r in published} == {"Zvw"}
    costs = {
        (r["year"], r["stream"]): r["per_capita"]
        for r in report["costs"]
        if r["municipality"] == TOTAL
    }
    # a stream whose region cost is hidden (here by the disclosure audit) shows nothing here
    for record in report["settlement"]:
        hidden = costs[(record["year"], record["stream"])] is None
        assert record["suppressed"] == hidden
        assert hidden == (record.get("reason") == COST_HIDDEN)
    for record in published:
        mean, sd = _by_pandas(folder, record["year"], record["stream"])
        assert record["truncated_per_capita"] == pytest.approx(mean, abs=0.006)
        assert record["sd_per_capita"] == pytest.approx(sd, abs=0.006)
        # truncation only takes away
        assert record["truncated_per_capita"] <= costs[(record["year"], record["stream"])]


def test_a_rounded_release_publishes_no_exact_truncated_cost(tmp_path: Path) -> None:
    """The cell-key method perturbs every cost so that two releases cannot be differenced to
    one person; an exact truncated cost beside them would undo that, so none is published."""
    folder = _region(tmp_path, [float(c) for c in range(1, 1001)])
    con = connect("duckdb")
    counts = compute_counts(con, load(con, folder, "duckdb"), secret="s" * 16)
    assert not build_report(counts)["settlement"][0]["suppressed"]
    [withheld] = build_report(counts, method="rounded")["settlement"]
    assert withheld["suppressed"] and withheld["reason"] == ROUNDED_RELEASE
    assert "truncated_per_capita" not in withheld
