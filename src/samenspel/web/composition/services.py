"""Composition writes: import organisations and people from a sheet, and whole programmes from
a programme file; ideas from the field. Each is atomic: with any problem nothing is written and
every problem is named.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.web.core.accounts.access import PermissionDeniedError, is_director
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.choices import InitiativeStage
from samenspel.web.core.models import Idea, Initiative, Programme
from samenspel.web.core.versions import bump

from .exchange import Importer, ImportFailedError, ImportProblem
from .tabular import COLUMNS, TableImport, read_rows


def import_table(
    *, role: ProgrammeRole, kind: str, filename: str, content: bytes
) -> dict[str, int]:
    """Import a sheet of ``kind`` ("organisations" or "people"); returns created/updated counts.

    Raises ImportFailedError with every problem found; then nothing has been written.
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown kind {kind!r}")
    rows = list(read_rows(filename, content))
    job = TableImport(role, kind, filename)
    if rows:
        job.check_header(set(rows[0].values))
    with transaction.atomic():
        for row in rows:
            job.import_row(row)
        job.link_parents()
        if job.problems:
            raise ImportFailedError(job.problems)
    return job.counts


def import_programme(
    document: Any, *, user: User, source: str = "document", name: str | None = None
) -> Programme:
    """Create a new programme from an exported document; the importing user becomes director.

    Raises ImportFailedError listing every problem; then nothing has been written.
    """
    with transaction.atomic():
        return Importer(source).run(document, user, name)


def _no_constant(name: str) -> None:
    raise json.JSONDecodeError(f"{name} is not a number", name, 0)


def import_programme_json(
    text: str | bytes, *, user: User, source: str = "document", name: str | None = None
) -> Programme:
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        where = _("line %(line)d") % {"line": line} if line else ""
        message = getattr(exc, "msg", None) or _("not UTF-8 text")
        raise ImportFailedError(
            [ImportProblem(source, where, "", _("not valid JSON: %(error)s") % {"error": message})]
        ) from exc
    return import_programme(document, user=user, source=source, name=name)


@transaction.atomic
def propose_idea(*, role: ProgrammeRole, title: str, description: str) -> Idea:
    """A member's idea from the field; it waits for the programme director."""
    idea = Idea(
        programme_id=role.programme_id,
        title=title.strip(),
        description=description.strip(),
        proposed_by=role.user,
        proposed_on=timezone.localdate(),
    )
    idea.full_clean()
    idea.save()
    return idea


@transaction.atomic
def decide_idea(*, role: ProgrammeRole, idea: Idea, accept: bool, answer: str = "") -> Idea:
    """The director accepts an idea (it becomes an initiative at the idea stage) or declines it,
    with an answer the proposer reads."""
    if not is_director(role):
        raise PermissionDeniedError("Only the programme director decides on ideas.")
    idea = Idea.objects.select_for_update().get(pk=idea.pk, programme_id=role.programme_id)
    if idea.status != Idea.Status.WAITING:
        raise ValidationError(_("This idea has already been decided on."))
    if accept:
        idea.initiative = Initiative.objects.create(
            programme_id=idea.programme_id,
            title=idea.title,
            description=idea.description,
            stage=InitiativeStage.IDEA,
            proposed_on=idea.proposed_on,
        )
        bump(idea.programme_id)
    idea.status = Idea.Status.ACCEPTED if accept else Idea.Status.DECLINED
    idea.answer = answer.strip()
    idea.save(update_fields=["initiative", "status", "answer"])
    return idea
