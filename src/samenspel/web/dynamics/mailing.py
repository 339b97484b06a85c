"""Survey invitations and reminders by e-mail, in each person's language.

The regisseur may edit each wave's subject and text per language; ``{name}``, ``{programme}``,
``{wave}`` and ``{link}`` are filled in per person. Every message ends with an opt-out link.
Addresses that fail are recorded by name while the others still go out.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import string
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Invitation, SurveyWave

log = logging.getLogger(__name__)

PLACEHOLDERS = ("name", "programme", "wave", "link")
# Reminders stop after this many, however long a wave stays open.
MAX_REMINDERS = 2


def default_subject(language: str) -> str:
    with translation.override(language):
        return _("Your view on the collaboration in {programme}")


def default_body(language: str) -> str:
    with translation.override(language):
        return _(
            "Dear {name},\n\n"
            "You take part in {programme}. In the survey “{wave}” we ask with whom you work "
            "and how that collaboration goes. It takes about ten minutes and works on a phone. "
            "You can stop and continue later with the same link.\n\n"
            "Your personal link: {link}\n\n"
            "Nobody sees your individual answers; only totals over several people are shown.\n\n"
            "Thank you!"
        )


def check_template(text: str, *, needs_link: bool) -> None:
    """Refuse a text with a placeholder we do not fill, or (for the body) without ``{link}``."""
    try:
        used = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError as exc:
        raise ValidationError(
            _("Unmatched { or } in the text; write {{ or }} for a brace itself.")
        ) from exc
    unknown = sorted(used - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s; you can use %(known)s.")
            % {
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "known": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
            }
        )
    if needs_link and "link" not in used:
        raise ValidationError(_("The text must contain {link}, the personal survey link."))


def survey_link(invitation: Invitation) -> str:
    return f"{settings.SAMENSPEL_SITE_URL}/s/{invitation.token}/"


def compose(invitation: Invitation, *, reminder: bool) -> EmailMessage:
    """The invitation (or reminder) for one person, in their language."""
    wave, person = invitation.wave, invitation.person
    language = person.language if person.language in ("nl", "en") else "nl"
    subject = getattr(wave, f"subject_{language}") or default_subject(language)
    body = getattr(wave, f"body_{language}") or default_body(language)
    values = {
        "name": person.name,
        "programme": invitation.programme.name,
        "wave": wave.name,
        "link": survey_link(invitation),
    }
    opt_out = f"{survey_link(invitation)}opt-out/"
    with translation.override(language):
        subject = subject.format(**values)
        if reminder:
            subject = _("Reminder: %(subject)s") % {"subject": subject}
        text = body.format(**values)
        if reminder:
            text = _("A reminder: we have not yet received your answers.") + "\n\n" + text
        text += "\n\n-- \n" + _("No more mail about this survey? %(url)s") % {"url": opt_out}
    return EmailMessage(
        subject=subject,
        body=text,
        to=[person.email],
        headers={"List-Unsubscribe": f"<{opt_out}>"},
    )


@dataclass
class SendReport:
    """What one round of sending did: names sent to, and names with the reason they failed."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def failure_text(code: str, address: str) -> str:
    """The reason a mail failed, in the reader's language (stored as a code, since the worker
    that sends has no reader)."""
    texts = {
        "no_address": _("no e-mail address"),
        "invalid": _("invalid e-mail address “%(address)s”") % {"address": address},
        "refused": _("the mail server refused this address"),
        "unreachable": _("the mail server could not be reached"),
    }
    return texts.get(code, _("the mail server did not accept the message"))


def due(wave: SurveyWave, now: dt.datetime) -> tuple[QuerySet[Invitation], QuerySet[Invitation]]:
    """(invitations to send, reminders to send) for ``wave`` at ``now``."""
    waiting = wave.invitations.filter(submitted_at__isnull=True, opted_out_at__isnull=True)
    if wave.is_closed or wave.send_at is None or wave.send_at > now:
        return waiting.none(), waiting.none()
    invitations = waiting.filter(sent_at__isnull=True, mail_error="")
    if not wave.reminder_days:
        return invitations, waiting.none()
    cutoff = now - dt.timedelta(days=wave.reminder_days)
    reminders = waiting.filter(sent_at__lte=cutoff, reminders_sent__lt=MAX_REMINDERS).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff)
    )
    return invitations, reminders


def send_due(*, wave: SurveyWave, now: dt.datetime | None = None) -> SendReport:
    """Send the invitations and reminders of ``wave`` that are due; nobody who submitted or
    opted out gets one. A failed address is recorded and does not stop the others."""
    now = now or timezone.now()
    invitations, reminders = due(wave, now)
    report = SendReport()
    batches = [(False, list(invitations.select_related("person", "programme", "wave")))]
    batches.append((True, list(reminders.select_related("person", "programme", "wave"))))
    if not any(batch for _r, batch in batches):
        return report
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        # nobody was mailed: each is listed, and tried again when the director sends again
        log.warning("the mail server could not be reached: %s", exc)
        for _reminder, batch in batches:
            for invitation in batch:
                report.failed.append((invitation.person.name, failure_text("unreachable", "")))
                Invitation.objects.filter(pk=invitation.pk).update(mail_error="unreachable")
        return report
    try:
        for reminder, batch in batches:
            for invitation in batch:
                _send_one(connection, invitation, reminder=reminder, now=now, report=report)
    finally:
        connection.close()
    return report


def _send_one(
    connection: object, invitation: Invitation, *, reminder: bool, now: dt.datetime,
    report: SendReport,
) -> None:  # fmt: skip
    name, address = invitation.person.name, invitation.person.email
    error = ""
    try:
        validate_email(address)
    except ValidationError:
        error = "invalid" if address else "no_address"
    if not error:
        try:
            connection.send_messages([compose(invitation, reminder=reminder)])  # type: ignore[attr-defined]
        except smtplib.SMTPRecipientsRefused:
            error = "refused"
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("mail to invitation %s failed: %s", invitation.pk, exc)
            error = "not_accepted"
    if error:
        report.failed.append((name, failure_text(error, address)))
        Invitation.objects.filter(pk=invitation.pk).update(mail_error=error)
        return
    report.sent.append(name)
    if reminder:
        Invitation.objects.filter(pk=invitation.pk).update(
            reminded_at=now, reminders_sent=invitation.reminders_sent + 1
        )
    else:
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=now, mail_error="")
