"""Lists of records can be searched, sorted and paged, within the programme only."""

from __future__ import annotations

import re

from samenspel.web.core.models import Organisation, Person

from .conftest import World


def _names(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)


def test_search_sort_and_pages(world: World) -> None:
    Organisation.objects.bulk_create(
        Organisation(programme=world.a, name=f"Praktijk {i:02d}", kind="gp_practice",
                     domain="care", level="practice")
        for i in range(1, 61)
    )  # fmt: skip
    client = world.client_for(world.viewer)
    url = f"/p/{world.a.pk}/organisations/"
    first = client.get(url).content.decode()
    assert len(_names(first)) == 50 and "pagina 1 van 2" in first and "page=2" in first
    last = client.get(url, {"page": "999"}).content.decode()
    assert len(_names(last)) == 62 - 50  # 60 practices, the hospital and the town hall
    assert client.get(url, {"page": "abc"}).status_code == 200
    found = client.get(url, {"q": "praktijk 07"}).content.decode()
    assert _names(found) == ["Praktijk 07"]
    assert "Beta" not in client.get(url, {"q": "Hospital"}).content.decode()
    assert _names(client.get(url, {"q": "Hospital"}).content.decode()) == ["Hospital A"]
    descending = _names(client.get(url, {"sort": "-name"}).content.decode())
    assert descending[0] == "Town A" and descending[1] == "Praktijk 60"
    ascending = client.get(url, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in ascending and _names(ascending)[0] == "Hospital A"
    assert client.get(url, {"sort": "password"}).status_code == 200  # unknown column: ignored
    nothing = client.get(url, {"q": "zzz"}).content.decode()
    assert "Niets gevonden voor “zzz”." in nothing and "<tbody>" not in nothing


def test_search_reaches_the_organisation_of_a_person(world: World) -> None:
    client = world.client_for(world.director)
    page = client.get(f"/p/{world.a.pk}/people/", {"q": "Hospital A"}).content.decode()
    expected = sorted(
        str(p) for p in Person.objects.filter(programme=world.a, organisation=world.hospital)
    )
    assert sorted(_names(page)) == expected and expected
