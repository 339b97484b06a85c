"""What every programme page shares: access by programme, labels, form errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from samenspel.web.core import choices as c
from samenspel.web.core.accounts.access import (
    PermissionDeniedError,
    get_programme_for,
)

View = Callable[..., HttpResponse]


def programme_view(view: View) -> View:
    """Resolve ``programme_id`` to (programme, role); outsiders get 404, refusals 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, programme_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        programme, role = get_programme_for(request.user, programme_id)
        try:
            return view(request, programme, role, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper


def code_labels() -> dict[str, str]:
    """Labels of every vocabulary code, for templates that show summary dictionaries."""
    labels: dict[str, str] = {"none": _("In no group")}
    for vocabulary in (
        c.StakeholderGroup,
        c.Layer,
        c.Level,
        c.Domain,
        c.OrganisationKind,
        c.PartnershipRole,
        c.InitiativeStage,
        c.GroupKind,
        c.TripleAim,
    ):
        for code, label in vocabulary.choices:
            labels.setdefault(code, str(label))
    return labels


def apply_validation_error(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
