"""Whole-programme JSON export/import: lossless round trip, precise errors, atomicity."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from samenspel.web.composition.exchange import ImportFailedError, export_programme
from samenspel.web.composition.services import import_programme, import_programme_json
from samenspel.web.core.models import Organisation, Person, Programme

from .conftest import World


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English here; the Dutch ones in their own test."""
    with translation.override("en"):
        yield


def test_round_trip_is_lossless(world: World) -> None:
    world.hospital.parent = world.municipality
    world.hospital.save()
    first = export_programme(world.a, contact=True)
    copy_ = import_programme(first, user=world.viewer, source="a.json")
    second = export_programme(copy_, contact=True)
    assert second == first
    assert copy_.pk != world.a.pk
    assert copy_.people.count() == 4
    assert first["organisations"][0]["parent"] == "organisations-2"
    assert first["interactions"][0]["participants"] == ["people-1", "people-3"]


def test_round_trip_of_the_demo(db: None) -> None:
    from django.contrib.auth import get_user_model

    from samenspel.web.workspace.demo import load_demo

    load_demo(with_population=False)
    user = get_user_model().objects.get(username="regisseur")
    for programme in Programme.objects.filter(is_demo=True):
        document = export_programme(programme, contact=True)
        text = json.dumps(document)
        clone = import_programme_json(text, user=user, name=programme.name)
        assert export_programme(clone, contact=True) == document
    demo = Programme.objects.filter(is_demo=True)
    linked = [
        i for p in demo for i in export_programme(p, contact=True)["interventions"]
        if i["uptake_linked"]
    ]
    assert linked, "the demo marks an intervention whose amounts move together"
    samendraads = Programme.objects.filter(is_demo=True, name="Samendraads").get()
    document = export_programme(samendraads, contact=True)
    document["interventions"][0]["uptake_linked"] = "yes"
    problem = "interventions[0], field 'uptake_linked': must be true or false"
    with pytest.raises(ImportFailedError, match=re.escape(problem)):
        import_programme(document, user=user, source="s.json")


def _counts() -> tuple[int, int, int]:
    return Programme.objects.count(), Organisation.objects.count(), Person.objects.count()


def _broken(world: World) -> dict[str, Any]:
    document = copy.deepcopy(export_programme(world.a, contact=True))
    document["organisations"][1]["kind"] = "hospitaal"
    document["people"][2]["organisation"] = "organisations-99"
    document["people"].append({"ref": "people-9", "name": "", "stakeholder_group": "resident"})
    return document


def test_bad_document_is_rejected_whole_with_every_problem_named(world: World) -> None:
    before = _counts()
    with pytest.raises(ImportFailedError) as caught:
        import_programme(_broken(world), user=world.director, source="alpha.json")
    assert _counts() == before
    messages = [str(p) for p in caught.value.problems]
    assert any(
        m.startswith("alpha.json, organisations[1], field 'kind'") and "hospitaal" in m
        for m in messages
    ), messages
    assert any(
        "people[2], field 'organisation'" in m and "organisations-99" in m for m in messages
    ), messages
    assert any("people[4], field 'name'" in m for m in messages), messages


def test_unknown_fields_sections_and_types_are_reported(world: World) -> None:
    document = export_programme(world.a, contact=True)
    document["colour"] = "blue"
    document["groups"][0]["size"] = 5
    document["groups"][1]["name"] = 12
    with pytest.raises(ImportFailedError) as caught:
        import_programme(document, user=world.director, source="x.json")
    text = str(caught.value)
    assert "x.json, colour: unknown section" in text
    assert "groups[0], field 'size': unknown field" in text
    assert "groups[1], field 'name': must be text" in text


def test_invalid_json_and_wrong_format(world: World) -> None:
    with pytest.raises(ImportFailedError, match=re.escape("b.json, line 1: not valid JSON")):
        import_programme_json("{nope", user=world.director, source="b.json")
    with pytest.raises(ImportFailedError, match=re.escape("expected format 'samenspel.programme'")):
        import_programme_json('{"format": "other"}', user=world.director, source="c.json")


def test_api_import_reports_problems_and_writes_nothing(world: World) -> None:
    client = world.client_for(world.director)
    before = _counts()
    response = client.post(
        "/api/v1/programme-imports",
        data=json.dumps(_broken(world)),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {p["field"] for p in response.json()["detail"]} >= {"kind", "organisation", "name"}
    assert _counts() == before
    good = client.post(
        "/api/v1/programme-imports",
        data=json.dumps(export_programme(world.a, contact=True)),
        content_type="application/json",
    )
    assert good.status_code == 201


def test_web_export_and_import(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client_for(world.director)
    exported = client.get(f"/p/{world.a.pk}/export.json")
    assert exported["Content-Disposition"] == 'attachment; filename="alpha.samenspel.json"'
    upload = SimpleUploadedFile("alpha.samenspel.json", exported.content)
    response = client.post("/p/import/", {"file": upload, "name": "Alpha copy"})
    assert response.status_code == 302
    clone = Programme.objects.get(name="Alpha copy")
    people = json.loads(exported.content)["people"]
    assert export_programme(clone, contact=True)["people"] == people
