"""A change to an agreement under approval supersedes the frozen version (services.py)."""

from __future__ import annotations

import threading
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from samenspel.web.core.services import being_deleted

from .models import Agreement, CareTask, Intervention, MoneyLine


def _agreement_id(instance: Any) -> int | None:
    if isinstance(instance, Agreement):
        return instance.pk
    if isinstance(instance, Intervention | CareTask):
        return instance.agreement_id
    if isinstance(instance, MoneyLine):
        return (
            Intervention.objects.filter(pk=instance.intervention_id)
            .values_list("agreement_id", flat=True)
            .first()
        )
    return None


_going = threading.local()
"""Agreements being deleted on this thread: their lines go first, which is no change to put to
the parties."""


def _mark(sender: Any, instance: Agreement, **kwargs: Any) -> None:
    _going.ids = {*getattr(_going, "ids", set()), instance.pk}


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .services import supersede_if_changed

    action = str(kwargs.get("action", "post_"))
    if kwargs.get("raw") or not action.startswith("post_") or being_deleted(instance.programme_id):
        return  # fixtures being loaded, the "pre_" half of an m2m change, or a programme going
    going: set[int] = getattr(_going, "ids", set())
    if isinstance(instance, Agreement) and kwargs.get("signal") is post_delete:
        _going.ids = going - {instance.pk}
        return
    agreement_id = _agreement_id(instance)
    if agreement_id is None or agreement_id in going:
        return
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is not None and agreement.rounds.exists():
        supersede_if_changed(agreement=agreement)


def connect() -> None:
    pre_delete.connect(_mark, sender=Agreement, dispatch_uid="approval-going")
    for model in (Agreement, Intervention, MoneyLine, CareTask):
        post_save.connect(_changed, sender=model, dispatch_uid=f"approval-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"approval-del-{model.__name__}")
    m2m_changed.connect(_changed, sender=Intervention.partners.through, dispatch_uid="approval-m2m")
