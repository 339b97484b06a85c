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
    # the page preloads the network's data, and the explorer uses that one request
    fetched = "performance.getEntriesByType('resource').filter(r => r.name.includes('.json'))"
    assert page.evaluate(f"{fetched}.length") == 1
    # filter: residents off
    page.locator("#ex-filters summary", has_text="Stakeholdergroep").click()
    page.locator("#ex-filters label", has_text="Inwoner").locator("input").uncheck()
    expect(page.locator("#ex-count")).to_have_text("7 getoond")
    visible = page.evaluate(
        "window.samenspelExplorer.nodes().filter(n => !n.hidden).map(n => n.label)"
    )
    assert "Hans Buurt" not in visible and "Anna Bestuur" in visible
    page.click("#ex-reset")
    expect(page.locator("#ex-count")).to_have_text("10 getoond")
    # search a person: their own network and measures
    page.fill("#ex-search", "carla")
    page.press("#ex-search", "Enter")
    expect(page.locator("#ex-who")).to_have_text("Carla Brug")
    expect(page.locator("#ex-panel .ego-list li")).to_have_count(8)  # the broker knows everyone
    faded = page.evaluate(
        "window.samenspelExplorer.nodes().filter(n => n.faded).map(n => n.label)"
    )
    assert faded == ["Jan Alleen"]  # everyone else is in Carla's ego network
    # hop to a neighbour: Anna's network is the steering group only
    page.locator("#ex-panel .ego-list button", has_text="Anna Bestuur").click()
    expect(page.locator("#ex-who")).to_have_text("Anna Bestuur")
    expect(page.locator("#ex-panel .ego-list li")).to_have_count(2)
    assert page.evaluate("window.samenspelExplorer.nodes().filter(n => n.faded).length") == 7
    # colour and size follow the choice
    page.select_option("#ex-colour", "layer")
    expect(page.locator("#ex-legend")).to_contain_text("Bestuurlijk")
    page.select_option("#ex-size", "betweenness")
    sizes = page.evaluate(
        "Object.fromEntries(window.samenspelExplorer.nodes().map(n => [n.label, n.size]))"
    )
    assert sizes["Carla Brug"] == max(sizes.values())
    # scaled to the measure's own range (0-1 here): the smallest and largest differ fully
    for measure in ("betweenness", "closeness", "constraint"):
        page.select_option("#ex-size", measure)
        shown = page.evaluate("window.samenspelExplorer.nodes().map(n => n.size)")
        assert max(shown) == 40 and min(shown) == 10, (measure, shown)
    assert not errors
    # the same network as a table for screen readers
    row = page.locator("table tbody tr").filter(has=page.locator("th", has_text="Carla Brug"))
    expect(row).to_contain_text("Anna Bestuur, Bert Bestuur, Dirk Zorg")


def test_a_tap_beside_a_small_node_selects_it_on_a_phone(new_page: Any) -> None:
    """Nodes are drawn 10–40 px wide; a finger needs more, so a tap within 22 px of a node's
    centre selects it."""
    pid = _programme()
    page: Page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "regie")
    page.goto(f"/p/{pid}/dynamics/explore/?source=groups")
    expect(page.locator("#explorer[data-ready='1']")).to_be_attached()
    page.locator("#ex-canvas").scroll_into_view_if_needed()
    box = page.locator("#ex-canvas").bounding_box()
    assert box is not None
    # Jan Alleen has no ties, so the smallest node: 10 px wide, a 5 px radius
    x, y, radius = page.evaluate(
        "(() => { const e = window.samenspelExplorer;"
        " const id = e.graph.findNode((n, a) => a.label === 'Jan Alleen');"
        " const p = e.renderer.graphToViewport(e.graph.getNodeAttributes(id));"
        " return [p.x, p.y, e.graph.getNodeAttribute(id, 'size')]; })()"
    )
    assert radius == 5
    beside = 15 if x < box["width"] / 2 else -15  # towards the middle, outside the drawn disc
    page.mouse.click(box["x"] + x + beside, box["y"] + y)
    expect(page.locator("#ex-who")).to_have_text("Jan Alleen")
    assert page.evaluate("window.samenspelExplorer.nodes().filter(n => n.faded).length") == 9


def test_a_large_network_keeps_a_light_page_with_a_paged_table(
    client: Any, new_page: Any
) -> None:
    """The table of 160 people comes 100 at a time; the map's data come as JSON, and the map
    draws everyone, with names shown as one zooms in."""
    director = make_user("regie")
    programme = core.create_programme(user=director, name="Proeftuin Groot", region_name="G")
    group = Group.objects.create(
        programme=programme, name="Netwerk", kind="working_group", layer="operational"
    )
    for i in range(160):
        person = Person.objects.create(
            programme=programme, name=f"Persoon {i:03d}", stakeholder_group="professional",
            profession="nurse",
        )  # fmt: skip
        GroupMembership.objects.create(programme=programme, group=group, person=person)
    client.force_login(director)
    url = f"/p/{programme.pk}/dynamics/explore/?source=groups"
    first = client.get(url).content.decode()
    assert first.count('<th scope="row">Persoon') == 100
    assert "Persoon 099" in first and "Persoon 100</th>" not in first
    assert "Personen 1–100 van 160" in first
    assert "page=2#table" in first
    second = client.get(url + "&page=2").content.decode()
    assert second.count('<th scope="row">Persoon') == 60 and "Persoon 159</th>" in second
    assert "page=1#table" in second and "page=3" not in second
    data = client.get(f"/p/{programme.pk}/dynamics/network.json?source=groups").json()
    assert len(data["nodes"]) == 160 and len(data["edges"]) == 160 * 159 // 2
    page: Page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "regie")
    page.goto(url)
    expect(page.locator("#explorer[data-ready='1']")).to_be_attached()
    assert page.evaluate("window.samenspelExplorer.nodes().length") == 160
    # a large network: ties are hidden while dragging, names wait for the zoom
    settings = page.evaluate(
        "(() => { const r = window.samenspelExplorer.renderer; return"
        " [r.getSetting('hideEdgesOnMove'), r.getSetting('labelRenderedSizeThreshold')]; })()"
    )
    assert settings == [True, 9]
    assert not errors


def test_a_browser_without_webgl_gets_the_printed_map_and_the_table(new_page: Any) -> None:
    pid = _programme()
    page: Page = new_page()
    # this browser's canvases give no WebGL context
    page.add_init_script(
        "const original = HTMLCanvasElement.prototype.getContext;"
        "HTMLCanvasElement.prototype.getContext = function (kind, options) {"
        " return String(kind).includes('webgl') ? null : original.call(this, kind, options); };"
    )
    # (sigma.js itself fails to load there, with its own error; the page copes)
    log_in(page, "regie")
    page.goto(f"/p/{pid}/dynamics/explore/?source=groups")
    expect(page.locator("#ex-fallback")).to_be_visible()
    expect(page.locator("#explorer")).to_be_hidden()
    page.locator("#ex-fallback a", has_text="afgedrukte kaart").click()
    expect(page.locator("#map svg")).to_be_visible()
