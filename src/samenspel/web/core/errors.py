"""Translated error pages with a way back; the 500 page shows the id the log records it under."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    context = {
        "status": status,
        "title": title,
        "text": text,
        "request_id": getattr(request, "request_id", ""),
    }
    body: str
    try:
        body = loader.render_to_string("error.html", context, request)
    except Exception:  # the error page itself must never fail: fall back to plain text
        body = f"{status} {title}. {text}"
    return HttpResponse(body, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("No access"),
        _("You do not have access to this page. Ask the programme director for a role."),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or it belongs to a programme you are not a member of."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        500,
        _("Something went wrong"),
        _(
            "The error has been logged. If it happens again, pass the code below to your "
            "administrator."
        ),
    )
