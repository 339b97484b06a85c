"""A synthetic Vektis Zvw open-data file (gemeente level) in the published layout, for the demo.

Every current municipality gets a synthetic number of insured persons, an age structure tilted
older or younger, and a cost level; cost per insured-year follows Vektis's national rates for 2023
by sex × age class, split over the care categories by age. Cells of fewer than 10 persons go to
the rest category, as Vektis does. The figures are invented: the file name says "synthetisch".
"""

from __future__ import annotations

import csv
import io

import numpy as np

from .municipalities import current_municipalities
from .reference import national_insured_years, national_zvw_rates
from .standardise import AGE_CLASSES

# Approximate numbers of inhabitants of the demo programmes' municipalities, so the demo looks
# familiar; every other municipality gets a random size.
DEMO_SIZES = {
    "GM0828": 97_000, "GM0796": 160_000, "GM1721": 33_000, "GM0865": 27_000,
    "GM0845": 30_000, "GM1991": 61_000, "GM1982": 92_000, "GM0797": 46_000,
    "GM0855": 226_000, "GM0785": 24_000, "GM0824": 33_000, "GM0798": 16_000,
    "GM0772": 243_000, "GM0861": 46_000, "GM0753": 31_000, "GM0848": 17_000,
    "GM1771": 40_000, "GM0917": 87_000, "GM0928": 45_000, "GM0882": 37_000,
    "GM0899": 27_000, "GM0758": 186_000, "GM0826": 57_000, "GM0777": 45_000,
}  # fmt: skip

COLUMNS_2023 = {
    "hospital": ["kosten_medisch_specialistische_z"],
    "pharmacy": ["kosten_farmacie"],
    "general_practice": ["kosten_huisarts_consult", "kosten_huisarts_inschrijftarief",
                         "kosten_huisarts_mdz", "kosten_huisarts_overig",
                         "kosten_eerstelijns_ondersteuning"],
    "mental_health": ["kosten_consulten_ggz", "kosten_overige_prestaties_ggz",
                      "kosten_intramuraal_verblijf_ggz", "kosten_innovatiegelden_ggz"],
    "nursing": ["kosten_verpleging_en_verzorging", "kosten_geriatrische_revalidatiez",
                "kosten_eerstelijnsverblijf", "kosten_gzsp"],
    "paramedical": ["kosten_paramedische_zorg_fysioth", "kosten_paramedische_zorg_overig"],
    "aids": ["kosten_hulpmiddelen"],
    "dental": ["kosten_mondzorg"],
    "maternity": ["kosten_kraamzorg", "kosten_verloskundige_zorg",
                  "kosten_integrale_geboortezorg"],
    "transport": ["kosten_ziekenvervoer_zittend", "kosten_ziekenvervoer_liggend"],
    "abroad": ["kosten_grensoverschrijdende_zorg"],
    "other": ["kosten_overig"],
}  # fmt: skip
# An older year's layout: upper case, mental health split the old way, no GZSP or birth care.
COLUMNS_OLDER = {
    "hospital": ["KOSTEN_MEDISCH_SPECIALISTISCHE_ZORG"],
    "pharmacy": ["KOSTEN_FARMACIE"],
    "general_practice": ["KOSTEN_HUISARTS_CONSULT", "KOSTEN_HUISARTS_INSCHRIJFTARIEF",
                         "KOSTEN_HUISARTS_MDZ", "KOSTEN_HUISARTS_OVERIG"],
    "mental_health": ["KOSTEN_EERSTELIJNS_PSYCHOLOGISCHE_ZORG", "KOSTEN_TWEEDELIJNS_GGZ"],
    "nursing": ["KOSTEN_VERPLEGING_EN_VERZORGING", "KOSTEN_GERIATRISCHE_REVALIDATIEZORG",
                "KOSTEN_EERSTELIJNSVERBLIJF"],
    "paramedical": ["KOSTEN_PARAMEDISCHE_ZORG_FYSIOTHERAPIE", "KOSTEN_PARAMEDISCHE_ZORG_OVERIG"],
    "aids": ["KOSTEN_HULPMIDDELEN"],
    "dental": ["KOSTEN_MONDZORG"],
    "maternity": ["KOSTEN_KRAAMZORG", "KOSTEN_VERLOSKUNDIGE_ZORG"],
    "transport": ["KOSTEN_ZIEKENVERVOER_ZITTEND", "KOSTEN_ZIEKENVERVOER_LIGGEND"],
    "abroad": ["KOSTEN_GRENSOVERSCHRIJDENDE_ZORG"],
    "other": ["KOSTEN_OVERIG"],
}  # fmt: skip
# Municipalities that merged on 1 January 2023 appear under their old names in older layouts.
OLDER_NAMES = {"GM1992": ("BRIELLE", "HELLEVOETSLUIS", "WESTVOORNE")}
GROWTH = 0.06  # yearly growth of the cost per insured-year


def category_shares(sex: str, age: int) -> dict[str, float]:
    """How a sex × age class's Zvw cost splits over the care categories (sums to 1)."""
    a = age * 5
    shares = {
        "hospital": 0.42 if a >= 20 else 0.38,
        "pharmacy": 0.10 + 0.06 * min(a, 80) / 80,
        "general_practice": 0.13 - 0.06 * min(a, 80) / 80,
        "mental_health": 0.14 if 10 <= a < 60 else 0.03,
        "nursing": 0.01 + 0.24 * max(0, a - 60) / 30,
        "paramedical": 0.04,
        "aids": 0.03 + 0.03 * max(0, a - 60) / 30,
        "dental": 0.08 if 5 <= a < 18 else 0.005,
        "maternity": 0.12 if sex == "F" and 20 <= a < 45 else (0.08 if a < 5 else 0.0),
        "transport": 0.015 + 0.02 * max(0, a - 60) / 30,
        "abroad": 0.01,
        "other": 0.03,
    }
    total = sum(shares.values())
    return {k: v / total for k, v in shares.items()}


def synthetic_vektis(year: int, *, seed: int = 2026, older_layout: bool = False) -> bytes:
    """The file's bytes: semicolon-separated, as Vektis publishes it (UTF-8)."""
    rng = np.random.default_rng([seed])  # the same municipalities' sizes and levels every year
    noise = np.random.default_rng([seed, year])
    rates = national_zvw_rates()
    years_share = national_insured_years()
    total_years = sum(years_share.values())
    growth = (1 + GROWTH) ** (year - 2023)
    layout = COLUMNS_OLDER if older_layout else COLUMNS_2023
    header = ["geslacht", "leeftijdsklasse", "gemeentenaam", "aantal_bsn",
              "aantal_verzekerdejaren"] + [c for cols in layout.values() for c in cols]  # fmt: skip
    if older_layout:
        header = [h.upper() for h in header]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    rest: dict[tuple[str, int], np.ndarray] = {}
    for municipality in current_municipalities():
        size = DEMO_SIZES.get(municipality.code) or float(
            np.clip(rng.lognormal(10.2, 0.85), 900, 600_000)
        )
        tilt, level = rng.normal(0, 0.25), rng.lognormal(0, 0.06) * noise.lognormal(0, 0.015)
        # how much more or less than elsewhere each kind of care costs here
        mix = dict(zip(layout, rng.lognormal(0, 0.09, len(layout)), strict=True))
        names = OLDER_NAMES.get(municipality.code, ()) if older_layout else ()
        parts = names or (municipality.name.upper(),)
        for part in parts:
            for sex in ("M", "V"):
                key = "F" if sex == "V" else "M"
                for age in range(len(AGE_CLASSES)):
                    weight = years_share[(key, age)] / total_years * np.exp(tilt * (age - 9) / 9)
                    insured_years = size / len(parts) * weight * noise.lognormal(0, 0.03)
                    persons = round(insured_years * 1.03)
                    cost = insured_years * rates[(key, age)] * level * growth
                    values = _split(cost, key, age, layout, noise, mix)
                    if persons < 10:
                        line = np.array([persons, insured_years, *values])
                        rest[(sex, age)] = rest.get((sex, age), 0) + line
                        continue
                    writer.writerow([sex, _label(age), part, persons, f"{insured_years:.2f}",
                                     *(f"{v:.2f}" for v in values)])  # fmt: skip
    for (sex, age), line in sorted(rest.items()):
        writer.writerow([sex, _label(age), "", int(line[0]), f"{line[1]:.2f}",
                         *(f"{v:.2f}" for v in line[2:])])  # fmt: skip
    return out.getvalue().encode("utf-8")


def _label(age: int) -> str:
    """Vektis writes "0 t/m  4 jaar" (two spaces before one digit) … "90+"."""
    if age == len(AGE_CLASSES) - 1:
        return "90+"
    low, high = age * 5, age * 5 + 4
    return f"{low} t/m {high:>2} jaar"


def _split(
    cost: float,
    sex: str,
    age: int,
    layout: dict[str, list[str]],
    noise: np.random.Generator,
    mix: dict[str, float],
) -> list[float]:
    shares = category_shares(sex, age)
    values = []
    for category, columns in layout.items():
        part = cost * shares[category] * mix[category] * noise.lognormal(0, 0.05)
        values.extend([part / len(columns)] * len(columns))
    return values
