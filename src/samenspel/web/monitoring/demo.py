"""A synthetic population for the demo (Proeftuin Ruwaard), with its regiobeeld computed."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.models import Programme

from . import services
from .models import RegiobeeldRun
from .tasks import compute_regiobeeld

DEMO_PERSONS = 30_000


def load_population_demo(programme: Programme, persons: int = DEMO_PERSONS) -> RegiobeeldRun:
    role = ProgrammeRole.objects.filter(programme=programme, role=Role.DIRECTOR).first()
    assert role is not None, "the demo programme has a director"
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
    return run
