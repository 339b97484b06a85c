"""The synthetic region looks like the Netherlands by age and sex: its Zvw cost per person-year
lies within ±15% of Vektis's published national rate for 2023 in every sex × age class."""

from __future__ import annotations

from pathlib import Path

import pytest

from samenspel.analytics.population.reference import national_zvw_rates
from samenspel.analytics.population.standardise import AGE_CLASSES
from samenspel.analytics.population.synthetic import (
    generate,
    zvw_cost_per_person_year,
)


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("calibrated")
    generate(folder, persons=300_000, seed=20231)
    return folder


def test_every_sex_and_age_class_within_fifteen_percent(region: Path) -> None:
    national = national_zvw_rates()
    assert len(national) == 38 and national[("M", 18)] == pytest.approx(11006.73, abs=0.01)
    measured = zvw_cost_per_person_year(region, 2023)
    outside = {
        f"{'man' if sex == 'M' else 'woman'} {AGE_CLASSES[age]}": round(
            measured[sex, age] / rate, 2
        )
        for (sex, age), rate in national.items()
        if not 0.85 <= measured[sex, age] / rate <= 1.15
    }
    assert not outside, f"synthetic / national Zvw cost per person-year: {outside}"


def test_newborn_and_maternity_care_are_there(region: Path) -> None:
    measured = zvw_cost_per_person_year(region, 2023)
    # the shape the uncalibrated region missed: babies cost more than school children,
    # women of 30-34 more than men of that age
    assert measured[("M", 0)] > 1.5 * measured[("M", 1)]
    assert measured[("F", 6)] > 1.6 * measured[("M", 6)]
