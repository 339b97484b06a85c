"""An outsider attacks the published regiobeeld and recovers nothing.

The attacker below is written from the documentation alone, not from the product's audit: it
reads the published tables (a hidden row shows no numbers), writes down every sum the
documentation promises, the bounds everybody knows (a row has at least one person; events are at
least the persons with an event; readmissions at most the admissions; events without a known
cost at most the events; costs are not negative)
and solves an integer program (SciPy's ``milp``) for the least and largest value of each hidden
cell. A hidden count below the threshold is recovered when its range cannot reach the threshold
or is narrower than the protection; a hidden cost when its range is narrower than a quarter of
the cost.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, vstack

from samenspel.analytics.population.engine import connect, load
from samenspel.analytics.population.regiobeeld import compute_counts
from samenspel.analytics.population.report import _presuppress, build_report, publication
from samenspel.analytics.population.synthetic import generate

pytestmark = pytest.mark.no_database

THRESHOLD = 10
PROTECTION = 5
COST_SHARE = 0.25
TOTAL = "total"

# table: (dimensions besides year and municipality, counts, costs); the first count is persons
SCHEMA: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "population": ((), ("persons",), ()),
    "pyramid": (("age_band", "sex"), ("persons",), ()),
    "prevalence": (("condition",), ("persons",), ()),
    "multimorbidity": ((), ("persons",), ()),
    "segments": (("segment",), ("persons",), ("cost",)),
    "care_use": (("kind",), ("persons", "events"), ()),
    "readmissions": ((), ("persons", "admissions", "readmissions"), ()),
    "costs": (("stream",), ("persons", "events", "events_without_cost"), ("cost",)),
    "neighbourhoods": (("neighbourhood",), ("persons",), ()),
    "neighbourhood_segments": (("neighbourhood", "segment"), ("persons",), ()),
}


class Attack:
    """Everything an outsider can write down about the published tables."""

    def __init__(self, report: dict[str, Any]) -> None:
        self.report = report
        self.unknown: dict[tuple[str, int, str], int] = {}
        self.costly: set[int] = set()
        self.rows: list[tuple[list[tuple[float, int]], float, float]] = []
        for table, (_dims, counts, costs) in SCHEMA.items():
            for i, row in enumerate(report[table]):
                if row["suppressed"]:
                    for column in (*counts, *costs):
                        self.unknown[(table, i, column)] = len(self.unknown)
                        if column in costs:
                            self.costly.add(self.unknown[(table, i, column)])

    def term(self, table: str, i: int, column: str) -> tuple[float, int | None]:
        cell = (table, i, column)
        if cell in self.unknown:
            return 0.0, self.unknown[cell]
        return float(self.report[table][i][column]), None

    def equal(self, left: list[tuple[str, int, str]], right: list[tuple[str, int, str]]) -> None:
        self.relation([(1.0, c) for c in left] + [(-1.0, c) for c in right], 0.0, 0.0)

    def relation(
        self, cells: list[tuple[float, tuple[str, int, str]]], low: float, high: float
    ) -> None:
        known, terms = 0.0, []
        for sign, cell in cells:
            value, var = self.term(*cell)
            if var is None:
                known += sign * value
            else:
                terms.append((sign, var))
        if terms:
            slack = 0.02 * len(cells) if any(v in self.costly for _s, v in terms) else 0.0
            self.rows.append((terms, low - known - slack, high - known + slack))


def _group(report: dict[str, Any], table: str, by: tuple[str, ...], where: Any = None) -> dict:
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, row in enumerate(report[table]):
        if where is None or where(row):
            groups[tuple(row[k] for k in by)].append(i)
    return groups


def documented_identities(report: dict[str, Any]) -> Attack:
    """The sums of docs/population.md, and the bounds, over the published tables."""
    attack = Attack(report)
    ym = ("year", "municipality")

    def sums(left: tuple, right: tuple, by: tuple[str, ...]) -> None:
        (lt, lc, lw), (rt, rc, rw) = left, right
        lg, rg = _group(report, lt, by, lw), _group(report, rt, by, rw)
        for key in set(lg) | set(rg):
            attack.equal(
                [(lt, i, lc) for i in lg.get(key, [])], [(rt, i, rc) for i in rg.get(key, [])]
            )

    def local(row: dict[str, Any]) -> bool:
        return row["municipality"] != TOTAL

    def region(row: dict[str, Any]) -> bool:
        return row["municipality"] == TOTAL

    for table in list(SCHEMA)[:8]:
        dims, counts, costs = SCHEMA[table]
        for column in (*counts, *costs):
            sums((table, column, local), (table, column, region), ("year", *dims))
    sums(("pyramid", "persons", None), ("population", "persons", None), ym)
    sums(("segments", "persons", None), ("population", "persons", None), ym)
    sums(("segments", "cost", None), ("costs", "cost", None), ym)
    sums(("costs", "events", None), ("care_use", "events", None), ym)  # every event has a stream

    def admissions(row: dict[str, Any]) -> bool:
        return row["kind"] == "hospital_admission"

    sums(("care_use", "events", admissions), ("readmissions", "admissions", None), ym)
    sums(("care_use", "persons", admissions), ("readmissions", "persons", None), ym)
    if not report["neighbourhoods"]:
        return attack  # no wijk breakdown published
    sums(("neighbourhoods", "persons", None), ("population", "persons", local), ym)
    sums(
        ("neighbourhood_segments", "persons", None),
        ("neighbourhoods", "persons", None),
        (*ym, "neighbourhood"),
    )
    sums(
        ("neighbourhood_segments", "persons", None),
        ("segments", "persons", local),
        (*ym, "segment"),
    )
    return attack


def _bounds(attack: Attack, report: dict[str, Any]) -> Attack:
    for table, smaller, larger in (
        ("care_use", "persons", "events"),
        ("costs", "persons", "events"),
        ("costs", "events_without_cost", "events"),
        ("readmissions", "persons", "admissions"),
        ("readmissions", "readmissions", "admissions"),
    ):
        for i in range(len(report[table])):
            attack.relation([(1.0, (table, i, smaller)), (-1.0, (table, i, larger))], -np.inf, 0)
    return attack


def recover(report: dict[str, Any], truth: dict[tuple[str, int, str], float]) -> list[str]:
    """Every hidden cell the attacker pins down: a small count or the cost of a small row."""
    attack = _bounds(documented_identities(report), report)
    n = len(attack.unknown)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for terms, _lo, _hi in attack.rows:
        for _s, v in terms[1:]:
            parent[find(v)] = find(terms[0][1])
    cells = {v: c for c, v in attack.unknown.items()}
    lower = np.array([1.0 if cells[v][2] == SCHEMA[cells[v][0]][1][0] else 0.0 for v in range(n)])
    components: dict[int, list[int]] = defaultdict(list)
    for v in range(n):
        components[find(v)].append(v)

    found = []
    for members in components.values():
        targets = members  # every hidden cell: none may be determined
        where = {v: j for j, v in enumerate(members)}
        rows = [r for r in attack.rows if r[0][0][1] in where]
        data, ri, ci = [], [], []
        for k, (terms, _lo, _hi) in enumerate(rows):
            for s, v in terms:
                data.append(s)
                ri.append(k)
                ci.append(where[v])
        matrix = coo_matrix((data, (ri, ci)), shape=(len(rows), len(members))).tocsr()
        constraints = LinearConstraint(matrix, [r[1] for r in rows], [r[2] for r in rows])
        integrality = np.array([0 if v in attack.costly else 1 for v in members])
        # ceilings far above any count or cost of the region, yet small enough to keep the
        # solver's numbers well scaled
        ceiling = np.array([1e10 if v in attack.costly else 1e7 for v in members])
        bounds = Bounds(lower[members], ceiling)
        # every whole solution found is a witness: a cell whose witnessed values already span
        # a safe range needs no program of its own
        seen_low = np.full(len(members), np.inf)
        seen_high = np.full(len(members), -np.inf)
        for v in targets:
            table, i, column = cells[v]
            value = truth[cells[v]]
            few = 1 <= truth[(table, i, "persons")] < THRESHOLD
            cost = v in attack.costly
            j = where[v]
            if not _pinned(column, value, seen_low[j], seen_high[j], few=few, cost=cost):
                continue
            for sign in (1.0, -1.0):
                objective = np.zeros(len(members))
                objective[j] = sign
                x = _optimum(objective, integrality, bounds, constraints)
                seen_low, seen_high = np.minimum(seen_low, x), np.maximum(seen_high, x)
            low, high = seen_low[j], seen_high[j]
            if _pinned(column, value, low, high, few=few, cost=cost):
                found.append(f"{table} {report[table][i]} {column}={value} in [{low}, {high}]")
    return found


def _optimum(
    objective: np.ndarray, integrality: np.ndarray, bounds: Bounds, constraints: LinearConstraint
) -> np.ndarray:
    """The integer program's optimum: the linear program's when that is whole already (then no
    whole solution can do better), else the integer program's."""
    relaxed = linprog(
        objective,
        bounds=list(zip(bounds.lb, bounds.ub, strict=True)),
        method="highs",
        **_as_linprog(constraints),
    )
    if relaxed.status == 0:
        x = relaxed.x
        whole = integrality.astype(bool)
        if np.all(np.abs(x[whole] - np.round(x[whole])) < 1e-7):
            return x
    result = milp(objective, integrality=integrality, bounds=bounds, constraints=[constraints])
    assert result.status == 0, result.message
    return result.x


def _as_linprog(constraints: LinearConstraint) -> dict[str, Any]:
    """``lb <= A x <= ub`` as linprog's equalities and upper bounds."""
    a = constraints.A.tocsr()
    lb, ub = np.asarray(constraints.lb, float), np.asarray(constraints.ub, float)
    eq = lb == ub
    upper = [(a[~eq & np.isfinite(ub)], ub[~eq & np.isfinite(ub)])]
    upper.append((-a[~eq & np.isfinite(lb)], -lb[~eq & np.isfinite(lb)]))
    a_ub = vstack([m for m, _b in upper])
    b_ub = np.concatenate([b for _m, b in upper])
    out: dict[str, Any] = {}
    if eq.any():
        out.update(A_eq=a[eq], b_eq=ub[eq])
    if a_ub.shape[0]:
        out.update(A_ub=a_ub, b_ub=b_ub)
    return out


def _pinned(column: str, value: float, low: float, high: float, *, few: bool, cost: bool) -> bool:
    """Whether the attacker's range [low, high] gives the hidden cell away: a hidden cell is
    never determined, and a small count (zero readmissions included) keeps a range of at least
    the protection."""
    if cost:
        if value == 0:
            return False  # a zero cost follows from a published zero total: no cost known
        return high - low < (max(COST_SHARE * value, 1.0) if few else 1.0)
    if column in ("persons", "readmissions") and value < THRESHOLD:
        return (value >= 1 and high < THRESHOLD) or high - low < PROTECTION
    if few:
        return high - low < PROTECTION  # events and admissions of a row with few persons
    return high - low < 1


def _truth(counts: Any) -> dict[tuple[str, int, str], float]:
    pub = publication(counts, threshold=THRESHOLD)
    return {
        (name, i, column): float(value)
        for name, table in pub.tables.items()
        for column in table.columns
        for i, value in enumerate(table.frame[column])
    }


_CACHE: dict[tuple[int, int, tuple[int, ...]], Any] = {}


def _counts(tmp_root: Path, persons: int, seed: int, years: tuple[int, ...] = (2023,)) -> Any:
    key = (persons, seed, years)
    if key not in _CACHE:
        folder = tmp_root / f"region-{persons}-{seed}-{len(years)}"
        generate(folder, persons=persons, seed=seed, years=years)
        con = connect("duckdb")
        _CACHE[key] = compute_counts(con, load(con, folder, "duckdb"))
    return _CACHE[key]


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("disclosure")


def _naive_report(counts: Any) -> dict[str, Any]:
    """What was published before the audit: primary and group-wise secondary suppression."""
    pub = publication(counts, threshold=THRESHOLD)
    _presuppress(pub)
    out: dict[str, Any] = {}
    for name, table in pub.tables.items():
        records = table.frame.to_dict(orient="records")
        for record, hidden in zip(records, table.hidden, strict=True):
            record["suppressed"] = bool(hidden)
            for column in table.columns:
                record[column] = None if hidden else record[column]
        out[name] = records
    return out


def test_the_attacker_recovers_what_group_wise_suppression_leaves(tmp_root: Path) -> None:
    """Without the audit, the attack works: region rows and the neighbourhood tables give
    hidden small counts away (the leaks the audit exists for)."""
    counts = _counts(tmp_root, 2000, 1)
    found = recover(_naive_report(counts), _truth(counts))
    assert any(f.startswith("segments") for f in found), found
    assert any(f.startswith("neighbourhood_segments") for f in found), found


THREE_YEARS = (2021, 2022, 2023)


@pytest.mark.parametrize(
    ("persons", "seed", "years"),
    [
        (2000, 1, (2022, 2023)),
        (2000, 2, THREE_YEARS),
        (2000, 3, (2023,)),
        (2000, 4, (2023,)),
        # regions where a published zero readmissions total determined every hidden municipality
        # (0), and where hidden pyramid cells of the region (22 and 27 persons) were determined
        (1000, 1, THREE_YEARS),
        (3000, 2, THREE_YEARS),
        (3000, 7, THREE_YEARS),
    ],
)
def test_published_regiobeeld_survives_the_attack(
    tmp_root: Path, persons: int, seed: int, years: tuple[int, ...]
) -> None:
    """Per municipality, neighbourhood and year: every year's tables are attacked together,
    and no hidden cell, small or large, is determined."""
    counts = _counts(tmp_root, persons, seed, years)
    assert sorted(counts.population["year"].unique()) == list(years)
    report = build_report(counts, threshold=THRESHOLD)
    assert report["disclosure"]["passed"]
    assert report["neighbourhood_segments"], "the wijk breakdown is published and attacked too"
    assert recover(report, _truth(counts)) == []


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(persons=st.integers(min_value=300, max_value=4000), seed=st.integers(0, 10_000))
def test_any_region_size_survives_the_attack(tmp_root: Path, persons: int, seed: int) -> None:
    counts = _counts(tmp_root, persons, seed)
    report = build_report(counts, threshold=THRESHOLD)
    assert recover(report, _truth(counts)) == []


def test_the_audit_withholds_a_table_rather_than_give_up(tmp_root: Path) -> None:
    """With no rounds of single rows allowed, every failing table is withheld for its year; the
    audit then passes, and it says what it withheld."""
    counts = _counts(tmp_root, 1000, 1, THREE_YEARS)
    pub = publication(counts, threshold=THRESHOLD)
    _presuppress(pub)
    assert pub.audit().findings, "the naive suppression leaves something to protect"
    result = pub.protect(max_rounds=0)
    assert result.findings == [] and result.withheld
    for name, year in result.withheld:
        table = pub.tables[name]
        assert table.hidden[table.frame["year"].to_numpy() == year].all()


def test_a_region_without_any_known_cost_is_published(tmp_root: Path) -> None:
    """A public OMOP sample ships an empty cost table: every cost is unknown. The regiobeeld is
    protected and published, its costs zero with 100% unknown, never an error."""
    import duckdb

    source = tmp_root / "region-1000-1-3"
    _counts(tmp_root, 1000, 1, THREE_YEARS)
    folder = tmp_root / "no-costs"
    folder.mkdir(exist_ok=True)
    con = duckdb.connect()
    for name in ("persons", "conditions", "care_events"):
        select = f"SELECT * FROM read_parquet('{source / name}.parquet')"
        if name == "care_events":
            select = select.replace("*", "* REPLACE (NULL::DOUBLE AS cost)")
        con.execute(f"COPY ({select}) TO '{folder / name}.parquet' (FORMAT parquet)")
    engine = connect("duckdb")
    report = build_report(compute_counts(engine, load(engine, folder, "duckdb")), threshold=10)
    assert report["disclosure"]["passed"]
    region = [r for r in report["costs"] if r["municipality"] == TOTAL and not r["suppressed"]]
    assert region and all(r["cost"] == 0 and r["unknown_cost_percent"] == 100 for r in region)
