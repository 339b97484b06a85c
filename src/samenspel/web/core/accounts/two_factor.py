"""Two-factor log-in with an authenticator app (TOTP, django-otp).

Programme directors and staff must use it when ``SAMENSPEL_2FA_REQUIRED`` is on (the production
default); everyone else may switch it on. Until the second step is done, every page sends the
user to set it up or to enter a code, and the API answers 403. Setting it up starts with a
one-time link mailed to the account's address, so a stolen password cannot enrol a device.
"""

from __future__ import annotations

import base64
import hashlib
import textwrap
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from . import notices
from .models import ProgrammeRole, Role

# Pages a user reaches before the second step: log-in and -out, these pages, the language
# switch, static files and the respondents' survey (which needs no account).
EXEMPT = ("/accounts/", "/i18n/", "/static/", "/s/", "/favicon", "/health/")
# The mailed link that opens the set-up: signed, for one hour, spent once opened.
ENROL_SALT = "samenspel.two-factor-enrolment"
ENROL_LINK_SECONDS = 3600
ENROL_SESSION_KEY = "two_factor_enrolment"


def requires_two_factor(user: Any) -> bool:
    """Staff and programme directors, when the installation requires it."""
    if not getattr(settings, "SAMENSPEL_2FA_REQUIRED", False):
        return False
    if getattr(user, "is_staff", False):
        return True
    return ProgrammeRole.objects.filter(user=user, role=Role.DIRECTOR).exists()


class TwoFactorMiddleware:
    """Holds back a signed-in user who still owes the second step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(EXEMPT)
        ):
            enrolled = django_otp.user_has_device(user)
            if enrolled or requires_two_factor(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Complete the two-factor log-in in the web app first.")},
                        status=403,
                    )
                target = "two_factor_verify" if enrolled else "two_factor_setup"
                return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("home")


def _code(request: HttpRequest) -> str:
    return "".join(ch for ch in request.POST.get("code", "") if ch.isdigit())


def _masked(address: str) -> str:
    """An address as the set-up page shows it: enough to recognise, not to harvest."""
    name, _at, domain = address.partition("@")
    return f"{name[:1]}•••@{domain}"


def _key_hash(device: TOTPDevice) -> str:
    return hashlib.sha256(device.key.encode()).hexdigest()[:16]


def _send_link(request: HttpRequest) -> None:
    """A fresh unconfirmed device, and a link to it by mail; earlier links stop working."""
    user = request.user
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Samenspel", confirmed=False)
    token = signing.dumps([user.pk, device.pk, _key_hash(device)], salt=ENROL_SALT)
    link = settings.SAMENSPEL_SITE_URL + reverse("two_factor_link", args=[token])
    if _next(request) != reverse("home"):
        link += f"?next={quote(_next(request))}"
    language = translation.get_language() or settings.LANGUAGE_CODE
    user_id = int(user.pk)  # type: ignore[arg-type]
    transaction.on_commit(lambda: notices.mail_enrolment_link.enqueue(user_id, link, language))


@login_required
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed one-time link: opens the set-up in this session, once, within the hour."""
    try:
        user_id, device_id, key_hash = signing.loads(
            token, salt=ENROL_SALT, max_age=ENROL_LINK_SECONDS
        )
    except (signing.BadSignature, ValueError, TypeError):
        user_id = device_id = key_hash = None
    device = TOTPDevice.objects.filter(
        pk=device_id if isinstance(device_id, int) else None, user=request.user, confirmed=False
    ).first()
    if user_id != request.user.pk or device is None or _key_hash(device) != key_hash:
        return render(request, "accounts/two_factor_link_gone.html", status=410)
    device.key = default_key()  # the link is spent: the key it named no longer exists
    device.save(update_fields=["key"])
    request.session[ENROL_SESSION_KEY] = device.pk
    return redirect(f"{reverse('two_factor_setup')}?next={quote(_next(request))}")


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: first a one-time link by mail (the password alone does not
    enrol a second factor), then scan the code and confirm with the first six digits."""
    user = request.user
    if django_otp.user_has_device(user):
        if user.is_verified():  # type: ignore[union-attr]
            return render(request, "accounts/two_factor_on.html")
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next(request))}")
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(ENROL_SESSION_KEY, 0)
    ).first()
    if device is None:
        sent = False
        if request.method == "POST" and user.email:  # type: ignore[union-attr]
            _send_link(request)
            sent = True
        context = {
            "address": _masked(user.email) if user.email else "",  # type: ignore[union-attr]
            "sent": sent,
            "required": requires_two_factor(user),
            "next": _next(request),
        }
        return render(request, "accounts/two_factor_mail.html", context)
    error = ""
    if request.method == "POST":
        if device.verify_token(_code(request)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(ENROL_SESSION_KEY, None)
            django_otp.login(request, device)
            return redirect(_next(request))
        error = _("That code is not right. Check the time on your phone and try the next code.")
    context = {
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1a1a1a"),
        "secret": " ".join(textwrap.wrap(base64.b32encode(device.bin_key).decode(), 4)),
        "required": requires_two_factor(user),
        "error": error,
        "next": _next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of the log-in: a code from the authenticator app."""
    error = ""
    if request.method == "POST":
        device = django_otp.match_token(request.user, _code(request))
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        error = _("That code is not right, or it was used already. Try the next code.")
    return render(
        request, "accounts/two_factor_verify.html", {"error": error, "next": _next(request)}
    )
