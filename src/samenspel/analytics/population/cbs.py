"""CBS population per municipality by sex and age, from a StatLine CSV download.

Read: a semicolon- or comma-separated file with a sex column (``Geslacht``), an age column
(``Leeftijd``), a region column (``Regio's`` / ``RegioS`` / ``Gemeente``), optionally a period
column (``Perioden``), and a population column whose name starts with ``Bevolking`` (e.g.
"Bevolking op 1 januari (aantal)"). Labels ("Mannen", "0 tot 5 jaar", "Utrecht (gemeente)",
"2024") and StatLine codes ("3000", "GM0344", "2024JJ00") are both understood. Totals (all ages,
men and women, the Netherlands, provinces) are skipped. Ages are 5-year classes or single years;
when a file has both, only the 5-year classes count, so nobody is counted twice.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .municipalities import match, normalise
from .sources import gettext_noop, read_text
from .standardise import age_class
from .validate import Problem, ProblemLog, ProblemsError
from .vektis import parse_number

SEX_LABELS = {"MANNEN": "M", "MAN": "M", "3000": "M", "VROUWEN": "F", "VROUW": "F", "4000": "F"}


class CbsError(ProblemsError):
    """The CBS table cannot be used; ``problems`` names every reason."""


@dataclass
class CbsPopulation:
    """Persons per (year, CBS code, sex, age class)."""

    name: str
    persons: dict[tuple[int, str, str, int], float] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({key[0] for key in self.persons})

    def pyramid(self, year: int, codes: list[str]) -> dict[tuple[str, int], float]:
        wanted = set(codes)
        out: dict[tuple[str, int], float] = {}
        for (y, code, sex, age), count in self.persons.items():
            if y == year and code in wanted:
                out[(sex, age)] = out.get((sex, age), 0.0) + count
        return out


def _column(header: list[str], *starts: str) -> int | None:
    for index, raw in enumerate(header):
        key = normalise(raw)
        if any(key.startswith(start) for start in starts):
            return index
    return None


def _age(text: str) -> tuple[str, int] | None:
    """("band", class) for "0 tot 5 jaar"; ("year", class) for "7 jaar"; None for totals."""
    t = text.strip().lower()
    band = re.fullmatch(r"(\d+)\s*(?:tot|-|t/m)\s*(\d+)\s*jaar", t)
    if band:
        low, high = int(band[1]), int(band[2])
        if low % 5 == 0 and high - low in (5, 4):
            return ("band", min(low // 5, 18))
        return None  # a wider aggregate such as "0 tot 20 jaar"
    older = re.fullmatch(r"(\d+)\s*jaar (?:of|en) ouder", t)
    if older:
        return ("band", 18) if int(older[1]) >= 90 and int(older[1]) % 5 == 0 else None
    single = re.fullmatch(r"(\d+)\s*jaar", t)
    if single:
        return ("year", age_class(int(single[1])))
    return None


def _period(text: str, fallback: int | None) -> int | None:
    found = re.match(r"\s*(\d{4})", text)
    return int(found[1]) if found else fallback


def read_cbs_population(
    source: Path | bytes, *, name: str | None = None, year: int | None = None
) -> CbsPopulation:
    """Read a StatLine population table; every problem is named with row and column."""
    text, name = read_text(source, name, "cbs.csv")
    first = text.split("\n", 1)[0]
    rows = csv.reader(io.StringIO(text), delimiter=";" if ";" in first else ",")
    header = next(rows, [])
    columns = {
        "sex": _column(header, "GESLACHT"),
        "age": _column(header, "LEEFTIJD"),
        "region": _column(header, "REGIO", "GEMEENTE"),
        "value": _column(header, "BEVOLKING", "AANTAL"),
    }
    period = _column(header, "PERIODE", "JAAR")
    missing = [role for role, index in columns.items() if index is None]
    if missing:
        names = {"sex": "Geslacht", "age": "Leeftijd", "region": "Regio's", "value": "Bevolking…"}
        raise CbsError(
            [
                Problem(
                    name,
                    1,
                    "",
                    gettext_noop("missing columns: %(columns)s"),
                    {"columns": ", ".join(names[m] for m in missing)},
                )
            ]
        )
    bands: dict[tuple[int, str, str, int], float] = {}
    singles: dict[tuple[int, str, str, int], float] = {}
    log = ProblemLog(name)

    def problem(row: int, column: int, message: str, found: str) -> None:
        log.add(row, header[column].strip(), message, found=found)

    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            log.add(
                number,
                "",
                gettext_noop("has %(found)s fields; the header has %(expected)s"),
                {"found": len(row), "expected": len(header)},
            )
            continue
        cells = {role: row[index].strip() for role, index in columns.items() if index is not None}
        sex = SEX_LABELS.get(normalise(cells["sex"]))
        age = _age(cells["age"])
        region_text = cells["region"]
        if sex is None or age is None or _is_total_region(region_text):
            continue  # totals and wider aggregates
        code = match(region_text)
        if code is None:
            problem(
                number,
                columns["region"] or 0,
                gettext_noop("no Dutch municipality is called this; check the spelling"),
                region_text,
            )
            continue
        the_year = _period(row[period], year) if period is not None else year
        if the_year is None:
            problem(number, period or 0, gettext_noop("must be a year"), row[period or 0])
            continue
        count = parse_number(cells["value"])
        if count is None or count < 0:
            problem(
                number,
                columns["value"] or 0,
                gettext_noop("must be a number of at least 0"),
                cells["value"],
            )
            continue
        target = bands if age[0] == "band" else singles
        key = (the_year, code, sex, age[1])
        target[key] = target.get(key, 0.0) + count
    if log.problems:
        raise CbsError(log.problems)
    persons = bands or singles
    if not persons:
        raise CbsError(
            [
                Problem(
                    name, None, "", gettext_noop("has no population by municipality, sex and age")
                )
            ]
        )
    return CbsPopulation(name, persons)


def _is_total_region(text: str) -> bool:
    """The Netherlands, a province (``PV20``, "Utrecht (PV)"), or another non-municipal area."""
    key = normalise(text)
    compact = key.replace(" ", "")
    return (
        key in ("NEDERLAND", "NL01", "NL00")
        or key.endswith(" PV")
        or bool(re.fullmatch(r"(PV|LD|CR|GG|JZ|RE|WK|BU)\d+", compact))
    )
