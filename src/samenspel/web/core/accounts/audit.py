"""Write the audit log.

Every entry has the user who acted. A change that a hook records on the way (an agreement
under approval that a money line's change supersedes) has no user at hand; it takes the user
of the request being served, which ``ActingUserMiddleware`` sets for the request's duration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from samenspel.web.core.models import Programme

from .models import AuditEvent

_acting: ContextVar[AbstractBaseUser | AnonymousUser | None] = ContextVar("acting", default=None)


@contextmanager
def acting(user: AbstractBaseUser | AnonymousUser) -> Iterator[None]:
    """Within this block, entries without a user of their own are the acts of ``user``."""
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def record(
    user: AbstractBaseUser | AnonymousUser | None,
    programme: Programme,
    action: str,
    target: str = "",
) -> AuditEvent:
    """Log ``action`` on ``target`` by ``user`` (None: whoever is acting in this request)."""
    who = user if user is not None else _acting.get()
    return AuditEvent.objects.create(
        user_id=who.pk if who is not None and who.is_authenticated else None,
        programme=programme,
        action=action,
        target=target[:200],
    )


class ActingUserMiddleware:
    """Makes the request's user the acting user of everything the request writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request.user):
            return self.get_response(request)
