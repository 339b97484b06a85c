"""The audit log after each write a director makes through the pages: every entry names the
user, the programme and what was acted on (NEN 7513: who did what, when, to which record)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from samenspel.analytics.population.synthetic_vektis import synthetic_vektis
from samenspel.web.core.accounts.models import AuditEvent
from samenspel.web.dynamics.models import SurveyWave
from samenspel.web.monitoring.models import Dataset, OpenDataFile, RegiobeeldRun

from .conftest import World


def _last(world: World) -> AuditEvent:
    event = AuditEvent.objects.filter(programme=world.a).order_by("-pk").first()
    assert event is not None
    return event


def _logged(world: World, action: str, target: str) -> None:
    event = _last(world)
    assert (event.action, event.user_id) == (action, world.director.pk)
    assert target in event.target, (event.target, target)


def test_every_write_is_on_record_with_its_user(world: World) -> None:
    director = world.client_for(world.director)
    base = f"/p/{world.a.pk}"

    director.post(f"{base}/waves/", {"name": "Voorjaar", "min_respondents": "4"})
    wave = SurveyWave.objects.get(name="Voorjaar")
    _logged(world, "survey wave opened", f"wave {wave.pk} Voorjaar (minimum 4)")
    director.post(f"{base}/waves/{wave.pk}/close/")
    _logged(world, "survey wave closed", f"wave {wave.pk} Voorjaar")

    director.post(f"{base}/population/", {"action": "areas", "areas": "Helmond\nDeurne"})
    _logged(world, "region areas set", "GM0794")
    vektis = SimpleUploadedFile("vektis-2022.csv", synthetic_vektis(2022))
    director.post(f"{base}/population/", {"action": "opendata", "kind": "vektis", "file": vektis})
    file = OpenDataFile.objects.get(programme=world.a)
    _logged(world, "open data added", f"file {file.pk} vektis-2022.csv")
    director.post(f"{base}/population/open-data/{file.pk}/delete/")
    _logged(world, "open data deleted", f"file {file.pk}")

    director.post(
        f"{base}/population/",
        {"action": "synthetic", "name": "Proef", "persons": "50", "seed": "1"},
    )
    dataset = Dataset.objects.get(programme=world.a)
    _logged(world, "dataset added", f"dataset {dataset.pk} Proef")
    director.post(f"{base}/population/datasets/{dataset.pk}/run/", {"engine": "duckdb"})
    run = RegiobeeldRun.objects.get(programme=world.a)
    target = f"run {run.pk} on dataset {dataset.pk} (duckdb, exact)"
    _logged(world, "regiobeeld run started", target)
    director.post(f"{base}/population/datasets/{dataset.pk}/delete/")
    _logged(world, "dataset deleted", f"dataset {dataset.pk} Proef")

    assert not AuditEvent.objects.filter(programme=world.a, user__isnull=True).exists()


def test_a_refused_write_leaves_no_entry(world: World) -> None:
    """A partner may not open a wave, a viewer not add data: nothing happens, nothing is logged."""
    before = AuditEvent.objects.count()
    partner = world.client_for(world.partner)
    assert partner.post(f"/p/{world.a.pk}/waves/", {"name": "X"}).status_code == 403
    response = world.client_for(world.viewer).post(
        f"/p/{world.a.pk}/population/", {"action": "synthetic", "name": "X", "persons": "5"}
    )
    assert response.status_code == 403
    for persons in ("NaN", "1e9", "-5", "9" * 30):  # the director's mistyped form: an error
        response = world.client_for(world.director).post(
            f"/p/{world.a.pk}/population/",
            {"action": "synthetic", "name": "X", "persons": persons},
        )
        assert response.status_code == 200
        assert "Vul een heel getal in" in response.content.decode()
    assert AuditEvent.objects.count() == before
    assert not SurveyWave.objects.exists() and not Dataset.objects.exists()


def test_a_bad_role_grant_is_refused_in_words_and_leaves_nothing(world: World) -> None:
    """An unknown user, another programme's organisation, an id beyond any database, or signing
    rights for a viewer: a translated error on the field, no role, no log entry."""
    from samenspel.web.core.accounts.models import ProgrammeRole
    from samenspel.web.core.models import Organisation

    elsewhere = Organisation.objects.filter(programme=world.b).first()
    assert elsewhere is not None
    before = (ProgrammeRole.objects.count(), AuditEvent.objects.count())
    director = world.client_for(world.director)
    for data, expected in (
        ({"username": "nobody", "role": "viewer"}, "Geen gebruiker met deze gebruikersnaam"),
        ({"username": "out", "role": "partner", "organisation": elsewhere.pk}, "geldige keuze"),
        ({"username": "out", "role": "partner", "organisation": 2**63}, "geldige keuze"),
        ({"username": "out", "role": "viewer", "signs_agreements": "on"}, "Alleen een partnerlid"),
    ):
        response = director.post(f"/p/{world.a.pk}/roles/", data)
        assert response.status_code == 200, data
        assert expected in response.content.decode(), data
    assert (ProgrammeRole.objects.count(), AuditEvent.objects.count()) == before
