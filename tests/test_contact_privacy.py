"""Contact details are for the programme director only: a partner or viewer who crawls every
page, download and API answer of the programme finds no one's e-mail address, and cannot set
one either."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from samenspel.web.core.models import Person

from .conftest import World

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "action") and value and value.startswith("/"):
                self.found.append(value.split("#")[0])


def _addresses(world: World) -> dict[int, str]:
    addresses = {}
    for person in Person.objects.filter(programme=world.a):
        person.email = f"contact.{person.pk}@voorbeeld.nl"
        person.save()
        addresses[person.pk] = person.email
    return addresses


def _crawl(client: Client, start: list[str], programme_id: int, limit: int = 400) -> dict[str, str]:
    """Every page and download under /p/<id>/ and /api/v1/programmes/<id>/ reachable from
    ``start`` by GET (log-out and language switches left alone)."""
    seen: dict[str, str] = {}
    queue = list(start)
    inside = (f"/p/{programme_id}/", f"/api/v1/programmes/{programme_id}")
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or not url.startswith(inside):
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        seen[url] = text
        if "html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(text)
            queue += [u for u in parser.found if u not in seen]
    return seen


def _api_urls(world: World) -> list[str]:
    base = f"/api/v1/programmes/{world.a.pk}"
    people = Person.objects.filter(programme=world.a)
    return [base, f"{base}/people", f"{base}/export",
            *(f"{base}/people/{p.pk}" for p in people)]  # fmt: skip


@pytest.mark.parametrize("who", ["partner", "viewer"])
def test_partners_and_viewers_find_no_contact_details_anywhere(world: World, who: str) -> None:
    addresses = _addresses(world)
    client = world.client_for(getattr(world, who))
    start = [f"/p/{world.a.pk}/", f"/p/{world.a.pk}/people/", f"/p/{world.a.pk}/export.json",
             *(f"/p/{world.a.pk}/people/{pk}/" for pk in addresses), *_api_urls(world)]  # fmt: skip
    pages = _crawl(client, start, world.a.pk)
    assert len(pages) > 20, sorted(pages)
    for url, text in pages.items():
        leaked = [a for a in addresses.values() if a in text]
        assert not leaked, f"{url} shows {leaked}"
        assert not re.search(r"[\w.]+@voorbeeld\.nl", text), url
    listed = json.loads(pages[f"/api/v1/programmes/{world.a.pk}/people"])
    assert listed and all(p["email"] is None for p in listed)
    exported = json.loads(pages[f"/p/{world.a.pk}/export.json"])
    assert all("email" not in p for p in exported["people"])


def test_the_director_sees_and_exports_contact_details(world: World) -> None:
    addresses = _addresses(world)
    client = world.client_for(world.director)
    listed = client.get(f"/api/v1/programmes/{world.a.pk}/people").json()
    assert {p["id"]: p["email"] for p in listed} == addresses
    page = client.get(f"/p/{world.a.pk}/people/{world.exec_h.pk}/").content.decode()
    assert addresses[world.exec_h.pk] in page
    exported = json.loads(client.get(f"/p/{world.a.pk}/export.json").content)
    assert sorted(p["email"] for p in exported["people"]) == sorted(addresses.values())


def test_a_partner_cannot_set_a_contact_detail_nor_erase_one_by_echoing(world: World) -> None:
    addresses = _addresses(world)
    client = world.client_for(world.partner)
    url = f"/api/v1/programmes/{world.a.pk}/people/{world.exec_h.pk}"
    refused = client.patch(url, data=json.dumps({"email": "nieuw@voorbeeld.nl"}),
                           content_type="application/json")  # fmt: skip
    assert refused.status_code == 422 and "email" in refused.content.decode()
    record = client.get(url).json()
    assert record["email"] is None
    record.pop("id"), record.pop("programme")
    record["job_title"] = "Bestuurder"
    echoed = client.put(url, data=json.dumps(record), content_type="application/json")
    assert echoed.status_code == 200, echoed.content
    world.exec_h.refresh_from_db()
    assert world.exec_h.job_title == "Bestuurder"
    assert world.exec_h.email == addresses[world.exec_h.pk]
    # the web form of the partner's own person has no e-mail field, and saving keeps it
    form = client.get(f"/p/{world.a.pk}/people/{world.exec_h.pk}/edit/").content.decode()
    assert 'name="job_title"' in form and 'name="email"' not in form
