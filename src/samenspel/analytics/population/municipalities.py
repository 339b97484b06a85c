"""Dutch municipalities: CBS codes, names, and mergers, read from ``data/municipalities.csv``.

Names are matched the way they appear in published files: case, accents, punctuation and the
province qualifier ("Bergen (NH.)", "BERGEN NH") do not matter, common alternative names
("Den Haag", "Den Bosch") are known, and a municipality merged away maps to the one it joined.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "municipalities.csv"

ALIASES = {
    "DEN HAAG": "GM0518",
    "S GRAVENHAGE": "GM0518",
    "DEN BOSCH": "GM0796",
    "HERTOGENBOSCH": "GM0796",
    "NUENEN": "GM0820",
    "NOORDOOST FRIESLAND": "GM1970",
    "ZUIDWEST FRIESLAND": "GM1900",
    "TIETJERKSTERADEEL": "GM0737",
    "DE FRIESE MEREN": "GM1940",
}


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    valid_to: str
    successor: str
    valid_from: str = ""

    @property
    def current(self) -> bool:
        return not self.valid_to


def normalise(name: str) -> str:
    """Upper case without accents or punctuation: "Súdwest-Fryslân" → "SUDWEST FRYSLAN"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Za-z0-9]+", " ", plain).upper().split())


def _without_qualifier(name: str) -> str:
    return normalise(re.sub(r"\(.*?\)", "", name))


@cache
def all_municipalities() -> dict[str, Municipality]:
    """Every municipality in the list by code, current and merged."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Municipality(
                row["code"], row["name"], row["valid_to"], row["successor"], row["valid_from"]
            )
            for row in csv.DictReader(handle)
        }


def current_code(code: str) -> str:
    """The code a municipality has today, following mergers."""
    known = all_municipalities()
    while code in known and known[code].successor:
        code = known[code].successor
    return code


def name_of(code: str) -> str:
    """The CBS name of a municipality code; the code itself when it is not in the list."""
    found = all_municipalities().get(code)
    return found.name if found else code


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for municipality in all_municipalities().values():
        index[normalise(municipality.name)] = municipality.code
        short.setdefault(_without_qualifier(municipality.name), set()).add(municipality.code)
        # "BERGEN NH" as well as "BERGEN (NH.)"
    for key, codes in short.items():
        if len(codes) == 1:
            index.setdefault(key, next(iter(codes)))
    index.update(ALIASES)
    return index


@lru_cache(maxsize=4096)
def identify(name: str) -> str | None:
    """The CBS code a municipality name (or code) as written in a file stands for, or None.

    Files repeat each name many times (once per sex and age class), so answers are kept."""
    text = name.strip()
    if re.fullmatch(r"GM\d{4}", text.upper()):
        return text.upper() if text.upper() in all_municipalities() else None
    key = normalise(text)
    for candidate in (key, _without_qualifier(text), key.removesuffix(" GEMEENTE").strip()):
        if candidate in _index():
            return _index()[candidate]
    return None


def match(name: str) -> str | None:
    """The current CBS code for a municipality name as written in a file, or None."""
    code = identify(name)
    return None if code is None else current_code(code)


def postcode_area(text: str) -> str | None:
    """A 3-digit postcode area ("528"), or None."""
    digits = text.strip()
    return digits if re.fullmatch(r"\d{3}", digits) else None


def current_municipalities() -> list[Municipality]:
    """Today's municipalities, by name."""
    return sorted(
        (m for m in all_municipalities().values() if m.current), key=lambda m: normalise(m.name)
    )
