"""Access control with real requests: every role, and outsiders, against every kind of page and
endpoint. Outsiders get 404 (a programme's existence does not leak), members without the right
get 403, anonymous visitors are sent to the log-in page (pages) or get 401 (API)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from .conftest import World

READ_PAGES = [
    "/p/{a}/",
    "/p/{a}/export.json",
    *[
        f"/p/{{a}}/{slug}/"
        for slug in (
            "objectives",
            "organisations",
            "people",
            "groups",
            "memberships",
            "projects",
            "initiatives",
            "interactions",
        )
    ],
    "/p/{a}/people/{gp}/",
    "/p/{a}/groups/{steering}/",
    "/p/{a}/organisations/{hospital}/",
]
DIRECTOR_ONLY_PAGES = [
    "/p/{a}/edit/",
    "/p/{a}/roles/",
    "/p/{a}/groups/new/",
    "/p/{a}/organisations/new/",
    "/p/{a}/groups/{steering}/edit/",
    "/p/{a}/groups/{steering}/delete/",
    "/p/{a}/organisations/{municipality}/edit/",
    "/p/{a}/organisations/{hospital}/delete/",
    "/p/{a}/people/{exec_m}/edit/",
    "/p/{a}/interactions/new/",
    "/p/{a}/initiatives/new/",
]
PARTNER_PAGES = [
    "/p/{a}/organisations/{hospital}/edit/",
    "/p/{a}/people/{gp}/edit/",
    "/p/{a}/people/new/",
    "/p/{a}/people/{gp}/delete/",
    "/p/{a}/import/",
]
ALL_PAGES = READ_PAGES + DIRECTOR_ONLY_PAGES + PARTNER_PAGES


def _fill(path: str, w: World) -> str:
    return path.format(
        a=w.a.pk,
        gp=w.gp.pk,
        steering=w.steering.pk,
        hospital=w.hospital.pk,
        municipality=w.municipality.pk,
        exec_m=w.exec_m.pk,
    )


@pytest.mark.parametrize("path", ALL_PAGES)
def test_outsider_gets_404_on_every_page(world: World, path: str) -> None:
    response = world.client_for(world.outsider).get(_fill(path, world))
    assert response.status_code == 404
    assert b"Alpha" not in response.content and b"Gerrit" not in response.content


@pytest.mark.parametrize("path", ALL_PAGES)
def test_anonymous_is_sent_to_login(world: World, path: str) -> None:
    response = Client().get(_fill(path, world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ALL_PAGES)
def test_director_reaches_every_page(world: World, path: str) -> None:
    assert world.client_for(world.director).get(_fill(path, world)).status_code == 200


@pytest.mark.parametrize("path", READ_PAGES)
def test_viewer_reads(world: World, path: str) -> None:
    assert world.client_for(world.viewer).get(_fill(path, world)).status_code == 200


@pytest.mark.parametrize("path", DIRECTOR_ONLY_PAGES + PARTNER_PAGES)
def test_viewer_cannot_open_write_pages(world: World, path: str) -> None:
    assert world.client_for(world.viewer).get(_fill(path, world)).status_code == 403


@pytest.mark.parametrize("path", READ_PAGES + PARTNER_PAGES)
def test_partner_reads_and_edits_own_organisation(world: World, path: str) -> None:
    assert world.client_for(world.partner).get(_fill(path, world)).status_code == 200


@pytest.mark.parametrize("path", DIRECTOR_ONLY_PAGES)
def test_partner_cannot_edit_the_rest(world: World, path: str) -> None:
    assert world.client_for(world.partner).get(_fill(path, world)).status_code == 403


def test_viewer_post_changes_nothing(world: World) -> None:
    client = world.client_for(world.viewer)
    url = f"/p/{world.a.pk}/groups/{world.steering.pk}/edit/"
    response = client.post(url, {"name": "Hacked", "kind": "other", "layer": "strategic"})
    assert response.status_code == 403
    world.steering.refresh_from_db()
    assert world.steering.name == "Steering"


def test_partner_cannot_move_a_person_to_another_organisation(world: World) -> None:
    client = world.client_for(world.partner)
    url = f"/p/{world.a.pk}/people/{world.gp.pk}/edit/"
    response = client.post(
        url,
        {
            "name": "Gerrit GP",
            "stakeholder_group": "professional",
            "profession": "gp",
            "organisation": world.municipality.pk,
        },
    )
    # The form only offers the partner's own organisation, so the choice is invalid.
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    world.gp.refresh_from_db()
    assert world.gp.organisation_id == world.hospital.pk


def test_home_lists_only_own_programmes(world: World) -> None:
    body = world.client_for(world.director).get("/").content.decode()
    assert "Alpha" in body and "Beta" not in body


def test_compare_ignores_programmes_of_others(world: World) -> None:
    response = world.client_for(world.director).get(f"/p/compare/?p={world.a.pk}&p={world.b.pk}")
    assert response.status_code == 200
    assert [p.pk for p, _ in response.context["columns"]] == [world.a.pk]
    assert b"Beta" not in response.content


def test_record_of_other_programme_is_not_reachable_through_own_programme(world: World) -> None:
    client = world.client_for(world.director)
    assert client.get(f"/p/{world.a.pk}/people/{world.b_person.pk}/").status_code == 404
    assert (
        client.get(f"/api/v1/programmes/{world.a.pk}/people/{world.b_person.pk}").status_code == 404
    )


# --- API -------------------------------------------------------------------------------------

API_READS = [
    "/api/v1/programmes/{a}",
    "/api/v1/programmes/{a}/composition",
    "/api/v1/programmes/{a}/export",
    *[
        f"/api/v1/programmes/{{a}}/{slug}"
        for slug in (
            "objectives",
            "organisations",
            "people",
            "groups",
            "memberships",
            "projects",
            "initiatives",
            "interactions",
        )
    ],
    "/api/v1/programmes/{a}/people/{gp}",
    "/api/v1/programmes/{a}/groups/{steering}",
]


@pytest.mark.parametrize("path", API_READS)
def test_api_reads_by_role(world: World, path: str) -> None:
    url = _fill(path, world)
    for user in (world.director, world.partner, world.viewer):
        assert world.client_for(user).get(url).status_code == 200
    outsider = world.client_for(world.outsider).get(url)
    assert outsider.status_code == 404
    assert b"Gerrit" not in outsider.content
    assert Client().get(url).status_code == 401


def test_api_programme_list_is_scoped(world: World) -> None:
    names = [p["name"] for p in world.client_for(world.outsider).get("/api/v1/programmes").json()]
    assert names == ["Beta"]


def _json(client: Client, method: str, url: str, body: dict[str, object]) -> object:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "post",
            "/api/v1/programmes/{a}/groups",
            {"name": "G", "kind": "other", "layer": "tactical"},
        ),
        ("patch", "/api/v1/programmes/{a}/groups/{steering}", {"name": "Renamed"}),
        ("delete", "/api/v1/programmes/{a}/groups/{steering}", {}),
        ("patch", "/api/v1/programmes/{a}/organisations/{municipality}", {"place": "X"}),
        ("patch", "/api/v1/programmes/{a}", {"name": "Renamed"}),
    ],
)
def test_api_writes_by_role(world: World, method: str, path: str, body: dict[str, object]) -> None:
    url = _fill(path, world)
    for user, expected in ((world.viewer, 403), (world.partner, 403), (world.outsider, 404)):
        response = _json(world.client_for(user), method, url, body)
        assert response.status_code == expected, (user, response.content)  # type: ignore[attr-defined]
    response = _json(world.client_for(world.director), method, url, body)
    assert response.status_code in (200, 201, 204)  # type: ignore[attr-defined]


def test_api_partner_edits_own_organisation_and_people(world: World) -> None:
    client = world.client_for(world.partner)
    url = f"/api/v1/programmes/{world.a.pk}/organisations/{world.hospital.pk}"
    assert _json(client, "patch", url, {"place": "Oss"}).status_code == 200  # type: ignore[attr-defined]
    created = _json(
        client,
        "post",
        f"/api/v1/programmes/{world.a.pk}/people",
        {
            "name": "New Nurse",
            "stakeholder_group": "professional",
            "profession": "nurse",
            "organisation": world.hospital.pk,
        },
    )
    assert created.status_code == 201  # type: ignore[attr-defined]
    other = _json(
        client,
        "post",
        f"/api/v1/programmes/{world.a.pk}/people",
        {
            "name": "Other",
            "stakeholder_group": "executive",
            "organisation": world.municipality.pk,
        },
    )
    assert other.status_code == 403  # type: ignore[attr-defined]


def test_api_cannot_link_records_across_programmes(world: World) -> None:
    client = world.client_for(world.director)
    response = _json(
        client,
        "post",
        f"/api/v1/programmes/{world.a.pk}/memberships",
        {
            "group": world.steering.pk,
            "person": world.b_person.pk,
            "role": "member",
        },
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["detail"][0]["loc"] == ["body", "person"]  # type: ignore[attr-defined]
    meeting = _json(
        client,
        "post",
        f"/api/v1/programmes/{world.a.pk}/interactions",
        {
            "date": "2022-01-01",
            "topic": "T",
            "participants": [world.gp.pk, world.b_person.pk],
        },
    )
    assert meeting.status_code == 422  # type: ignore[attr-defined]
    assert "participants" in str(meeting.json())  # type: ignore[attr-defined]


def test_api_unsafe_methods_need_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.director)
    response = _json(
        client,
        "post",
        f"/api/v1/programmes/{world.a.pk}/groups",
        {"name": "G", "kind": "other", "layer": "tactical"},
    )
    assert response.status_code in (401, 403)  # type: ignore[attr-defined]


def test_login_is_throttled_after_five_failures(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "dir", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "dir", "password": "x-very-secret-9"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
