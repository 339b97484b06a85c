"""Survey invitations and reminders sent by the app through a real SMTP server on 127.0.0.1:
each person gets their own link in their own language, failed addresses are named while the
others still go out, reminders run on the task queue and skip everyone who submitted."""

from __future__ import annotations

import datetime as dt
import re
import socket
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.dynamics.mailing import send_due
from samenspel.web.dynamics.models import SurveyWave
from samenspel.web.dynamics.services import open_wave

from .conftest import Inbox, World
from .test_dynamics_web import ANSWER

SMTP = "django.core.mail.backends.smtp.EmailBackend"
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The worker closes a database connection that is inside a transaction (on PostgreSQL), as a
# long-running worker should: these tests commit for real, as the web app and worker do.
QUEUE_TEST = pytest.mark.django_db(transaction=True)


def _mails(inbox: Inbox) -> list[Message]:
    return [message_from_bytes(m) for m in inbox.messages]


def _body(mail: Message) -> str:
    return mail.get_payload(decode=True).decode()  # type: ignore[union-attr]


def _addresses(world: World) -> None:
    for person, address, language in (
        (world.exec_h, "eva@hospital.example", "nl"),
        (world.exec_m, "mark@town.example", "en"),
        (world.gp, "gerrit@gp.example", "nl"),
        (world.resident, "rita@home.example", "nl"),
    ):
        person.email, person.language = address, language
        person.save()


def _send(
    world: World, wave: SurveyWave, capture: Callable[..., Any], **data: str
) -> Any:
    director = world.client_for(world.director)
    with capture(execute=True):
        return director.post(
            f"/p/{world.a.pk}/waves/{wave.pk}/",
            {"reminder_days": "7", "send": "1", **data},
            follow=True,
        )


@pytest.fixture
def wave(world: World) -> SurveyWave:
    _addresses(world)
    _, role = get_programme_for(world.director, world.a.pk)
    return open_wave(role=role, name="Voorjaar")


def test_each_person_gets_their_own_link_in_their_language(
    world: World, wave: SurveyWave, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    response = _send(world, wave, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    mails = {m["To"]: m for m in _mails(smtp)}
    assert set(mails) == {
        "eva@hospital.example", "mark@town.example", "gerrit@gp.example", "rita@home.example"
    }  # fmt: skip
    for invitation in wave.invitations.select_related("person"):
        mail = mails[invitation.person.email]
        body = _body(mail)
        link = f"https://samenspel.example/s/{invitation.token}/"
        assert link in body and invitation.person.name in body
        assert f"{link}opt-out/" in body
        assert "".join(mail["List-Unsubscribe"].split()) == f"<{link}opt-out/>"
        # nobody's mail carries another person's link
        assert len(re.findall(r"/s/[\w-]+/", body)) == 2
    assert mails["mark@town.example"]["Subject"] == "Your view on the collaboration in Alpha"
    assert mails["eva@hospital.example"]["Subject"] == "Uw kijk op de samenwerking in Alpha"
    assert wave.invitations.filter(sent_at__isnull=False).count() == 4
    # sending again mails nobody twice
    _send(world, wave, django_capture_on_commit_callbacks)
    assert len(smtp.messages) == 4


def test_edited_texts_are_used_and_bad_placeholders_refused(
    world: World, wave: SurveyWave, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    response = _send(
        world, wave, django_capture_on_commit_callbacks,
        subject_nl="Meetronde {wave}", body_nl="Beste {naam}, {link}",
    )  # fmt: skip
    assert "{naam}" in response.content.decode() and not smtp.messages
    _send(
        world, wave, django_capture_on_commit_callbacks,
        subject_nl="Meetronde {wave}", body_nl="Beste {name}, vul in: {link}",
    )  # fmt: skip
    eva = next(m for m in _mails(smtp) if m["To"] == "eva@hospital.example")
    assert eva["Subject"] == "Meetronde Voorjaar"
    assert _body(eva).startswith("Beste Eva Exec, vul in: https://samenspel.example/s/")
    response = _send(world, wave, django_capture_on_commit_callbacks, body_en="No link here")
    assert "{link}" in response.content.decode()
    # a format string cannot reach into Python objects
    attack = "{name.__class__.__init__.__globals__} {link}"
    response = _send(world, wave, django_capture_on_commit_callbacks, body_nl=attack)
    assert "Onbekende invulplek" in response.content.decode()
    wave.refresh_from_db()
    assert "__globals__" not in wave.body_nl


def test_failed_addresses_are_named_while_the_others_go_out(
    world: World, wave: SurveyWave, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    world.gp.email = ""
    world.gp.save()
    world.resident.email = "rita@refuse.example"
    world.resident.save()
    # an address no form accepts, as an old import may have stored it
    type(world.exec_m).objects.filter(pk=world.exec_m.pk).update(email="mark@")
    _send(world, wave, django_capture_on_commit_callbacks)
    assert [m["To"] for m in _mails(smtp)] == ["eva@hospital.example"]
    page = world.client_for(world.director).get(f"/p/{world.a.pk}/waves/{wave.pk}/")
    page = page.content.decode()
    assert "Gerrit GP: geen e-mailadres" in page
    assert "Mark Mayor: ongeldig e-mailadres “mark@”" in page
    assert "Rita Resident: de mailserver weigerde dit adres" in page
    assert "550" not in page and "Traceback" not in page


@QUEUE_TEST
def test_a_later_time_waits_on_the_queue(
    world: World, wave: SurveyWave, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    later = timezone.localtime() + dt.timedelta(days=2)
    with override_settings(TASKS=DB_QUEUE):
        assert default_task_backend.supports_defer
        _send(world, wave, django_capture_on_commit_callbacks,
              send_at=later.strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        assert not smtp.messages  # not yet
        queued = DBTaskResult.objects.get(status="READY")
        assert abs(queued.run_after - later) < dt.timedelta(minutes=1)


@QUEUE_TEST
def test_reminders_run_on_the_queue_and_skip_who_submitted(
    world: World, wave: SurveyWave, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with override_settings(TASKS=DB_QUEUE):
        _send(world, wave, django_capture_on_commit_callbacks)
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        assert len(smtp.messages) == 4
        # the worker queued the reminder round 7 days ahead
        reminder = DBTaskResult.objects.get(status="READY")
        assert reminder.run_after - timezone.now() > dt.timedelta(days=6, hours=23)
        # Eva submits, Mark opts out; then 8 days pass
        eva = wave.invitations.get(person=world.exec_h)
        data = {f"works_{world.gp.pk}": "1", "submit": "1"}
        data.update({f"{k}_{world.gp.pk}": v for k, v in ANSWER.items()})
        assert Client().post(f"/s/{eva.token}/", data).status_code == 302
        mark = wave.invitations.get(person=world.exec_m)
        assert "Stop" in Client(HTTP_COOKIE="django_language=en").get(
            f"/s/{mark.token}/opt-out/"
        ).content.decode()
        Client().post(f"/s/{mark.token}/opt-out/")
        eight_days_ago = timezone.now() - dt.timedelta(days=8)
        wave.invitations.update(sent_at=eight_days_ago)
        DBTaskResult.objects.filter(pk=reminder.pk).update(run_after=timezone.now())
        smtp.messages.clear()
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    reminded = sorted(m["To"] for m in _mails(smtp))
    assert reminded == ["gerrit@gp.example", "rita@home.example"]
    assert all(m["Subject"].startswith("Herinnering: ") for m in _mails(smtp))
    # a reminder is not repeated within the period, and stops after two
    wave.refresh_from_db()
    assert not send_due(wave=wave).sent
    later = timezone.now() + dt.timedelta(days=8)
    assert sorted(send_due(wave=wave, now=later).sent) == ["Gerrit GP", "Rita Resident"]
    assert not send_due(wave=wave, now=later + dt.timedelta(days=8)).sent


def test_only_the_director_sends(world: World, wave: SurveyWave, smtp: Inbox) -> None:
    for user in (world.partner, world.viewer):
        response = world.client_for(user).post(
            f"/p/{world.a.pk}/waves/{wave.pk}/", {"reminder_days": "7", "send": "1"}
        )
        assert response.status_code == 403
    outsider = world.client_for(world.outsider).get(f"/p/{world.a.pk}/waves/{wave.pk}/")
    assert outsider.status_code == 404
    assert not smtp.messages and settings.EMAIL_BACKEND == SMTP


def test_response_rate_per_group_counts_who_answered(
    world: World, wave: SurveyWave
) -> None:
    eva = wave.invitations.get(person=world.exec_h)
    data = {"nobody": "1", "step": "choose"}
    Client().post(f"/s/{eva.token}/", data)
    Client().post(f"/s/{eva.token}/", {"step": "review", "submit": "1"})
    page = world.client_for(world.viewer).get(f"/p/{world.a.pk}/waves/{wave.pk}/?part=response")
    rates = page.context["rates"]
    assert ("Hospital A", 2, 1) in rates["organisation"]
    assert ("Town A", 1, 0) in rates["organisation"]
    assert page.context["submitted"] == 1 and page.context["invited"] == 4
    assert page.context["mail"] is None  # mail status is the director's


def test_an_unreachable_mail_server_is_reported_and_retried(
    world: World, wave: SurveyWave, inbox: tuple[Inbox, int],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    handler, port = inbox
    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        closed = int(sock.getsockname()[1])
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed):
        _send(world, wave, django_capture_on_commit_callbacks)
    page = world.client_for(world.director).get(f"/p/{world.a.pk}/waves/{wave.pk}/")
    assert "Eva Exec: de mailserver was niet bereikbaar" in page.content.decode()
    assert not wave.invitations.filter(sent_at__isnull=False).exists()
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port):
        _send(world, wave, django_capture_on_commit_callbacks)  # sent again, now it works
    assert len(handler.messages) == 4


def test_the_mail_command_can_keep_to_one_programme(
    world: World, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    """`samenspel mail --programme ID` sends what is due for that programme only; an unknown id
    is refused by name and sends nothing."""
    from typer.testing import CliRunner

    from samenspel.cli.main import app

    _addresses(world)
    b_role = ProgrammeRole.objects.get(user=world.outsider, programme=world.b)
    world.b_person.email = "secret@b.example"
    world.b_person.save()
    waves = []
    for role in (get_programme_for(world.director, world.a.pk)[1], b_role):
        wave = open_wave(role=role, name="Due")
        wave.send_at = timezone.now() - dt.timedelta(minutes=1)
        wave.save()
        waves.append(wave)
    refused = CliRunner().invoke(app, ["mail", "--programme", "999999"])
    assert refused.exit_code == 2 and "999999" in refused.output and not smtp.messages
    done = CliRunner().invoke(app, ["mail", "--programme", str(world.b.pk)])
    assert done.exit_code == 0, done.output
    assert [m["To"] for m in _mails(smtp)] == ["secret@b.example"]
