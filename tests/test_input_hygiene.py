"""Bad input gets a clear, translated answer that names the field or row, shows no server path
or raw database message, and stores nothing."""

from __future__ import annotations

import json
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from samenspel.web.core.models import Organisation
from samenspel.web.finance.models import Agreement, MoneyLine
from samenspel.web.monitoring.models import Dataset

from .conftest import World
from .test_money_web import agreement  # noqa: F401  (fixture)
from .test_monitoring_web import _files


def _png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def test_a_picture_uploaded_as_population_data(world: World) -> None:
    files = _files()
    files["persons"] = SimpleUploadedFile("persons.csv", _png())
    client = world.client_for(world.director)
    response = client.post(f"/p/{world.a.pk}/population/", {"name": "Plaatje", **files})
    assert response.status_code == 200
    text = " ".join(response.context["problems"])
    assert "persons.csv" in text and "is het echt een CSV-bestand" in text
    page = response.content.decode()
    for leak in (str(settings.SAMENSPEL_DATASETS_DIR), "/tmp/", "incoming", "Error:", "duckdb"):
        assert leak not in page, leak
    assert not Dataset.objects.filter(programme=world.a).exists()


def test_twenty_thousand_bad_rows_give_a_short_answer(world: World) -> None:
    rows = "".join(f"Org {i},castle,care,region\n" for i in range(20_000))
    upload = SimpleUploadedFile("orgs.csv", ("name,kind,domain,level\n" + rows).encode())
    client = world.client_for(world.director)
    response = client.post(f"/p/{world.a.pk}/import/", {"kind": "organisations", "file": upload})
    assert response.status_code == 200
    assert len(response.context["problems"]) == 100
    assert response.context["problem_total"] == 20_000
    page = response.content.decode()
    assert "De eerste 100 van 20000 problemen" in page
    assert len(response.content) < 100_000  # before: 5.7 MB
    assert Organisation.objects.filter(programme=world.a).count() == 2


def test_uploads_above_the_limit_are_refused_by_name(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "SAMENSPEL_UPLOAD_LIMIT_MB", 1)
    big = SimpleUploadedFile("groot.csv", b"name,kind,domain,level\n" + b"x" * 1_200_000)
    client = world.client_for(world.director)
    response = client.post(f"/p/{world.a.pk}/import/", {"kind": "organisations", "file": big})
    assert response.status_code == 200
    assert "groot.csv is 1,1 MB" in response.content.decode() or "groot.csv is 1.1 MB" in (
        response.content.decode()
    )
    files = _files()
    files["care_events"] = SimpleUploadedFile("care_events.csv", b"x" * 1_200_000)
    response = client.post(f"/p/{world.a.pk}/population/", {"name": "Groot", **files})
    assert any("care_events.csv is" in p for p in response.context["problems"])
    assert not Dataset.objects.filter(programme=world.a).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"likely": NaN}', "likely"),
        ('{"likely": Infinity}', "likely"),
        ('{"likely": -Infinity}', "likely"),
        ('{"likely": "1e400"}', "likely"),
        ('{"likely": true}', "likely"),
        ('{"party": true}', "party"),
    ],
)
def test_api_refuses_non_numbers_naming_the_field(
    world: World,
    agreement: Agreement,  # noqa: F811
    body: str,
    field: str,
) -> None:
    base = {
        "intervention": agreement.interventions.get().pk,
        "kind": "cost",
        "party": world.hospital.pk,
        "stream": "other",
        "low": "1",
        "likely": "2",
        "high": "3",
        "years": "all",
    }
    payload = json.dumps(base)[:-1] + ", " + body[1:]  # the bad value overrides the good one
    before = MoneyLine.objects.count()
    response = world.client_for(world.director).post(
        f"/api/v1/programmes/{world.a.pk}/money-lines", payload, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in [d["loc"][-1] for d in response.json()["detail"]]
    assert MoneyLine.objects.count() == before


def test_api_refuses_a_boolean_as_a_whole_number(
    world: World,
    agreement: Agreement,  # noqa: F811
) -> None:
    response = world.client_for(world.director).patch(
        f"/api/v1/programmes/{world.a.pk}/agreements/{agreement.pk}",
        json.dumps({"horizon": True, "version": agreement.version}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "horizon"
    agreement.refresh_from_db()
    assert agreement.horizon == 3


def test_api_refuses_an_unknown_stage_and_keeps_links_on_null(world: World) -> None:
    """Found by the API fuzzer: an unknown initiative stage, and null for a list of links, each
    gave a server error."""
    from samenspel.web.core.models import Initiative, Interaction

    client = world.client_for(world.director)
    initiative = Initiative.objects.filter(programme=world.a).first()
    assert initiative is not None
    response = client.patch(
        f"/api/v1/programmes/{world.a.pk}/initiatives/{initiative.pk}",
        {"stage": "moonshot"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422) and "stage" in response.content.decode()
    meeting = Interaction.objects.filter(programme=world.a).first()
    assert meeting is not None
    before = set(meeting.participants.values_list("pk", flat=True))
    assert before
    response = client.patch(
        f"/api/v1/programmes/{world.a.pk}/interactions/{meeting.pk}",
        {"participants": None},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert set(meeting.participants.values_list("pk", flat=True)) == before


def test_api_refuses_an_id_too_large_for_the_database(world: World) -> None:
    """Found by the API fuzzer: an id beyond what a database key holds, in a list of links or a
    single link, gave a server error on SQLite."""
    from samenspel.web.core.models import Interaction, Person

    client = world.client_for(world.director)
    meeting = Interaction.objects.filter(programme=world.a).first()
    person = Person.objects.filter(programme=world.a).first()
    assert meeting is not None and person is not None
    before = set(meeting.participants.values_list("pk", flat=True))
    for url, body, field in (
        (f"interactions/{meeting.pk}", {"participants": [2**64]}, "participants"),
        (f"people/{person.pk}", {"organisation": 2**63}, "organisation"),
    ):
        response = client.patch(
            f"/api/v1/programmes/{world.a.pk}/{url}", body, content_type="application/json"
        )
        assert response.status_code == 422, response.content
        assert field in response.content.decode()
    assert set(meeting.participants.values_list("pk", flat=True)) == before


def test_a_programme_id_too_large_for_the_database_is_not_found(world: World) -> None:
    """Found by the API fuzzer: a programme id of 2^63 in the address gave a server error."""
    client = world.client_for(world.director)
    for big in (2**63, 2**64 + 7, 0):
        for url in (f"/api/v1/programmes/{big}", f"/api/v1/programmes/{big}/people",
                    f"/p/{big}/", f"/p/{big}/people/"):  # fmt: skip
            assert client.get(url).status_code == 404, url


def test_api_refuses_null_for_a_date_that_cannot_be_empty(world: World) -> None:
    """Found by the API fuzzer: null for an initiative's proposal date became an empty text, and
    comparing it with the next stage's date gave a server error."""
    from samenspel.web.core.models import Initiative

    initiative = Initiative.objects.filter(programme=world.a).first()
    assert initiative is not None
    before = initiative.proposed_on
    response = world.client_for(world.director).patch(
        f"/api/v1/programmes/{world.a.pk}/initiatives/{initiative.pk}",
        {"proposed_on": None, "pilot_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert "proposed_on" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.proposed_on == before
