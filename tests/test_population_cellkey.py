"""Rounded releases by the cell-key method, attacked as an outsider with several releases would.

The outsider holds every published table of each release. What the method promises, and what
these tests hold it to:

- every published count lies within its stated accuracy of the truth (a total within the sum of
  its parts' accuracies), a cost within 25% / √persons;
- the same persons give the same published number in every release: a cell of persons nobody
  joined or left is identical in both, so comparing releases, programmes or years averages
  nothing away and isolates no one;
- every sum the documentation promises holds in the published figures themselves, so writing
  those sums down tells the outsider nothing the single cells do not;
- a region of 1,000 persons publishes its total, its rates, its segments and its costs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samenspel.analytics.population.cellkey import MAX_NOISE, WEIGHTS, cost_spread, deviation
from samenspel.analytics.population.engine import connect, load
from samenspel.analytics.population.regiobeeld import compute_counts
from samenspel.analytics.population.report import MUNICIPAL_DIMS, build_report
from samenspel.analytics.population.suppression import TOTAL
from samenspel.analytics.population.synthetic import generate

pytestmark = pytest.mark.no_database

SECRET = "a secret of this installation"
YEARS = (2022, 2023)
COUNTS = ("persons", "events", "admissions", "readmissions", "events_without_cost")

_REGIONS: dict[tuple[int, int], Path] = {}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cellkey")


def _region(root: Path, persons: int, seed: int) -> Path:
    if (persons, seed) not in _REGIONS:
        folder = root / f"region-{persons}-{seed}"
        generate(folder, persons=persons, seed=seed, years=YEARS)
        _REGIONS[(persons, seed)] = folder
    return _REGIONS[(persons, seed)]


def _release(folder: Path, secret: str = SECRET) -> tuple[dict[str, Any], Any]:
    con = connect("duckdb")
    counts = compute_counts(con, load(con, folder, "duckdb"), secret=secret)
    return build_report(counts, method="rounded"), counts


def _variant(source: Path, target: Path, persons_sql: str) -> Path:
    """A copy of ``source`` whose persons are ``persons_sql`` over the table ``p``."""
    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW p AS SELECT * FROM read_parquet('{source / 'persons.parquet'}')")
    con.execute(f"COPY ({persons_sql}) TO '{target / 'persons.parquet'}' (FORMAT parquet)")
    for name in ("conditions", "care_events"):
        select = f"SELECT * FROM read_parquet('{source / name}.parquet')"
        con.execute(f"COPY ({select}) TO '{target / name}.parquet' (FORMAT parquet)")
    return target


def _cells(report: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Every published row by its table and keys."""
    out = {}
    for name, dims in {
        **MUNICIPAL_DIMS,
        "neighbourhoods": ("neighbourhood",),
        "neighbourhood_segments": ("neighbourhood", "segment"),
    }.items():
        for row in report[name]:
            out[(name, row["year"], row["municipality"], *(row[d] for d in dims))] = row
    return out


def _truth(counts: Any) -> dict[tuple[Any, ...], dict[str, float]]:
    """The true counts of every cell, region rows included."""
    out: dict[tuple[Any, ...], dict[str, float]] = {}
    tables = {**MUNICIPAL_DIMS, "neighbourhood_segments": ("neighbourhood", "segment")}
    for name, dims in tables.items():
        frame = getattr(counts, name).drop(columns=["key"], errors="ignore")
        values = [c for c in frame.columns if c not in ("year", "municipality", *dims)]
        region = frame.groupby(["year", *dims], as_index=False)[values].sum()
        region["municipality"] = TOTAL
        for row in pd.concat([frame, region]).to_dict(orient="records"):
            out[(name, int(row["year"]), str(row["municipality"]), *(row[d] for d in dims))] = row
    nb = counts.neighbourhood_segments
    if not nb.empty:
        per_nb = nb.groupby(["year", "municipality", "neighbourhood"], as_index=False)["persons"]
        for row in per_nb.sum().to_dict(orient="records"):
            key = ("neighbourhoods", int(row["year"]), row["municipality"], row["neighbourhood"])
            out[key] = row
    return out


def _outside(report: dict[str, Any], counts: Any) -> list[str]:
    """Every published figure outside its stated accuracy."""
    truth, wrong = _truth(counts), []
    for key, row in _cells(report).items():
        true = truth[key]
        if row["suppressed"]:
            continue  # a withheld neighbourhood row shows nothing
        for column in COUNTS:
            if column in row and abs(row[column] - true[column]) > row["accuracy"]:
                wrong.append(f"{key} {column}: {row[column]} vs {true[column]} ± {row['accuracy']}")
        if "cost" in row and key[2] != TOTAL:
            spread = float(cost_spread(pd.Series([true["persons"]]).to_numpy())[0])
            if abs(row["cost"] - true["cost"]) > spread * true["cost"] + 0.5:  # whole euros
                wrong.append(f"{key} cost: {row['cost']} vs {true['cost']}")
    return wrong


def test_the_perturbation_table_is_unbiased_and_bounded() -> None:
    """For counts of three or more the mean deviation is 0; none leaves ± MAX_NOISE, and no
    published count of an existing row is below one."""
    grid = [(i + 0.5) / 10_000 for i in range(10_000)]
    for count in range(1, 12):
        deviations = [deviation(count, u) for u in grid]
        assert max(abs(d) for d in deviations) <= MAX_NOISE
        assert min(count + d for d in deviations) >= 1
        if count >= 3:
            assert sum(deviations) / len(deviations) == pytest.approx(0, abs=1e-9)
    share = sum(1 for u in grid if deviation(50, u) == 0) / len(grid)
    assert share == pytest.approx(WEIGHTS[0] / sum(WEIGHTS.values()), abs=1e-3)


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(persons=st.sampled_from([400, 1000, 3000]), seed=st.integers(0, 50))
def test_every_published_figure_is_within_its_stated_accuracy(
    root: Path, persons: int, seed: int
) -> None:
    report, counts = _release(_region(root, persons, seed))
    assert _outside(report, counts) == []


def test_a_small_region_publishes_its_totals_rates_segments_and_costs(root: Path) -> None:
    """1,000 persons: suppression hides even the region's total; the rounded release shows
    every figure, with its accuracy."""
    report, counts = _release(_region(root, 1000, 1))
    exact = build_report(counts)
    assert all(r["persons"] is None for r in exact["population"] if r["municipality"] == TOTAL)
    region = [r for r in report["population"] if r["municipality"] == TOTAL]
    assert [r["year"] for r in region] == list(YEARS)
    for row in region:
        true = int(counts.population[counts.population["year"] == row["year"]]["persons"].sum())
        assert abs(row["persons"] - true) <= row["accuracy"] and row["accuracy"] > 0
    for table, rate in (
        ("prevalence", "per_1000"),
        ("segments", "percent"),
        ("costs", "per_capita"),
        ("multimorbidity", "percent"),
    ):
        assert report[table] and all(r[rate] is not None for r in report[table]), table
    assert report["standardised"] == []  # exact strata would give the deviations away


def test_every_documented_sum_holds_in_the_published_figures(root: Path) -> None:
    """Region = Σ municipalities, population = Σ segments, a neighbourhood = Σ its segments,
    admissions in both tables the same; and where a municipality's segments meet its
    neighbourhoods', no range narrows."""
    report, _counts = _release(_region(root, 1000, 1))
    frames = {name: pd.DataFrame(rows) for name, rows in report.items() if name in MUNICIPAL_DIMS}
    for name, dims in MUNICIPAL_DIMS.items():
        frame = frames[name]
        numbers = [c for c in (*COUNTS, "cost") if c in frame.columns]
        local = frame[frame["municipality"] != TOTAL].groupby(["year", *dims])[numbers].sum()
        region = frame[frame["municipality"] == TOTAL].set_index(["year", *dims])[numbers]
        pd.testing.assert_frame_equal(local.sort_index(), region.sort_index(), check_dtype=False)
    ym = ["year", "municipality"]
    population = frames["population"].set_index(ym)["persons"]
    segments = frames["segments"].groupby(ym)["persons"].sum()
    pd.testing.assert_series_equal(segments.sort_index(), population.sort_index())
    nb = pd.DataFrame(report["neighbourhoods"])
    nb_seg = pd.DataFrame(report["neighbourhood_segments"])
    assert not nb.empty
    # a neighbourhood's total is shown only beside all of its segments, and is their sum
    shown_nb = nb[~nb["suppressed"]].set_index([*ym, "neighbourhood"])["persons"]
    assert len(shown_nb), "some neighbourhood totals are shown"
    per_nb = nb_seg.groupby([*ym, "neighbourhood"])["persons"].sum(min_count=1)
    pd.testing.assert_series_equal(
        per_nb[shown_nb.index].sort_index(), shown_nb.sort_index(), check_dtype=False
    )
    # A municipality's segments and its neighbourhoods' are rounded apart: where both are
    # shown, laying the sum of the neighbourhoods beside the municipality narrows no range.
    shown = nb_seg[~nb_seg["suppressed"]]
    assert not shown.empty, "most neighbourhood tables are shown"
    local = frames["segments"][frames["segments"]["municipality"] != TOTAL]
    for (year, area, segment), parts in shown.groupby([*ym, "segment"]):
        [own] = local[
            (local["year"] == year) & (local["municipality"] == area)
            & (local["segment"] == segment)
        ].to_dict(orient="records")  # fmt: skip
        assert not _sum_narrows(own, parts.to_dict(orient="records")), (year, area, segment)
    use = frames["care_use"]
    admitted = use[use["kind"] == "hospital_admission"].set_index(ym)[["events", "persons"]]
    readm = frames["readmissions"].set_index(ym)[["admissions", "persons"]]
    assert (admitted["events"] == readm["admissions"]).all()
    assert (admitted["persons"] == readm["persons"]).all()


def _sum_narrows(own: dict[str, Any], parts: list[dict[str, Any]]) -> bool:
    """An outsider's interval reasoning on own = Σ parts, each within its accuracy and at
    least one: does the sum cut into any of the ranges?"""
    rows = [own, *parts]
    low = [max(r["persons"] - r["accuracy"], 1) for r in rows]
    high = [r["persons"] + r["accuracy"] for r in rows]
    rest_low, rest_high = sum(low[1:]), sum(high[1:])
    derived = [(rest_low, rest_high)] + [
        (low[0] - (rest_high - high[j]), high[0] - (rest_low - low[j]))
        for j in range(1, len(rows))
    ]
    return any(lo > low[i] or hi < high[i] for i, (lo, hi) in enumerate(derived))


def _changed(a: dict[str, Any], b: dict[str, Any]) -> set[tuple[Any, ...]]:
    ca, cb = _cells(a), _cells(b)
    return {
        key
        for key in set(ca) | set(cb)
        if key not in ca or key not in cb
        or any(ca[key].get(c) != cb[key].get(c) for c in (*COUNTS, "cost"))
    }  # fmt: skip


@pytest.mark.parametrize("change", ["one more", "ten more", "one moves"])
def test_two_releases_differ_only_where_the_changed_persons_are(
    root: Path, tmp_path: Path, change: str
) -> None:
    """Release B is A with one person added, ten added, or one moved to another municipality.
    Every cell outside the changed persons' municipalities is identical in both releases, and
    both releases keep every figure within its accuracy."""
    source = _region(root, 1000, 1)
    con = duckdb.connect()
    persons = con.execute(
        f"SELECT person_id, municipality FROM read_parquet('{source / 'persons.parquet'}') "
        "ORDER BY person_id"
    ).fetchall()
    municipalities = sorted({m for _p, m in persons})
    n = 10 if change == "ten more" else 1
    chosen = [p for p, _m in persons[:n]]
    names = ", ".join(f"'{p}'" for p in chosen)
    if change == "one moves":
        target = next(m for m in municipalities if m != persons[0][1])
        b_sql = (
            f"SELECT * REPLACE (CASE WHEN person_id IN ({names}) THEN '{target}' "
            "ELSE municipality END AS municipality) FROM p"
        )
        a_sql = "SELECT * FROM p"
        touched = {persons[0][1], target}
    else:
        a_sql = f"SELECT * FROM p WHERE person_id NOT IN ({names})"
        b_sql = "SELECT * FROM p"
        touched = {m for p, m in persons[:n]}
    release_a, counts_a = _release(_variant(source, tmp_path / "a", a_sql))
    release_b, counts_b = _release(_variant(source, tmp_path / "b", b_sql))
    assert _outside(release_a, counts_a) == [] and _outside(release_b, counts_b) == []
    changed = _changed(release_a, release_b)
    assert changed, "the changed persons show somewhere"
    assert {key[2] for key in changed} <= touched | {TOTAL}


def test_two_programmes_sharing_a_municipality_publish_the_same_figures_for_it(
    root: Path, tmp_path: Path
) -> None:
    """Programme 1 covers municipalities A and B, programme 2 covers B and C: B's rows are
    identical in both, so combining the two programmes averages nothing away."""
    source = _region(root, 1000, 1)
    con = duckdb.connect()
    a, b, c = [
        m
        for (m,) in con.execute(
            f"SELECT DISTINCT municipality FROM read_parquet('{source / 'persons.parquet'}') "
            "ORDER BY 1 LIMIT 3"
        ).fetchall()
    ]
    one, _ = _release(
        _variant(source, tmp_path / "one", f"SELECT * FROM p WHERE municipality IN ('{a}','{b}')")
    )
    two, _ = _release(
        _variant(source, tmp_path / "two", f"SELECT * FROM p WHERE municipality IN ('{b}','{c}')")
    )
    shared_one = {k: v for k, v in _cells(one).items() if k[2] == b}
    shared_two = {k: v for k, v in _cells(two).items() if k[2] == b}
    assert shared_one and shared_one.keys() == shared_two.keys()
    for key, row in shared_one.items():
        assert {c: row.get(c) for c in (*COUNTS, "cost")} == {
            c: shared_two[key].get(c) for c in (*COUNTS, "cost")
        }, key


def test_another_secret_gives_other_deviations_and_no_secret_is_refused(root: Path) -> None:
    folder = _region(root, 1000, 1)
    first, _counts = _release(folder)
    other, _ = _release(folder, secret="another installation's secret")
    assert _changed(first, other)
    con = connect("duckdb")
    without = compute_counts(con, load(con, folder, "duckdb"))
    with pytest.raises(ValueError, match="secret"):
        build_report(without, method="rounded")
    assert math.isfinite(first["population"][0]["persons"])
