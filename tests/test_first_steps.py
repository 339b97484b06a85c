"""An empty programme shows what to do first, not a page of zeros and advice."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from samenspel.web.core import services


def test_empty_programme_shows_where_to_start(db: None, client) -> None:
    user = get_user_model().objects.create_user("nieuw", password="x-very-secret-9")
    programme = services.create_programme(user=user, name="Leeg", region_name="Nergens")
    client.force_login(user)
    page = client.get(f"/p/{programme.pk}/").content.decode()
    assert "Waar begint u?" in page
    assert f"/p/{programme.pk}/organisations/new/" in page
    assert f"/p/{programme.pk}/population/" in page
    assert "In één oogopslag" not in page and "0 organisaties" not in page


def test_empty_network_shows_no_zeros_or_advice(db: None, client) -> None:
    user = get_user_model().objects.create_user("nieuw", password="x-very-secret-9")
    programme = services.create_programme(user=user, name="Leeg", region_name="Nergens")
    client.force_login(user)
    page = client.get(f"/p/{programme.pk}/dynamics/").content.decode()
    assert "Nog niemand in dit netwerk" in page
    assert "Er doen geen inwoners mee" not in page and "Dichtheid" not in page
