"""Mail about an account's rights, sent by the worker: a new signatory for an organisation
(to that organisation's other signatories) and the link that lets a user set up two-factor
log-in (to the account's own address)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ProgrammeRole


def display_name(user: object) -> str:
    """A user as people know them: their full name, else their log-in name."""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))


@task()
def mail_new_signatory(grant_id: int, director_id: int, language: str) -> int:
    """Tell the organisation's other signatories in the programme who may now sign beside
    them; returns how many were told. A grant withdrawn before the worker runs tells nobody."""
    grant = (
        ProgrammeRole.objects.select_related("user", "programme", "organisation")
        .filter(pk=grant_id, signs_agreements=True)
        .first()
    )
    if grant is None or grant.organisation is None:
        return 0
    others = (
        ProgrammeRole.objects.filter(
            programme=grant.programme, organisation=grant.organisation, signs_agreements=True
        )
        .exclude(pk=grant.pk)
        .exclude(user__email="")
        .select_related("user")
    )
    director = get_user_model().objects.filter(pk=director_id).first()
    with translation.override(language):
        subject = _("New signatory for %(organisation)s in %(programme)s") % {
            "organisation": grant.organisation.name,
            "programme": grant.programme.name,
        }
        body = _(
            "%(director)s has given %(person)s the right to approve or reject agreements on "
            "behalf of %(organisation)s in %(programme)s, from %(since)s.\n\n"
            "You receive this because you sign for %(organisation)s too. If this is not "
            "right, contact the programme director. Each agreement's approval lists everyone who "
            "may sign, and since when: %(url)s\n"
        ) % {
            "director": display_name(director) if director else _("The programme director"),
            "person": display_name(grant.user),
            "organisation": grant.organisation.name,
            "programme": grant.programme.name,
            "since": formats.date_format(
                timezone.localtime(grant.signs_since or timezone.now()), "DATETIME_FORMAT"
            ),
            "url": settings.SAMENSPEL_SITE_URL
            + reverse("programme", kwargs={"programme_id": grant.programme_id}),
        }
    messages = [EmailMessage(subject, body, to=[other.user.email]) for other in others]
    if messages:
        get_connection(fail_silently=False).send_messages(messages)
    return len(messages)


@task()
def mail_enrolment_link(user_id: int, link: str, language: str) -> bool:
    """Send the one-time link that opens the two-factor set-up; False if there is no address."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    with translation.override(language):
        subject = _("Set up two-factor log-in for Samenspel")
        body = _(
            "Hello %(name)s,\n\nSomeone signed in to Samenspel with your password and asked to "
            "set up two-factor log-in. If that was you, open this link in the same browser "
            "within an hour; it works once:\n\n%(link)s\n\nIf it was not you, do not open the "
            "link, change your password and tell the programme director.\n"
        ) % {"name": display_name(user), "link": link}
    EmailMessage(subject, body, to=[user.email]).send(fail_silently=False)
    return True
