"""Request middleware: language selection (Dutch unless chosen otherwise), request ids, and
the idle session's clock."""

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware

from . import logs


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language header.

    Samenspel's users work in Dutch organisations whose browsers are often set to English;
    the interface starts in Dutch and switches only when the user picks a language.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class RequestIdMiddleware:
    """Gives every request an id for the log, the ``X-Request-ID`` header and the error page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = uuid.uuid4().hex[:12]
        request.request_id = rid  # type: ignore[attr-defined]
        token = logs.request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class IdleSessionMiddleware:
    """Keeps a session alive while it is used, without a database write on every request.

    A session ends ``SESSION_COOKIE_AGE`` after it was last saved; this saves it again (moving
    that end) at most once every ``SAMENSPEL_SESSION_REFRESH_SECONDS``, so an idle session ends
    within that margin of its age, and a busy one costs one write a minute, not one a page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            last = int(session.get("_refreshed", 0))
            if now - last >= settings.SAMENSPEL_SESSION_REFRESH_SECONDS:
                session["_refreshed"] = now
        return response
