"""An empty programme shows what to do first, not a page of zeros and advice."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from samenspel.web.core import services
from samenspel.web.core.models import Programme


@pytest.fixture
def empty(db: None, client: Client) -> tuple[Client, Programme]:
    user = get_user_model().objects.create_user("nieuw", password="x-very-secret-9")
    programme = services.create_programme(user=user, name="Leeg", region_name="Nergens")
    client.force_login(user)
    return client, programme


def test_empty_programme_shows_where_to_start(empty: tuple[Client, Programme]) -> None:
    client, programme = empty
    page = client.get(f"/p/{programme.pk}/").content.decode()
    assert "Waar begint u?" in page
    assert f"/p/{programme.pk}/organisations/new/" in page
    assert f"/p/{programme.pk}/population/" in page
    assert "In één oogopslag" not in page and "0 organisaties" not in page


def test_empty_network_shows_no_zeros_or_advice(empty: tuple[Client, Programme]) -> None:
    client, programme = empty
    page = client.get(f"/p/{programme.pk}/dynamics/").content.decode()
    assert "Nog niemand in dit netwerk" in page
    assert "Er doen geen inwoners mee" not in page and "Dichtheid" not in page
