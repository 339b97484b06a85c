"""Vektis open data (Zorgverzekeringswet), read as published.

Vektis publishes, per year, the Zvw costs paid by insurers per municipality (``gemeente``
files) or per 3-digit postcode (``postcode3`` files) × sex × 5-year age class, with the number of
insured persons (``aantal_bsn``) and insured-years (``aantal_verzekerdejaren``). Files are
semicolon-separated; recent years use lower-case column names, older years upper case and a
somewhat different set of cost columns. Cells of fewer than 10 persons are published in a rest
category without a municipality (or postcode); it is reported, and kept out of the reference.

Every cost column is mapped to a care category by ``COLUMN_RULES``; a cost column no rule knows
is refused by name, so a new column is never silently dropped. All Vektis costs are Zvw.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .municipalities import current_code, identify, name_of, normalise, postcode_area
from .sources import gettext_noop, read_text
from .standardise import AGE_CLASSES
from .validate import Problem, ProblemLog, ProblemsError

SMALL_POPULATION_YEARS = 5_000  # fewer insured-years than this: flagged as a small population
REST_MARKERS = {"", "REST", "RESTCATEGORIE", "ONBEKEND", "NIET TOEGEWEZEN", "OVERIG", "000"}
SEXES = {"M": "M", "MAN": "M", "V": "F", "VROUW": "F"}


@dataclass(frozen=True)
class Category:
    code: str
    label: str  # English, translated in the web layer
    kinds: tuple[str, ...]  # the person-level kinds of care it corresponds to


HOSPITAL_KINDS = ("outpatient_visit", "hospital_admission", "ed_visit")
CATEGORIES: tuple[Category, ...] = (
    Category("hospital", gettext_noop("Hospital care"), HOSPITAL_KINDS),
    Category("pharmacy", gettext_noop("Pharmacy"), ("medication",)),
    Category("general_practice", gettext_noop("General practice"), ("gp_visit",)),
    Category("mental_health", gettext_noop("Mental health care"), ("mental_health",)),
    Category("nursing", gettext_noop("Community nursing and elderly care"), ("home_care",)),
    Category("paramedical", gettext_noop("Physiotherapy and paramedical care"), ()),
    Category("aids", gettext_noop("Medical aids"), ()),
    Category("dental", gettext_noop("Dental care"), ()),
    Category("maternity", gettext_noop("Maternity care"), ()),
    Category("transport", gettext_noop("Patient transport"), ()),
    Category("abroad", gettext_noop("Care abroad"), ()),
    Category("other", gettext_noop("Other"), ()),
)
CATEGORY_CODES = tuple(c.code for c in CATEGORIES)

# (prefix after "kosten_", category): the first rule that matches a cost column applies.
COLUMN_RULES: tuple[tuple[str, str], ...] = (
    ("medisch_specialistische", "hospital"),
    ("farmacie", "pharmacy"),
    ("huisarts", "general_practice"),
    ("eerstelijns_ondersteuning", "general_practice"),
    ("consulten_ggz", "mental_health"),
    ("overige_prestaties_ggz", "mental_health"),
    ("intramuraal_verblijf_ggz", "mental_health"),
    ("innovatiegelden_ggz", "mental_health"),
    ("tweedelijns_ggz", "mental_health"),
    ("eerstelijns_psychologische", "mental_health"),
    ("basis_ggz", "mental_health"),
    ("generalistische_basis_ggz", "mental_health"),
    ("specialistische_ggz", "mental_health"),
    ("langdurige_ggz", "mental_health"),
    ("ggz", "mental_health"),
    ("verpleging_en_verzorging", "nursing"),
    ("wijkverpleging", "nursing"),
    ("geriatrische_revalidatie", "nursing"),
    ("eerstelijnsverblijf", "nursing"),
    ("gzsp", "nursing"),  # geneeskundige zorg voor specifieke patiëntgroepen
    ("paramedische", "paramedical"),
    ("hulpmiddelen", "aids"),
    ("mondzorg", "dental"),
    ("tandheelkund", "dental"),
    ("kraamzorg", "maternity"),
    ("verloskundig", "maternity"),
    ("integrale_geboortezorg", "maternity"),
    ("ziekenvervoer", "transport"),
    ("grensoverschrijdende", "abroad"),
    ("buitenland", "abroad"),
    ("overig", "other"),
)
ID_COLUMNS = {
    "geslacht": "sex",
    "leeftijdsklasse": "age",
    "gemeentenaam": "municipality",
    "postcode_3": "postcode3",
    "postcode3": "postcode3",
    "postcode": "postcode3",
    "aantal_bsn": "persons",
    "aantal_verzekerdejaren": "years",
    "jaar": "year",
}


class VektisError(ProblemsError):
    """The Vektis file cannot be used; ``problems`` names every reason."""


def category_of(column: str) -> str | None:
    """The care category of a Vektis cost column (any case), or None if no rule knows it."""
    name = column.strip().lower()
    if not name.startswith("kosten_"):
        return None
    rest = name.removeprefix("kosten_")
    return next((category for prefix, category in COLUMN_RULES if rest.startswith(prefix)), None)


def parse_age_class(text: str) -> int | None:
    """Index of a Vektis age class: "0 t/m  4 jaar" → 0, "90+" / "90 jaar en ouder" → 18."""
    found = re.match(r"\s*(\d+)\s*(?:t/?m|-|tot)\s*(\d+)", text, re.IGNORECASE)
    if found:
        low, high = int(found[1]), int(found[2])
        if low % 5 == 0 and high == low + 4 and low < 90:
            return low // 5
        return None
    found = re.match(r"\s*(\d+)\s*(?:\+|jaar en ouder|en ouder|jaar of ouder)", text, re.IGNORECASE)
    if found and int(found[1]) == 90:
        return len(AGE_CLASSES) - 1
    return None


def parse_number(text: str) -> float | None:
    """A finite number written with a decimal point or comma; 0 for an empty cell."""
    try:
        number = float(text)  # the common case, fast
    except ValueError:
        pass
    else:
        return number if math.isfinite(number) else None
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if not value:
        return 0.0
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass
class VektisFile:
    """One year's file, with cells aggregated per (area, sex, age class)."""

    name: str
    year: int
    level: str  # "gemeente" or "postcode3"
    areas: list[str]  # CBS codes, or postcode-3 areas
    area: np.ndarray  # per cell: index into areas
    sex: np.ndarray  # per cell: "M" or "F"
    age: np.ndarray  # per cell: age-class index
    persons: np.ndarray
    years: np.ndarray
    costs: np.ndarray  # cells × categories
    columns: dict[str, str]  # cost column → category
    rest: dict[str, float] = field(default_factory=dict)  # rows, persons, years, cost
    merged: dict[str, str] = field(default_factory=dict)  # name in the file → current name
    synthetic: bool = False

    def area_name(self, key: str) -> str:
        return name_of(key) if self.level == "gemeente" else key


def _year_of(name: str, year: int | None, values: set[str]) -> int | None:
    if year is not None:
        return year
    if len(values) == 1:
        only = next(iter(values))
        if only.isdigit():
            return int(only)
    found = re.findall(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)", name)
    return int(found[-1]) if found else None


class _Reader(ProblemLog):
    """The problems of a Vektis file, and the reading of its header."""

    def header(self, header: list[str]) -> tuple[dict[str, int], dict[int, str]]:
        roles: dict[str, int] = {}
        cost_columns: dict[int, str] = {}
        unknown = []
        for index, raw in enumerate(header):
            column = raw.strip().lower()
            if column in ID_COLUMNS:
                roles[ID_COLUMNS[column]] = index
            elif (category := category_of(column)) is not None:
                cost_columns[index] = category
            elif column:
                unknown.append(raw.strip())
        if unknown:
            self.add(
                1,
                "",
                gettext_noop("unknown columns: %(columns)s; map them before importing"),
                {"columns": ", ".join(unknown)},
            )
        missing = [c for c in ("geslacht", "leeftijdsklasse", "aantal_verzekerdejaren")
                   if ID_COLUMNS[c] not in roles]  # fmt: skip
        if "municipality" not in roles and "postcode3" not in roles:
            missing.append("gemeentenaam / postcode_3")
        if not cost_columns:
            missing.append("kosten_…")
        if missing:
            self.add(
                1, "", gettext_noop("missing columns: %(columns)s"), {"columns": ", ".join(missing)}
            )
        return roles, cost_columns


def read_vektis(
    source: Path | bytes, *, name: str | None = None, year: int | None = None
) -> VektisFile:
    """Read a Vektis Zvw open-data file (gemeente or postcode3), any year's layout."""
    text, name = read_text(source, name, "vektis.csv")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    reader = _Reader(name)
    header = next(rows, None)
    if not header:
        raise VektisError([Problem(name, None, "", gettext_noop("the file is empty"))])
    roles, cost_columns = reader.header(header)
    if reader.problems:
        raise VektisError(reader.problems)
    level = "gemeente" if "municipality" in roles else "postcode3"
    columns = {header[i].strip(): c for i, c in cost_columns.items()}

    found = _read_rows(reader, rows, header, roles, cost_columns, level)
    area_column = header[roles["municipality" if level == "gemeente" else "postcode3"]].strip()
    unknown_area = (
        gettext_noop("no Dutch municipality is called this; check the spelling")
        if level == "gemeente"
        else gettext_noop("must be a 3-digit postcode area")
    )
    for text, row_number in found.unmatched.items():
        reader.add(row_number, area_column, unknown_area, found=text)
    if not found.rows:
        reader.add(None, "", gettext_noop("has a header but no data rows"))
    elif found.cells is None and not reader.problems:
        reader.add(None, "", gettext_noop("has no rows outside the rest category"))
    the_year = _year_of(name, year, found.years)
    if the_year is None:
        reader.add(
            None,
            "",
            gettext_noop("says nowhere which year it covers; put the year in the file name"),
        )
    if reader.problems or the_year is None or found.cells is None:
        raise VektisError(reader.problems)
    return _assemble(name, the_year, level, found.cells, found, columns)


@dataclass
class _Rows:
    rows: int = 0
    cells: pd.DataFrame | None = None  # persons, years, costs summed per (area, sex, age)
    rest: dict[str, float] = field(
        default_factory=lambda: {"rows": 0.0, "persons": 0.0, "years": 0.0, "cost": 0.0}
    )
    merged: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, int] = field(default_factory=dict)
    years: set[str] = field(default_factory=set)


def _read_rows(
    reader: _Reader,
    rows: Iterable[list[str]],
    header: list[str],
    roles: dict[str, int],
    cost_columns: dict[int, str],
    level: str,
) -> _Rows:
    """Every data row, summed per (area, sex, age class); the rest category apart.

    Rows are checked column by column with vectorised conversions; each bad row is reported
    once, at its first bad column.
    """
    found = _Rows()
    numbers: list[int] = []
    lines: list[list[str]] = []
    for row_number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        found.rows += 1
        if len(row) != len(header):
            reader.add(
                row_number,
                "",
                gettext_noop("has %(found)s fields; the header has %(expected)s"),
                {"found": len(row), "expected": len(header)},
            )
            continue
        numbers.append(row_number)
        lines.append(row)
    if not lines:
        return found
    table = _Table(reader, header, numbers, np.array(lines, dtype=object))
    persons = table.numbers(roles.get("persons"), gettext_noop("must be a number of at least 0"), 0)
    years = table.numbers(roles.get("years"), gettext_noop("must be a number of at least 0"), 0)
    costs = np.zeros((len(lines), len(CATEGORY_CODES)))
    for index, category in cost_columns.items():
        values = table.numbers(index, gettext_noop("must be an amount in euros"))
        costs[:, CATEGORY_CODES.index(category)] += np.nan_to_num(values)
    if "year" in roles:
        found.years = {str(v).strip() for v in table.cells[:, roles["year"]]}
    area_index = roles["municipality" if level == "gemeente" else "postcode3"]
    texts = [str(v).strip() for v in table.cells[:, area_index]]
    is_rest = {t: normalise(t) in REST_MARKERS for t in set(texts)}
    rest = np.array([is_rest[t] for t in texts]) & ~table.bad
    keys = [
        None if r else _area_key(level, t, found.merged) for t, r in zip(texts, rest, strict=True)
    ]
    for i in np.flatnonzero(~rest & ~table.bad):
        if keys[i] is None:
            found.unmatched.setdefault(texts[i], numbers[i])
    valid = ~rest & ~table.bad & np.array([k is not None for k in keys])
    sexes = table.mapped(
        roles["sex"], valid, lambda t: SEXES.get(t.strip().upper()), gettext_noop("must be M or V")
    )
    ages = table.mapped(
        roles["age"],
        valid & ~table.bad,
        parse_age_class,
        gettext_noop("must be an age class such as '0 t/m 4 jaar' or '90+'"),
    )
    found.rest = {
        "rows": float(rest.sum()),
        "persons": float(persons[rest].sum()),
        "years": float(years[rest].sum()),
        "cost": float(costs[rest].sum()),
    }
    keep = np.flatnonzero(valid & ~table.bad)
    if len(keep):
        frame = pd.DataFrame(
            np.column_stack([persons[keep], years[keep], costs[keep]]),
            columns=["persons", "years", *CATEGORY_CODES],
        )
        frame["area"] = [keys[i] for i in keep]
        frame["sex"] = [sexes[i] for i in keep]
        frame["age"] = [int(ages[i]) for i in keep]
        found.cells = frame.groupby(["area", "sex", "age"], sort=True).sum().reset_index()
    return found


class _Table:
    """The data rows as a matrix of text, with each row's first problem reported."""

    def __init__(
        self, reader: _Reader, header: list[str], numbers: list[int], cells: np.ndarray
    ) -> None:
        self.reader, self.header, self.row_numbers, self.cells = reader, header, numbers, cells
        self.bad = np.zeros(len(numbers), dtype=bool)

    def _report(self, invalid: np.ndarray, index: int, message: str) -> None:
        for i in np.flatnonzero(invalid & ~self.bad):
            self.reader.add(
                self.row_numbers[i],
                self.header[index].strip(),
                message,
                found=str(self.cells[i, index]).strip(),
            )
        self.bad |= invalid

    def numbers(self, index: int | None, message: str, minimum: float | None = None) -> np.ndarray:
        """A column as finite numbers (decimal point or comma; empty is 0); NaN where bad."""
        if index is None:
            return np.zeros(len(self.row_numbers))
        try:  # the common case: every cell a plain number
            array = self.cells[:, index].astype(float)
        except ValueError:  # cell by cell: a decimal comma, spaces, an empty cell, or a bad one
            array = np.array(
                [np.nan if (v := parse_number(str(t))) is None else v for t in self.cells[:, index]]
            )
        array[~np.isfinite(array)] = np.nan
        invalid = np.isnan(array)
        if minimum is not None:
            invalid |= array < minimum
        self._report(invalid, index, message)
        return array

    def mapped(
        self, index: int, rows: np.ndarray, convert: Callable[[str], Any], message: str
    ) -> list[Any]:
        """A column converted value by value (once per distinct text), checked on ``rows``."""
        column = [str(v) for v in self.cells[:, index]]
        lookup = {text: convert(text) for text in set(column)}
        values = [lookup[text] for text in column]
        self._report(rows & np.array([v is None for v in values]), index, message)
        return values


def _area_key(level: str, text: str, merged: dict[str, str]) -> str | None:
    if level == "postcode3":
        return postcode_area(text)
    code = identify(text)
    if code is None:
        return None
    current = current_code(code)
    if current != code:
        merged.setdefault(text, name_of(current))
    return current


def _assemble(
    name: str, year: int, level: str, cells: pd.DataFrame, found: _Rows, columns: dict[str, str]
) -> VektisFile:
    areas = sorted(cells["area"].unique())
    return VektisFile(
        name=name,
        year=year,
        level=level,
        areas=areas,
        area=np.searchsorted(areas, cells["area"].to_numpy()),
        sex=cells["sex"].to_numpy(dtype=str),
        age=cells["age"].to_numpy(dtype=int),
        persons=cells["persons"].to_numpy(dtype=float),
        years=cells["years"].to_numpy(dtype=float),
        costs=cells[list(CATEGORY_CODES)].to_numpy(dtype=float),
        columns=columns,
        rest=found.rest,
        merged=found.merged,
    )
