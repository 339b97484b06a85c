"""The demo's population data: open data for every programme's municipalities, and a synthetic
person-level population for Proeftuin Ruwaard with its regiobeeld computed."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import get_user_model

from samenspel.analytics.population.synthetic_vektis import synthetic_vektis
from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.models import Programme

from . import services
from .models import OpenDataFile, RegiobeeldRun
from .tasks import compute_regiobeeld

DEMO_PERSONS = 30_000
# The municipalities of each demo programme (illustrative; the person-level synthetic region of
# Proeftuin Ruwaard lives in the same municipalities).
DEMO_AREAS = {
    "Proeftuin Ruwaard": ("Oss", "'s-Hertogenbosch", "Bernheze", "Maashorst", "Land van Cuijk",
                          "Vught", "Sint-Michielsgestel", "Heusden"),
    "MijnZorg": ("Tilburg", "Goirle", "Oisterwijk", "Hilvarenbeek"),
    "Anders Beter": ("Eindhoven", "Veldhoven", "Best", "Son en Breugel", "Geldrop-Mierlo"),
    "Goedleven": ("Heerlen", "Kerkrade", "Landgraaf", "Brunssum"),
    "Samendraads": ("Breda", "Oosterhout", "Etten-Leur"),
}  # fmt: skip
# Older years in the older (upper-case) layout, the latest in today's.
DEMO_OPEN_DATA_YEARS = ((2021, True), (2022, False), (2023, False))


def _director(programme: Programme) -> ProgrammeRole:
    role = ProgrammeRole.objects.filter(programme=programme, role=Role.DIRECTOR).first()
    assert role is not None, "the demo programme has a director"
    return role


def load_open_data_demo(programmes: dict[str, Programme]) -> None:
    """Each programme's municipalities and a synthetic Vektis file per year, marked synthetic."""
    files = {
        year: synthetic_vektis(year, older_layout=older) for year, older in DEMO_OPEN_DATA_YEARS
    }
    for name, areas in DEMO_AREAS.items():
        programme = programmes.get(name)
        if programme is None:
            continue
        role = _director(programme)
        services.set_region_areas(role=role, text="\n".join(areas))
        for year, content in files.items():
            services.add_open_data_file(
                role=role,
                user=None,
                kind=OpenDataFile.Kind.VEKTIS,
                name=f"synthetisch-vektis-zvw-{year}-gemeente.csv",
                content=content,
                synthetic=True,
            )


def load_population_demo(programme: Programme, persons: int = DEMO_PERSONS) -> RegiobeeldRun:
    role = _director(programme)
    user = get_user_model().objects.get(pk=role.user_id)
    dataset = services.add_synthetic_dataset(
        role=role,
        user=user,
        name=f"Synthetische regio ({persons:,} personen)".replace(",", "."),
        persons=persons,
        seed=2026,
    )
    run = RegiobeeldRun.objects.create(programme=programme, dataset=dataset, created_by=user)
    compute_regiobeeld.call(run.pk)
    run.refresh_from_db()
    return cast("RegiobeeldRun", run)
