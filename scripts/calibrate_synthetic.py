"""Derive the synthetic region's Zvw calibration from Vektis's national rates for 2023.

Generates a large region, measures its Zvw cost per person-year by sex × age class, and prints
new ``ZVW_CALIBRATION`` factors (old factor × national rate / measured rate) to paste into
``samenspel/analytics/population/synthetic.py``. Usage:

    .venv/bin/python scripts/calibrate_synthetic.py --persons 2000000
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from samenspel.analytics.population.reference import national_zvw_rates
from samenspel.analytics.population.synthetic import (
    ZVW_CALIBRATION,
    generate,
    zvw_cost_per_person_year,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    national = national_zvw_rates()
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), persons=args.persons, seed=args.seed)
        measured = zvw_cost_per_person_year(Path(folder), 2023)
    print("ZVW_CALIBRATION: dict[str, tuple[float, ...]] = {")
    for sex in ("F", "M"):
        factors = [
            ZVW_CALIBRATION[sex][k] * national[(sex, k)] / measured[(sex, k)] for k in range(19)
        ]
        print(f'    "{sex}": ({", ".join(f"{f:.3f}" for f in factors)}),')
    print("}")
    worst = max(abs(measured[c] / national[c] - 1) for c in national)
    print(f"# before: largest deviation {worst:.1%}")


if __name__ == "__main__":
    main()
