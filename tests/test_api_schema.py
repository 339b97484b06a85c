"""The API against its own OpenAPI document: generated requests, in process, as a director.

Schemathesis generates valid and invalid requests for every operation; the answers must
never be a server error, must refuse every request that breaks the schema, and must match the
documented status codes, content types and response schemas. Path ids are steered to real
records of the user's own programme, of someone else's programme, and to ids that do not
exist, so the checks reach past the 404s.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.parameters import ParameterLocation

from samenspel.web.config.wsgi import application
from samenspel.web.core.models import GroupMembership, Programme
from samenspel.web.core.resources import RESOURCES
from samenspel.web.core.schemas import serialise
from samenspel.web.finance.models import Agreement, Intervention, MoneyLine
from samenspel.web.monitoring.models import Dataset, RegiobeeldRun
from samenspel.web.workspace.api import api
from samenspel.web.workspace.demo import load_demo

from .conftest import World

CHECKS = [
    not_a_server_error,
    negative_data_rejection,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CSRF = "s" * 32
EXAMPLES = 25


@pytest.fixture(autouse=True)
def _one_connection_per_test() -> Iterator[None]:
    """Requests go straight into the WSGI app, which closes the database connection after each
    request; the test client does not, and neither may these, or PostgreSQL loses the test's
    transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operations() -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return [f"{method.upper()} {path}" for path, ops in paths.items() for method in ops]


def _ids(world: World) -> dict[str, list[int]]:
    """Real ids per path parameter: programme A (the user's), programme B (not), and none."""
    deal = Agreement.objects.create(programme=world.a, name="Deal", start_year=2026, horizon=2)
    care = Intervention.objects.create(programme=world.a, agreement=deal, name="Care")
    care.partners.set([world.hospital, world.municipality])
    line = MoneyLine.objects.create(
        programme=world.a, intervention=care, kind="cost", party=world.hospital,
        stream="zvw", low=1, likely=2, high=3, years="all",
    )  # fmt: skip
    seat = GroupMembership.objects.filter(programme=world.a).first()
    records = [world.hospital.pk, world.gp.pk, world.steering.pk, deal.pk, care.pk, line.pk]
    records += [seat.pk] if seat else []
    return {
        "programme_id": [world.a.pk, world.b.pk, 999_999],
        "record_id": [*records, world.b_person.pk, world.b_group.pk, 999_999],
        "agreement_id": [deal.pk, 999_999],
        "run_id": [999_999],
    }


@pytest.fixture
def session(world: World) -> dict[str, Any]:
    client = Client()
    client.force_login(world.director)
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF},
        "headers": {"X-CSRFToken": CSRF},
        "ids": _ids(world),
    }


@pytest.mark.parametrize("label", _operations())
def test_api_answers_as_documented(label: str, session: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers(case: Any) -> None:
        for name, value in list((case.path_parameters or {}).items()):
            choices = session["ids"].get(name)
            if choices and isinstance(value, int):
                case.path_parameters[name] = choices[value % len(choices)]
        # a case whose negative part is the log-in cookie itself goes as generated, to be
        # turned away; every other case is the signed-in director's
        signed_in = case.meta is None or not case.meta.is_negative_at(ParameterLocation.COOKIE)
        case.call_and_validate(
            headers=session["headers"],
            cookies=session["cookies"] if signed_in else {},
            checks=CHECKS,
        )

    answers()


def test_the_director_really_is_signed_in(world: World, session: dict[str, Any]) -> None:
    """Guards the test above: its requests are authenticated, not all turned away with 401."""
    client = Client()
    client.cookies.load(session["cookies"])
    response = client.get("/api/v1/programmes")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["Alpha"]
    assert get_user_model().objects.filter(pk=world.director.pk).exists()


def test_clearing_a_text_with_null_empties_it_and_a_null_name_is_refused(world: World) -> None:
    """Found by the generated requests above: a null text used to crash with a server error."""
    client = Client()
    client.force_login(world.director)
    url = f"/api/v1/programmes/{world.a.pk}"
    response = client.patch(url, {"governance_style": None}, content_type="application/json")
    assert response.status_code == 200 and response.json()["governance_style"] == ""
    for field in ("name", "region"):
        response = client.patch(url, {field: None}, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", field]


def test_every_endpoint_rejects_other_programmes_objects(world: World) -> None:
    """Each path with a record id in the OpenAPI document, tried with another programme's record.

    The director of A asks through A for a record of a demo programme, and through the demo
    programme itself; every method answers 404 and nothing changes.
    """
    load_demo(with_population=False)
    outside = Programme.objects.get(name__icontains="Ruwaard")
    dataset = Dataset.objects.create(programme=outside, name="Elders", kind="upload", folder="x")
    RegiobeeldRun.objects.create(programme=outside, dataset=dataset, status="done", result={})
    client = Client()
    client.force_login(world.director)
    headers = {"HTTP_X_CSRFTOKEN": CSRF}
    client.cookies["csrftoken"] = CSRF
    ids = {"agreement_id": Agreement, "run_id": RegiobeeldRun}
    tried = 0
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "{programme_id}" not in path:
            continue
        slug = path.split("/")[5] if path.count("/") >= 5 else ""
        resource = RESOURCES.get(slug)
        model = resource.model if resource and "{record_id}" in path else None
        for name, kind in ids.items():
            if "{" + name + "}" in path:
                model = kind
        if model is None:
            continue
        record = model.objects.filter(programme=outside).order_by("pk").first()
        assert record is not None, f"the demo has no {model.__name__} to try {path} with"
        before = model.objects.count()
        body = {}  # a valid body: the record's own fields, so only the ownership check can refuse
        if resource is not None and model is resource.model:
            body = serialise(resource, record, contact=True)
            body.pop("id"), body.pop("programme")
        for programme in (world.a, outside):
            url = path.replace("{programme_id}", str(programme.pk))
            for name in ("{record_id}", "{agreement_id}", "{run_id}"):
                url = url.replace(name, str(record.pk))
            for method in operations:
                data = body if method in ("put", "patch", "post") else None
                response = getattr(client, method)(
                    url, data, content_type="application/json", **headers
                )
                assert response.status_code == 404, (method, url, response.content[:300])
                tried += 1
        assert model.objects.count() == before and model.objects.filter(pk=record.pk).exists()
    assert tried >= 100


def test_text_with_nul_characters_is_refused_by_field(world: World) -> None:
    """Found by the generated requests on PostgreSQL, which cannot store NUL characters."""
    client = Client()
    client.force_login(world.director)
    response = client.post(
        "/api/v1/programmes", {"name": "A\x00", "region": "R"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    response = client.post(
        "/api/v1/programmes", {"name": "A", "region": "R\x00"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "region"]
    response = client.patch(
        f"/api/v1/programmes/{world.a.pk}/organisations/{world.hospital.pk}",
        {"place": "Oss\x00"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "place"]
    assert Programme.objects.filter(name__startswith="A").count() == 1  # only Alpha
