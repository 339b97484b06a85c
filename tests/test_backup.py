"""Backup and restore of the whole database, and a damaged backup that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.serializers.base import DeserializationError

from samenspel.web.composition.exchange import export_programme
from samenspel.web.core.models import Organisation, Person, Programme
from samenspel.web.workspace.backup import backup, restore

from .conftest import World


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(world: World, tmp_path: Path) -> None:
    before = export_programme(world.a)
    path = tmp_path / "backup.json.gz"
    count = backup(path)
    assert count > 20
    Person.objects.all().delete()
    Organisation.objects.filter(programme=world.a).delete()
    assert restore(path) == count
    programme = Programme.objects.get(name="Alpha")
    assert export_programme(programme) == before
    assert world.client_for(world.director).get(f"/p/{programme.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_damaged_backup_changes_nothing(world: World, tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    backup(path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])  # cut off half-way
    people = Person.objects.count()
    with pytest.raises(DeserializationError):
        restore(path)
    assert Person.objects.count() == people
