"""Any change to a programme's records gives the programme a new data version."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import Programme, ProgrammeScoped
from .versions import bump


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ProgrammeScoped) and instance.programme_id:
        bump(instance.programme_id)
    elif isinstance(instance, Programme) and instance.pk:
        bump(instance.pk)


def _relation_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, ProgrammeScoped):
        bump(instance.programme_id)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="samenspel-version-save")
    post_delete.connect(_changed, dispatch_uid="samenspel-version-delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="samenspel-version-m2m")
