"""The network explorer in a real browser: names on the nodes, filtering by stakeholder group,
searching a person, their ego network and hopping to a neighbour, at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samenspel.web.core import services as core
from samenspel.web.core.models import Group, GroupMembership, Organisation, Person

from .conftest import log_in, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _programme() -> int:
    """Two groups sharing one member: a steering group of 3 executives and a working group of
    one executive, 4 professionals and 2 residents (10 people, 9 of them tied)."""
    director = make_user("regie")
    programme = core.create_programme(user=director, name="Proeftuin Kaart", region_name="K")
    org = Organisation.objects.create(
        programme=programme, name="Zorggroep Kaart", kind="other", domain="care", level="region"
    )
    steering = Group.objects.create(
        programme=programme, name="Stuurgroep", kind="steering_group", layer="strategic"
    )
    working = Group.objects.create(
        programme=programme, name="Werkgroep", kind="working_group", layer="operational"
    )
    members = [("Anna Bestuur", "executive", steering), ("Bert Bestuur", "executive", steering),
               ("Carla Brug", "executive", steering), ("Carla Brug", "executive", working),
               ("Dirk Zorg", "professional", working), ("Eva Zorg", "professional", working),
               ("Frank Zorg", "professional", working), ("Gea Zorg", "professional", working),
               ("Hans Buurt", "resident", working), ("Ine Buurt", "resident", working)]  # fmt: skip
    people: dict[str, Person] = {}
    for name, group_kind, group in members:
        if name not in people:
            people[name] = Person.objects.create(
                programme=programme, name=name, stakeholder_group=group_kind,
                profession="nurse" if group_kind == "professional" else "", organisation=org,
            )  # fmt: skip
        GroupMembership.objects.create(programme=programme, group=group, person=people[name])
    Person.objects.create(programme=programme, name="Jan Alleen", stakeholder_group="resident")
    return programme.pk


@pytest.mark.parametrize("width", [1400, 390])
def test_filter_search_and_ego_network(new_page: Any, width: int) -> None:
    pid = _programme()
    page: Page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "regie")
    page.goto(f"/p/{pid}/dynamics/explore/?source=groups")
    expect(page.locator("#explorer[data-ready='1']")).to_be_attached()
    expect(page.locator("#ex-count")).to_have_text("10 getoond")
    assert page.evaluate("window.samenspelExplorer.nodes().length") == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # filter: residents off
    page.locator("#ex-filters summary", has_text="Stakeholdergroep").click()
    page.locator("#ex-filters label", has_text="Inwoner").locator("input").uncheck()
    expect(page.locator("#ex-count")).to_have_text("7 getoond")
    visible = page.evaluate(
        "window.samenspelExplorer.nodes().not('.hidden').map(n => n.data('label'))"
    )
    assert "Hans Buurt" not in visible and "Anna Bestuur" in visible
    page.click("#ex-reset")
    expect(page.locator("#ex-count")).to_have_text("10 getoond")
    # search a person: their own network and measures
    page.fill("#ex-search", "carla")
    page.press("#ex-search", "Enter")
    expect(page.locator("#ex-who")).to_have_text("Carla Brug")
    expect(page.locator("#ex-panel .ego-list li")).to_have_count(8)  # the broker knows everyone
    faded = page.evaluate("window.samenspelExplorer.nodes('.faded').map(n => n.data('label'))")
    assert faded == ["Jan Alleen"]  # everyone else is in Carla's ego network
    # hop to a neighbour: Anna's network is the steering group only
    page.locator("#ex-panel .ego-list button", has_text="Anna Bestuur").click()
    expect(page.locator("#ex-who")).to_have_text("Anna Bestuur")
    expect(page.locator("#ex-panel .ego-list li")).to_have_count(2)
    assert page.evaluate("window.samenspelExplorer.nodes('.faded').length") == 7
    # colour and size follow the choice
    page.select_option("#ex-colour", "layer")
    expect(page.locator("#ex-legend")).to_contain_text("Bestuurlijk")
    page.select_option("#ex-size", "betweenness")
    sizes = page.evaluate(
        "Object.fromEntries(window.samenspelExplorer.nodes()"
        ".map(n => [n.data('label'), n.data('size')]))"
    )
    assert sizes["Carla Brug"] == max(sizes.values())
    # scaled to the measure's own range (0-1 here): the smallest and largest differ fully
    for measure in ("betweenness", "closeness", "constraint"):
        page.select_option("#ex-size", measure)
        shown = page.evaluate("window.samenspelExplorer.nodes().map(n => n.data('size'))")
        assert max(shown) == 40 and min(shown) == 10, (measure, shown)
    assert not errors
    # the same network as a table for screen readers
    row = page.locator("table tbody tr").filter(has=page.locator("th", has_text="Carla Brug"))
    expect(row).to_contain_text("Anna Bestuur, Bert Bestuur, Dirk Zorg")
