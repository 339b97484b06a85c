"""Figures are kept per programme data version: every kind of change shows at once."""

from __future__ import annotations

import pytest

from samenspel.web.core.models import DataVersion, Organisation, Programme
from samenspel.web.core.versions import remember, version_of
from samenspel.web.finance.models import Agreement, MoneyLine
from samenspel.web.workspace.demo import load_demo

from .conftest import World
from .test_money_web import agreement  # noqa: F401  (fixture)


def test_a_figure_is_computed_once_per_version(world: World) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert remember("t", world.a.pk, (), compute) == 1
    assert remember("t", world.a.pk, (), compute) == 1  # kept
    Organisation.objects.create(programme=world.a, name="New", kind="gp_practice")
    assert remember("t", world.a.pk, (), compute) == 2  # the programme changed
    assert remember("t", world.b.pk, (), compute) == 3  # another programme has its own


def test_every_write_path_gives_a_new_version(world: World) -> None:
    seen = {version_of(world.a.pk)}

    def changed() -> bool:
        token = version_of(world.a.pk)
        new = token not in seen
        seen.add(token)
        return new

    client = world.client_for(world.director)
    org = Organisation.objects.create(
        programme=world.a, name="Huisarts X", kind="gp_practice", domain="care", level="practice"
    )
    assert changed()  # model save
    response = client.patch(
        f"/api/v1/programmes/{world.a.pk}/organisations/{org.pk}",
        {"place": "Oss"},
        content_type="application/json",
    )
    assert response.status_code == 200 and changed()  # API edit
    assert client.post(f"/p/{world.a.pk}/organisations/{org.pk}/delete/").status_code == 302
    assert changed()  # web delete
    world.b.name = "Beta 2"
    world.b.save()
    assert not changed()  # another programme's change leaves A's figures alone


def test_overview_and_home_show_a_new_organisation_at_once(world: World) -> None:
    client = world.client_for(world.director)
    before = client.get(f"/p/{world.a.pk}/").context["composition"].organisations
    assert client.get("/").status_code == 200
    Organisation.objects.create(programme=world.a, name="Apotheek", kind="pharmacy")
    assert client.get(f"/p/{world.a.pk}/").context["composition"].organisations == before + 1
    cards = dict((r.programme_id, c) for r, c in client.get("/").context["cards"])
    assert cards[world.a.pk].organisations == before + 1


def test_money_page_follows_an_edited_line(
    world: World,
    agreement: Agreement,  # noqa: F811
) -> None:
    client = world.client_for(world.director)
    url = f"/p/{world.a.pk}/money/{agreement.pk}/"
    npv = {p.party: p.npv for p in client.get(url).context["evaluation"].case.parties}
    assert npv["Hospital A"] == pytest.approx(-100)
    line = MoneyLine.objects.get(intervention__agreement=agreement, kind="cost")
    response = client.patch(
        f"/api/v1/programmes/{world.a.pk}/money-lines/{line.pk}",
        {"low": 150, "likely": 150, "high": 150, "version": line.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    npv = {p.party: p.npv for p in client.get(url).context["evaluation"].case.parties}
    assert npv["Hospital A"] == pytest.approx(-150)


def test_resetting_the_demo_with_remembered_figures_works(db: None) -> None:
    load_demo(with_population=False)
    ids = list(Programme.objects.values_list("pk", flat=True))
    for pid in ids:
        remember("t", pid, (), lambda: 1)
    assert DataVersion.objects.filter(programme_id__in=ids).count() == len(ids)
    load_demo(reset=True, with_population=False)  # deletes every demo programme, then rebuilds
    assert not DataVersion.objects.filter(programme_id__in=ids).exists()
