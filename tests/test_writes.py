"""Services that write more than once write all or nothing: a failure halfway leaves no trace."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from samenspel.web.core import services as core_services
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.models import Person, Programme, Region
from samenspel.web.dynamics import services as dynamics_services
from samenspel.web.dynamics.models import Invitation
from samenspel.web.monitoring import services as monitoring_services
from samenspel.web.monitoring.models import Dataset, RegiobeeldRun

from .conftest import World


class Halfway(Exception):
    """Raised by a step a test breaks on purpose."""


def _break(*args: Any, **kwargs: Any) -> None:
    raise Halfway


def test_a_programme_that_cannot_be_made_leaves_no_region(world: World) -> None:
    with pytest.raises(ValidationError):
        core_services.create_programme(user=world.director, name="", region_name="Nieuwland")
    assert not Region.objects.filter(name="Nieuwland").exists()


def test_a_programme_whose_director_cannot_be_recorded_is_not_made(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = Programme.objects.count()
    monkeypatch.setattr(ProgrammeRole.objects, "create", _break)
    with pytest.raises(Halfway):
        core_services.create_programme(user=world.director, name="X", region_name="Overland")
    assert Programme.objects.count() == before
    assert not Region.objects.filter(name="Overland").exists()


def test_inviting_the_missing_is_all_or_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    director = ProgrammeRole.objects.get(user=world.director, programme=world.a)
    wave = dynamics_services.open_wave(role=director, name="Meting")
    Person.objects.create(programme=world.a, name="Nieuw", stakeholder_group="resident")
    before = Invitation.objects.filter(wave=wave).count()
    monkeypatch.setattr(dynamics_services, "bump", _break)  # fails after the invitations
    with pytest.raises(Halfway):
        dynamics_services.invite_missing(role=director, wave=wave)
    assert Invitation.objects.filter(wave=wave).count() == before


def test_a_run_whose_start_cannot_be_logged_is_not_queued(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    director = ProgrammeRole.objects.get(user=world.director, programme=world.a)
    dataset = Dataset.objects.create(programme=world.a, name="D", kind="synthetic", folder="x")
    monkeypatch.setattr(monitoring_services.audit, "record", _break)
    with pytest.raises(Halfway):
        monitoring_services.start_run(role=director, user=world.director, dataset=dataset)
    assert not RegiobeeldRun.objects.filter(dataset=dataset).exists()
