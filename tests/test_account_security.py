"""Accounts: two-factor log-in for directors and staff, a session that ends when idle, a
Content-Security-Policy without inline scripts, and a removed role that stops at once."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samenspel.web.core.accounts.models import ProgrammeRole

from .conftest import Inbox, World

PASSWORD = "x-very-secret-9"


@pytest.fixture
def required(settings: object) -> None:
    settings.SAMENSPEL_2FA_REQUIRED = True  # type: ignore[attr-defined]


def _log_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _link(inbox: Inbox) -> str:
    """The path of the one-time set-up link in the last mail."""
    mail = message_from_bytes(inbox.messages[-1])
    body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    url = urlsplit(re.search(r"https://samenspel\.example\S+", body).group(0))  # type: ignore[union-attr]
    return f"{url.path}?{url.query}" if url.query else url.path


def test_a_director_must_set_up_two_factor_before_anything(
    world: World, required: None, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    world.director.email = "dirk@alpha.example"
    world.director.save()
    client = _log_in("dir")
    response = client.get(f"/p/{world.a.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/setup/?next=/p/")
    assert client.get("/api/v1/programmes").status_code == 403
    setup = response["Location"]
    page = client.get(setup)
    assert b"<svg" not in page.content  # the password alone shows no code to scan ...
    assert "d•••@alpha.example" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=world.director).exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(setup, {"next": f"/p/{world.a.pk}/"})
    assert "We hebben een link gestuurd" in sent.content.decode()
    mail = message_from_bytes(smtp.messages[-1])
    assert mail["To"] == "dirk@alpha.example"  # ... it goes to the account's own address
    link = _link(smtp)
    # someone else's session cannot use it
    assert _log_in("par").get(link).status_code == 410
    opened = client.get(link)
    assert opened.status_code == 302 and opened["Location"].startswith("/accounts/2fa/setup/")
    assert client.get(link).status_code == 410  # once
    page = client.get(setup)
    assert b"<svg" in page.content  # the QR code to scan
    device = TOTPDevice.objects.get(user=world.director, confirmed=False)
    wrong = client.post(setup, {"code": "000000"})
    assert wrong.status_code == 200 and "niet juist" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second (throttling)
    done = client.post(setup, {"code": _code(device), "next": f"/p/{world.a.pk}/"})
    assert done.status_code == 302 and done["Location"] == f"/p/{world.a.pk}/"
    assert client.get(f"/p/{world.a.pk}/").status_code == 200
    assert client.get("/api/v1/programmes").status_code == 200
    # a second enrolment: nothing to set up, no new device, no mail
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/accounts/2fa/setup/")
    assert "staat aan" in again.content.decode()
    assert TOTPDevice.objects.filter(user=world.director).count() == 1
    assert len(smtp.messages) == 1


def test_a_set_up_link_is_refused_when_forged_replaced_or_without_an_address(
    world: World, required: None, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    client = _log_in("dir")
    page = client.post("/accounts/2fa/setup/")  # no address on the account: nothing is sent
    assert "geen e-mailadres" in page.content.decode()
    assert not TOTPDevice.objects.exists() and not smtp.messages
    world.director.email = "dirk@alpha.example"
    world.director.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/setup/")
    first = _link(smtp)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/setup/")  # a new link replaces the first
    second = _link(smtp)
    assert client.get(first).status_code == 410
    for forged in (second[:-3] + "abc/", "/accounts/2fa/link/x/", "/accounts/2fa/link/W10:1:2/"):
        assert client.get(forged).status_code == 410, forged
    assert "werkt niet meer" in client.get(first).content.decode()
    assert client.get(second).status_code == 302


def test_the_next_log_in_asks_for_a_code(world: World, required: None) -> None:
    device = TOTPDevice.objects.create(user=world.director, name="phone", confirmed=True)
    client = _log_in("dir")
    response = client.get("/")
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert client.post("/accounts/2fa/verify/", {"code": "123456"}).status_code == 200
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    ok = client.post("/accounts/2fa/verify/", {"code": _code(device), "next": "//evil.example/"})
    assert ok.status_code == 302 and ok["Location"] == "/"  # no open redirect
    assert client.get("/").status_code == 200


def test_staff_must_and_others_may(world: World, required: None) -> None:
    staff = get_user_model().objects.create_user("staff", password=PASSWORD, is_staff=True)
    assert _log_in(staff.username).get("/admin/")["Location"].startswith("/accounts/2fa/setup/")
    partner = _log_in("par")
    assert partner.get(f"/p/{world.a.pk}/").status_code == 200  # optional for partners
    assert partner.get("/accounts/2fa/setup/").status_code == 200


def test_without_the_requirement_the_demo_logs_in_with_a_password(world: World) -> None:
    assert _log_in("dir").get(f"/p/{world.a.pk}/").status_code == 200


def test_an_idle_session_ends(world: World, settings: object) -> None:
    settings.SESSION_COOKIE_AGE = 15 * 60  # type: ignore[attr-defined]
    client = _log_in("vie")
    assert client.get(f"/p/{world.a.pk}/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + dt.timedelta(minutes=15, seconds=5)
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)  # 15 idle minutes later
    session.save()
    response = client.get(f"/p/{world.a.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_used_session_stays_open_without_a_write_on_every_page(
    world: World, settings: object
) -> None:
    settings.SESSION_COOKIE_AGE = 15 * 60  # type: ignore[attr-defined]
    client = _log_in("vie")
    key = client.session.session_key
    client.get(f"/p/{world.a.pk}/")
    first = Session.objects.get(session_key=key).expire_date
    for _ in range(3):  # pages within the minute: the session row is not written again
        assert client.get(f"/p/{world.a.pk}/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == first
    session = client.session  # a minute later, the next page moves the end of the session
    session["_refreshed"] = int(session["_refreshed"]) - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=first - dt.timedelta(minutes=1))
    assert client.get(f"/p/{world.a.pk}/").status_code == 200
    moved = Session.objects.get(session_key=key).expire_date
    assert moved >= timezone.now() + dt.timedelta(minutes=14)


def test_content_security_policy_allows_no_inline_script(world: World) -> None:
    response = world.client_for(world.director).get(f"/p/{world.a.pk}/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["default-src"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert b"<script>" not in response.content and b"onclick=" not in response.content


def test_a_removed_member_loses_access_on_the_next_request(world: World) -> None:
    partner = world.client_for(world.partner)
    assert partner.get(f"/p/{world.a.pk}/").status_code == 200
    grant = ProgrammeRole.objects.get(user=world.partner, programme=world.a)
    director = world.client_for(world.director)
    response = director.post(f"/p/{world.a.pk}/roles/{grant.pk}/remove/")
    assert response.status_code == 302
    assert partner.get(f"/p/{world.a.pk}/").status_code == 404
    assert partner.get(f"/api/v1/programmes/{world.a.pk}").status_code == 404
    assert partner.get(f"/p/{world.a.pk}/report.pdf").status_code == 404
