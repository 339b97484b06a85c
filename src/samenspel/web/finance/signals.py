"""A change to an agreement under approval supersedes the frozen version (services.py)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

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


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .services import supersede_if_changed

    action = str(kwargs.get("action", "post_"))
    if kwargs.get("raw") or not action.startswith("post_"):
        return  # fixtures being loaded, or the "pre_" half of an m2m change
    agreement_id = _agreement_id(instance)
    agreement = Agreement.objects.filter(pk=agreement_id).first() if agreement_id else None
    if agreement is not None and agreement.rounds.exists():
        supersede_if_changed(agreement)


def connect() -> None:
    for model in (Agreement, Intervention, MoneyLine, CareTask):
        post_save.connect(_changed, sender=model, dispatch_uid=f"approval-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"approval-del-{model.__name__}")
    m2m_changed.connect(_changed, sender=Intervention.partners.through, dispatch_uid="approval-m2m")
