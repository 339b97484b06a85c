"""Published national reference figures shipped with Samenspel (see ``data/README.md``)."""

from __future__ import annotations

import csv
from pathlib import Path

from .vektis import parse_age_class

NATIONAL_RATES = Path(__file__).with_name("data") / "vektis-2023-zvw-national-rates-by-age-sex.csv"


def _national(column: str, path: Path) -> dict[tuple[str, int], float]:
    values = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            age = parse_age_class(row["leeftijdsklasse"])
            if age is None:
                raise ValueError(f"unknown age class {row['leeftijdsklasse']!r}")
            values[("F" if row["geslacht"] == "V" else "M", age)] = float(row[column])
    return values


def national_zvw_rates(path: Path = NATIONAL_RATES) -> dict[tuple[str, int], float]:
    """Vektis's national Zvw cost per insured-year in 2023 per (sex F/M, age class)."""
    return _national("national_rate_per_insured_year", path)


def national_insured_years(path: Path = NATIONAL_RATES) -> dict[tuple[str, int], float]:
    """Vektis's national insured-years in 2023 per (sex F/M, age class)."""
    return _national("national_insured_years", path)
