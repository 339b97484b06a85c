"""Write the audit log."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from samenspel.web.core.models import Programme

from .models import AuditEvent


def record(
    user: AbstractBaseUser | AnonymousUser, programme: Programme, action: str, target: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        user_id=user.pk if user.is_authenticated else None,
        programme=programme,
        action=action,
        target=target[:200],
    )
