"""Disclosure audit: can an outsider recover a hidden cell from everything published together?

A publication is a set of tables whose rows are either shown or hidden (every measure of a hidden
row is hidden). An outsider knows every shown value and every identity the documentation
promises: municipalities add up to the region, the pyramid and the segments add up to the
population, segment costs add up to stream costs, hospital admissions in care use equal those in
the readmissions table, and so on. An outsider also knows the bounds: a row exists only when it
has at least one person (zeros are shown), events are at least the persons with an event,
readmissions at most the admissions, and costs are not negative.

For every hidden cell, the audit solves two integer programs over those identities and bounds
(HiGHS, through SciPy): the least and the largest value the cell can take. The rules:

- a hidden count below the threshold (persons, or readmissions, zero readmissions included)
  must be able to reach the threshold, and its range must be at least ``count_protection`` wide;
- the other counts of a row with few persons (events, admissions) need a range of
  ``count_protection``, and its (positive) costs a range of ``cost_protection`` times the cost;
- no other hidden cell may be determined: a count's range is at least 1 wide, a positive cost's
  at least a euro (a cost of zero follows from a published zero total: no cost is known).

Where a rule fails, ``protect`` hides one more row (the shown row with the fewest persons in an
identity of the failing cell, together with the rows linked to it) and audits again, until every
rule holds. Where no row is left to hide, the cell's whole table is withheld for that year: the
audit never gives up. Only hidden cells are unknowns, so the programs split into small
independent parts.
"""

from __future__ import annotations

import math
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from math import ceil

import highspy
import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix

Cell = tuple[str, int, str]  # (table, row label, column)
Row = tuple[str, int]
COST_TOLERANCE = 0.01  # euros: published costs are sums of floats, added up in another order
CEILING = 1e12  # no count or cost reaches this; a range that does is open on that side


def default_count_protection(threshold: int) -> int:
    """The width a hidden small count's range must have: half the threshold, at least 1."""
    return max(1, ceil(threshold / 2))


DEFAULT_COST_PROTECTION = 0.25


@dataclass
class Table:
    """One published table: rows, which of their columns are what, and which rows are hidden."""

    frame: pd.DataFrame
    keys: tuple[str, ...]  # counts the threshold applies to; the first is the row's persons
    counts: tuple[str, ...] = ()  # other whole numbers (events, admissions)
    costs: tuple[str, ...] = ()
    hidden: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        if len(self.hidden) != len(self.frame):
            self.hidden = np.zeros(len(self.frame), dtype=bool)

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.keys, *self.counts, *self.costs)


@dataclass(frozen=True)
class Relation:
    """``sum(terms) == 0`` (``equal``) or ``sum(terms) <= 0``; terms are (coefficient, cell)."""

    terms: tuple[tuple[float, Cell], ...]
    equal: bool = True


@dataclass(frozen=True)
class Finding:
    cell: Cell
    value: float
    low: float
    high: float
    rule: str


@dataclass
class AuditResult:
    findings: list[Finding]  # after ``protect``: only what no hiding could resolve (rare)
    checked: int  # hidden cells whose range was computed
    hidden_rows: int
    # (table, year) withheld whole because hiding single rows could not protect them
    withheld: list[tuple[str, int]] = field(default_factory=list)


class Publication:
    """Tables published together, the identities between them and the rows hidden together."""

    def __init__(
        self,
        threshold: int,
        *,
        count_protection: int | None = None,
        cost_protection: float = DEFAULT_COST_PROTECTION,
    ) -> None:
        self.threshold = threshold
        self.count_protection = (
            default_count_protection(threshold) if count_protection is None else count_protection
        )
        self.cost_protection = cost_protection
        self.tables: dict[str, Table] = {}
        self.relations: list[Relation] = []
        self.links: dict[Row, set[Row]] = defaultdict(set)
        self._values: dict[tuple[str, str], np.ndarray] = {}

    # -- building ----------------------------------------------------------------------------

    def add(self, name: str, table: Table) -> None:
        """Add a table; its rows are addressed by position (the frame gets a fresh index)."""
        table.frame = table.frame.reset_index(drop=True)
        self.tables[name] = table

    def value(self, cell: Cell) -> float:
        name, row, column = cell
        key = (name, column)
        if key not in self._values:
            self._values[key] = self.tables[name].frame[column].to_numpy(dtype="float64")
        return float(self._values[key][row])

    def is_hidden(self, cell: Cell | Row) -> bool:
        return bool(self.tables[cell[0]].hidden[cell[1]])

    def equal_sums(
        self,
        left: tuple[str, str, pd.Series | None],
        right: tuple[str, str, pd.Series | None],
        by: Sequence[str],
    ) -> None:
        """For every value of ``by``: the sum of ``left`` rows equals the sum of ``right`` rows.

        ``left`` and ``right`` are (table, column, row mask or None).
        """
        sides = []
        for name, column, mask in (left, right):
            frame = self.tables[name].frame
            chosen = frame if mask is None else frame[mask]
            groups = chosen.groupby(list(by), sort=False).groups if len(chosen) else {}
            sides.append((name, column, {_key(k): list(v) for k, v in groups.items()}))
        (ln, lc, lg), (rn, rc, rg) = sides
        for key in set(lg) | set(rg):
            terms = [(1.0, (ln, int(r), lc)) for r in lg.get(key, [])]
            terms += [(-1.0, (rn, int(r), rc)) for r in rg.get(key, [])]
            self.relations.append(Relation(tuple(terms)))

    def at_most(self, name: str, smaller: str, larger: str) -> None:
        """In every row of ``name``: ``smaller`` <= ``larger``."""
        for row in self.tables[name].frame.index:
            self.relations.append(
                Relation(
                    ((1.0, (name, int(row), smaller)), (-1.0, (name, int(row), larger))), False
                )
            )

    def link(self, rows: Iterable[Row]) -> None:
        """These rows are shown or hidden together."""
        group = set(rows)
        for row in group:
            self.links[row] |= group - {row}

    def hide(self, row: Row) -> list[Row]:
        """Hide ``row`` and every row linked to it; returns the rows newly hidden."""
        newly: list[Row] = []
        todo = [row]
        while todo:
            current = todo.pop()
            table = self.tables[current[0]]
            if table.hidden[current[1]]:
                continue
            table.hidden[current[1]] = True
            newly.append(current)
            todo.extend(self.links.get(current, ()))
        return newly

    def sync_links(self) -> None:
        """Rows linked to a hidden row are hidden too."""
        for row, others in list(self.links.items()):
            if self.is_hidden(row):
                for other in others:
                    self.hide(other)

    # -- auditing ----------------------------------------------------------------------------

    def _kind(self, cell: Cell) -> str:
        table = self.tables[cell[0]]
        if cell[2] in table.keys:
            return "key"
        return "cost" if cell[2] in table.costs else "count"

    def hidden_cells(self) -> list[Cell]:
        cells: list[Cell] = []
        for name, table in self.tables.items():
            for row in table.frame.index[table.hidden]:
                cells.extend((name, int(row), column) for column in table.columns)
        return cells

    def audit(self, cache: dict[frozenset[Cell], list[Finding]] | None = None) -> AuditResult:
        """Every hidden cell an outsider could pin down too closely.

        ``cache`` keeps the findings per component (its set of hidden cells) between audits: a
        component with the same hidden cells has the same relations and the same answer."""
        cache = {} if cache is None else cache
        variables = self.hidden_cells()
        index = {cell: i for i, cell in enumerate(variables)}
        systems = _Systems(len(variables))
        for relation in self.relations:
            unknown = [(c, index[cell]) for c, cell in relation.terms if cell in index]
            if not unknown:
                continue
            known = sum(c * self.value(cell) for c, cell in relation.terms if cell not in index)
            systems.add(unknown, -known, relation.equal, self._is_cost(relation))
        findings: list[Finding] = []
        checked = 0
        for component in systems.components():
            targets = component  # every hidden cell: none may be determined
            checked += len(targets)
            signature = frozenset(variables[i] for i in component)
            if signature in cache:
                findings.extend(cache[signature])
                continue
            before = len(findings)
            problem = systems.problem(component, [self._lower(variables[i]) for i in component])
            integral = np.array([self._kind(variables[i]) != "cost" for i in component])
            for i in targets:
                cell = variables[i]
                low, high = problem.range(component.index(i), integral)
                rule = self._rule(cell, low, high)
                if rule:
                    findings.append(Finding(cell, self.value(cell), low, high, rule))
            cache[signature] = findings[before:]
        hidden_rows = sum(int(t.hidden.sum()) for t in self.tables.values())
        return AuditResult(findings, checked, hidden_rows)

    def _is_cost(self, relation: Relation) -> bool:
        return self._kind(relation.terms[0][1]) == "cost"

    def _lower(self, cell: Cell) -> float:
        """What an outsider knows from below: a row has at least one person."""
        table = self.tables[cell[0]]
        if cell[2] == table.keys[0]:
            return min(1.0, self.value(cell))
        return 0.0

    def _rule(self, cell: Cell, low: float, high: float) -> str:
        """Why the range [low, high] gives the hidden ``cell`` away ("" when it does not)."""
        if math.isnan(low) or math.isnan(high):
            return "range not proven"  # the solver gave no answer: hide more to be safe
        value = self.value(cell)
        kind = self._kind(cell)
        persons = self.value((cell[0], cell[1], self.tables[cell[0]].keys[0]))
        few = 1 <= persons < self.threshold
        if kind == "cost":
            # a cost of zero follows from a published zero total (no care, or no cost known)
            if value > 0 and high - low < (max(self.cost_protection * value, 1.0) if few else 1.0):
                return "cost range too narrow" if few else "cost determined"
            return ""
        if kind == "key" and value < self.threshold:
            # a small count, zero readmissions included, keeps the full protection
            if value >= 1 and high < self.threshold:
                return "cannot reach the threshold"
            if high - low < self.count_protection:
                return "count range too narrow"
            return ""
        if few and high - low < self.count_protection:
            return "count range too narrow"  # e.g. the events of a row with few persons
        if high - low < 1:
            return "count determined"  # a hidden count, however large, is never given away
        return ""

    # -- protecting --------------------------------------------------------------------------

    def protect(self, *, max_rounds: int = 1000) -> AuditResult:
        """Hide more rows until the audit finds nothing; returns the last audit.

        Never gives up: where no single row can be hidden to protect a cell, the cell's whole
        table is withheld for that year (and said so in ``withheld``)."""
        self.sync_links()
        members: dict[Cell, list[Relation]] = defaultdict(list)
        for relation in self.relations:
            if relation.equal:
                for _c, cell in relation.terms:
                    members[cell].append(relation)
        cache: dict[frozenset[Cell], list[Finding]] = {}
        withheld: list[tuple[str, int]] = []
        for _round in range(max_rounds):
            result = self.audit(cache)
            if not result.findings:
                result.withheld = withheld
                return result
            done: set[Row] = set()
            stuck = []
            for finding in result.findings:
                row = finding.cell[:2]
                if row in done:
                    continue
                extra = self._complement(finding.cell, members)
                if extra is None:
                    stuck.append(finding)
                    continue
                done.update(self.hide(extra))
                done.add(row)
            if not done:
                done.update(self._withhold(stuck, withheld))
            if not done:
                break
        result = self.audit(cache)
        if result.findings:
            # the last resort: every table of the years concerned is withheld
            years = {self._year(f.cell) for f in result.findings}
            everything = [(name, year) for name in self.tables for year in sorted(years)]
            self._withhold(everything, withheld)
            result = self.audit(cache)
        result.withheld = withheld
        return result

    def _year(self, cell: Cell | Row) -> int:
        return int(self.tables[cell[0]].frame.at[cell[1], "year"])

    def _withhold(
        self, cells: Iterable[Finding | tuple[str, int]], withheld: list[tuple[str, int]]
    ) -> list[Row]:
        """Hide every row of a table in a year: of each finding's cell, or each (table, year)
        given; returns the rows newly hidden."""
        newly: list[Row] = []
        for item in cells:
            name, year = (
                (item.cell[0], self._year(item.cell)) if isinstance(item, Finding) else item
            )
            frame = self.tables[name].frame
            if (name, year) in withheld or frame.empty:
                continue
            withheld.append((name, year))
            for row in frame.index[frame["year"].to_numpy() == year]:
                newly.extend(self.hide((name, int(row))))
        return newly

    def _complement(self, cell: Cell, members: dict[Cell, list[Relation]]) -> Row | None:
        """The shown row with the fewest persons (but some) that shares an identity with
        ``cell``, nearest first."""
        seen: set[Cell] = {cell}
        frontier = [cell]
        while frontier:
            candidates: list[tuple[bool, float, Row]] = []
            following: list[Cell] = []
            for current in frontier:
                for relation in members.get(current, []):
                    for _c, other in relation.terms:
                        if other in seen:
                            continue
                        seen.add(other)
                        row = other[:2]
                        if self.is_hidden(row):
                            following.append(other)
                            continue
                        persons = self.value((row[0], row[1], self.tables[row[0]].keys[0]))
                        candidates.append((persons <= 0, persons, row))
            if candidates:
                return min(candidates)[2]
            frontier = following
        return None


def _key(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else (value,)


class _Systems:
    """Relations over the unknowns, split into independent components."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.rows: list[tuple[list[tuple[float, int]], float, bool, bool]] = []
        self.size = size

    def _find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def add(self, terms: list[tuple[float, int]], rhs: float, equal: bool, cost: bool) -> None:
        self.rows.append((terms, rhs, equal, cost))
        first = self._find(terms[0][1])
        for _c, i in terms[1:]:
            self.parent[self._find(i)] = first

    def components(self) -> list[list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(self.size):
            groups[self._find(i)].append(i)
        return list(groups.values())

    def problem(self, component: list[int], lower: list[float]) -> _Problem:
        where = {v: j for j, v in enumerate(component)}
        rows = [r for r in self.rows if r[0][0][1] in where]
        data, ri, ci, lo, hi = [], [], [], [], []
        for k, (terms, rhs, equal, cost) in enumerate(rows):
            for c, i in terms:
                data.append(c)
                ri.append(k)
                ci.append(where[i])
            slack = COST_TOLERANCE * max(1.0, len(terms)) if cost else 0.0
            lo.append(rhs - slack if equal else -np.inf)
            hi.append(rhs + slack)
        matrix = coo_matrix((data, (ri, ci)), shape=(len(rows), len(component))).tocsr()
        return _Problem(matrix, np.array(lo), np.array(hi), np.array(lower))


_banner_shown = False


def _highs() -> highspy.Highs:
    """A silent solver: HiGHS prints a banner on standard output (the C level) the first time."""
    global _banner_shown
    if not _banner_shown:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highs = _new_highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    else:
        highs = _new_highs()
    highs.setOptionValue("output_flag", False)
    return highs


class _Problem:
    """One component's relations as a HiGHS model, re-solved per objective (warm started)."""

    def __init__(self, matrix: csr_matrix, low: np.ndarray, high: np.ndarray, lower: np.ndarray):
        self.matrix, self.low, self.high, self.lower = matrix, low, high, lower
        n = len(lower)
        self.highs = _highs()
        self.highs.addCols(n, np.zeros(n), lower, np.full(n, CEILING), 0, [], [], [])
        if matrix.shape[0]:
            self.highs.addRows(
                matrix.shape[0],
                low,
                high,
                matrix.nnz,
                matrix.indptr[:-1].astype(np.int32),
                matrix.indices.astype(np.int32),
                matrix.data.astype(np.float64),
            )

    def range(self, j: int, integral: np.ndarray) -> tuple[float, float]:
        """The least and largest value of unknown ``j`` under every relation, in whole numbers
        where ``integral`` says so (the LP answer when it is whole, else an integer program)."""
        out = []
        for sign in (1.0, -1.0):
            self.highs.changeColCost(j, sign)
            self.highs.run()
            status = self.highs.getModelStatus()
            x = np.asarray(self.highs.getSolution().col_value)
            self.highs.changeColCost(j, 0.0)
            if status != highspy.HighsModelStatus.kOptimal:
                # the warm start lost its way (numerics): solve this side afresh
                self.highs.clearSolver()
                out.append(self._integer_optimum(j, sign, integral))
            elif np.any(np.abs(x[integral] - np.round(x[integral])) > 1e-6):
                out.append(self._integer_optimum(j, sign, integral))
            else:
                out.append(float(x[j]))
        return out[0], out[1]

    def _integer_optimum(self, j: int, sign: float, integral: np.ndarray) -> float:
        n = len(self.lower)
        objective = np.zeros(n)
        objective[j] = sign
        constraints = (
            [LinearConstraint(self.matrix, self.low, self.high)] if self.matrix.shape[0] else []
        )
        # HiGHS's presolve now and then ends in an unknown status on these models (seen on
        # synthetic regions); without it the same model solves
        for options in ({}, {"presolve": False}):
            result = milp(
                objective,
                integrality=integral.astype(int),
                bounds=Bounds(self.lower, np.full(n, CEILING)),
                constraints=constraints,
                options=options,
            )
            if result.status == 0 and result.x is not None:
                return float(result.x[j])
        return math.nan  # not proven either way: the audit counts the cell as unprotected


def _new_highs() -> highspy.Highs:
    """A HiGHS solver (highspy's constructor has no type hints)."""
    make: Callable[[], highspy.Highs] = highspy.Highs
    return make()
