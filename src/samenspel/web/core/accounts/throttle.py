"""Log-in throttling per address, on top of django-axes' lock per username and address.

Axes locks a username tried from one address after ``AXES_FAILURE_LIMIT`` failures. An attacker
who sprays many usernames from one address never reaches that, so the log-in form also refuses
every attempt from an address with ``SAMENSPEL_LOGIN_FAILURES_PER_ADDRESS`` failures (across all
usernames) within the cool-off time, before any password is checked. Behind a reverse proxy,
``SAMENSPEL_PROXY_COUNT`` says how many proxies to trust in ``X-Forwarded-For``; without it the
header is ignored, so a client cannot claim another address.
"""

from __future__ import annotations

from typing import Any, cast

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def client_address(request: HttpRequest) -> str:
    """The client's address: the one the nearest trusted proxy saw, or the connection's own."""
    proxies = settings.SAMENSPEL_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return cast("str", forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


def failures_from(request: HttpRequest) -> int:
    """Failed log-ins from the request's address, all usernames, within the cool-off time."""
    since = timezone.now() - get_cool_off(request)
    total = AccessAttempt.objects.filter(
        ip_address=get_client_ip_address(request), attempt_time__gte=since
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "address_throttled": _(
            "Too many failed log-ins from your network. Try again in 15 minutes, or ask your "
            "administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        if self.request and failures_from(self.request) >= (
            settings.SAMENSPEL_LOGIN_FAILURES_PER_ADDRESS
        ):
            raise ValidationError(
                self.error_messages["address_throttled"], code="address_throttled"
            )
        return super().clean()


class ThrottledLoginView(LoginView):
    """Django's log-in page with the per-address limit; a refused address gets 429."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if any(e.code == "address_throttled" for e in form.non_field_errors().as_data()):
            response.status_code = 429
        return response
