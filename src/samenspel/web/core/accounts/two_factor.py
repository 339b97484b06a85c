"""Two-factor log-in with an authenticator app (TOTP, django-otp).

Programme directors and staff must use it when ``SAMENSPEL_2FA_REQUIRED`` is on (the production
default); everyone else may switch it on. Until the second step is done, every page sends the
user to set it up or to enter a code, and the API answers 403.
"""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ProgrammeRole, Role

# Pages a user reaches before the second step: log-in and -out, these pages, the language
# switch, static files and the respondents' survey (which needs no account).
EXEMPT = ("/accounts/", "/i18n/", "/static/", "/s/", "/favicon", "/health/")


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


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the code, then confirm with the first six digits."""
    user = request.user
    if django_otp.user_has_device(user):
        if user.is_verified():  # type: ignore[union-attr]
            return render(request, "accounts/two_factor_on.html")
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next(request))}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Samenspel", confirmed=False)
    error = ""
    if request.method == "POST":
        if device.verify_token(_code(request)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
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
