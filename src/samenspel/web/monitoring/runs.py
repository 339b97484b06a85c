"""What the worker and the pages share about runs: problems in words, runs whose worker
stopped, and the installation's release secret. The worker's tasks import this module; the
services import the tasks, so neither imports the other back."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from samenspel.analytics.population.validate import Problem
from samenspel.web.core.uploads import row_label
from samenspel.web.core.versions import bump

from .models import ABANDONED, RegiobeeldRun, ReleaseKey


def describe_problem(problem: Problem) -> str:
    """A validation problem in the reader's language, naming file, row and column."""
    if problem.row is not None:
        where = f"{_(problem.file)}, {row_label(problem.row)}"
    else:
        where = _(problem.file)
    if problem.column:
        where += ", " + _("column '%(column)s'") % {"column": problem.column}
    text = _(problem.message) % problem.params if problem.params else _(problem.message)
    if problem.found is not None:
        text += " " + _("(found '%(value)s')") % {"value": problem.found[:80]}
    return f"{where}: {text}"


def fail_abandoned_runs(programme_id: int | None = None) -> int:
    """Record runs whose worker stopped without finishing (killed, machine restarted) as failed.

    A running run reports progress after every step; one silent for longer than
    ``SAMENSPEL_RUN_STALE_MINUTES`` is not coming back. Its results were never written (they
    are stored only when complete), so it is only marked, to be started again. The worker calls
    this before each run; pages never write, they show such a run as failed
    (``RegiobeeldRun.abandoned``).
    """
    now = timezone.now()
    silent = RegiobeeldRun.objects.filter(
        status=RegiobeeldRun.Status.RUNNING,
        heartbeat_at__lt=now - dt.timedelta(minutes=settings.SAMENSPEL_RUN_STALE_MINUTES),
    )
    if programme_id is not None:
        silent = silent.filter(programme_id=programme_id)
    programmes = set(silent.values_list("programme_id", flat=True))
    if not programmes:
        return 0
    runs = list(silent.values_list("pk", flat=True))
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        failed = silent.update(
            status=RegiobeeldRun.Status.FAILED, error=str(ABANDONED), finished_at=now
        )
        # the queue's own record of the computation, left "running" by the killed worker
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            task_path=f"{__package__}.tasks.compute_regiobeeld",
            args_kwargs__args__0__in=runs,
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="samenspel.worker_stopped",
            traceback=str(ABANDONED),
        )
    for pid in programmes:
        bump(pid)
    return failed


def release_secret() -> str:
    """The installation's secret for rounded releases, made on first use (see ReleaseKey)."""
    key, _created = ReleaseKey.objects.get_or_create(
        slot=1, defaults={"secret": secrets.token_hex(32)}
    )
    return key.secret
