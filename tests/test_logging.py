"""Every server error reaches the log with its traceback and request id, and optionally the
administrators' mailbox (a real SMTP server on 127.0.0.1), without tokens, passwords or answers."""

from __future__ import annotations

import logging.config
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from samenspel.web.config.logs import logging_config, redact
from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.dynamics import views as dynamics_views
from samenspel.web.dynamics.services import open_wave

from .conftest import Inbox, World


def _boom(*args: object, **kwargs: object) -> int:
    raise RuntimeError("boom in the survey")


def test_a_server_error_is_logged_and_mailed_without_secrets(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    log = tmp_path / "samenspel.log"
    monkeypatch.setattr(settings, "ADMINS", [("Beheer", "beheer@example.org")])
    monkeypatch.setattr(settings, "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setattr(settings, "EMAIL_HOST", "127.0.0.1")
    monkeypatch.setattr(settings, "EMAIL_PORT", port)
    logging.config.dictConfig(logging_config(level="INFO", file=str(log), mail_admins=True))
    try:
        _, role = get_programme_for(world.director, world.a.pk)
        invitation = open_wave(role=role, name="Wave").invitations.get(person=world.gp)
        monkeypatch.setattr(dynamics_views.services, "save_draft", _boom)
        client = Client(raise_request_exception=False)
        response = client.post(
            f"/s/{invitation.token}/?password=hunter2-in-query",
            {f"works_{world.exec_m.pk}": "1", f"trust_mission_{world.exec_m.pk}": "4",
             "password": "hunter2-in-body", "submit": "1"},
        )  # fmt: skip
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    page = response.content.decode()
    assert request_id in page and "Er ging iets mis" in page  # translated, with the code
    text = log.read_text()
    assert f"ERROR [{request_id}] django.request" in text
    assert "Traceback" in text and "RuntimeError: boom in the survey" in text
    assert len(handler.messages) == 1
    mail = message_from_bytes(handler.messages[0])
    body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "boom in the survey" in body
    for secret in (invitation.token, "hunter2", f"trust_mission_{world.exec_m.pk}"):
        assert secret not in text, secret
        assert secret not in body and secret not in str(mail["Subject"]), secret


def test_redaction_of_tokens_and_secret_query_values() -> None:
    assert redact("GET /s/AbC_dEf-123456789/ 500") == "GET /s/[token]/ 500"
    assert redact("/x/?password=abc&token=xyz&page=2") == (
        "/x/?password=[redacted]&token=[redacted]&page=2"
    )
