"""The background task that computes a regiobeeld run."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from samenspel.analytics.population.pipeline import InvalidDatasetError, regiobeeld
from samenspel.analytics.population.sharing import patient_sharing
from samenspel.web.core.uploads import MAX_PROBLEMS_SHOWN
from samenspel.web.core.versions import bump

from .models import RegiobeeldRun
from .runs import describe_problem, fail_abandoned_runs, release_secret

log = logging.getLogger(__name__)


@task()
def compute_regiobeeld(run_id: int) -> None:
    """Compute and store the regiobeeld (suppressed or rounded); results are written only
    when complete, so a run that is killed half-way leaves nothing behind but its status. The
    worker first records runs whose worker was stopped as failed."""
    fail_abandoned_runs()
    run = RegiobeeldRun.objects.select_related("dataset").get(pk=run_id)
    RegiobeeldRun.objects.filter(pk=run_id).update(
        status=RegiobeeldRun.Status.RUNNING,
        step="starting",
        progress=0.01,
        heartbeat_at=timezone.now(),
    )

    def progress(step: str, fraction: float) -> None:
        RegiobeeldRun.objects.filter(pk=run_id).update(
            step=step, progress=min(fraction, 0.95), heartbeat_at=timezone.now()
        )

    try:
        with _alive(run_id):
            rounded = run.method == RegiobeeldRun.Method.ROUNDED
            result = regiobeeld(
                Path(run.dataset.folder),
                engine=run.engine,
                threshold=run.threshold,
                progress=progress,
                secret=release_secret() if rounded else None,
            )
        network = patient_sharing(
            Path(run.dataset.folder),
            min_shared=settings.SAMENSPEL_MIN_SHARED_PATIENTS,
            threshold=run.threshold,
            year=max(result["years"]) if result["years"] else None,
        )
        sharing = {
            "min_shared": network.min_shared,
            "year": max(result["years"]) if result["years"] else None,
            "providers": network.providers,
            # ties are made at the suppression threshold or above: every weight can be shown
            "ties": [[a, b, n] for a, b, n in network.ties],
        }
    except InvalidDatasetError as exc:
        with translation.override(settings.LANGUAGE_CODE):
            text = "\n".join(describe_problem(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN])
        _finish(run, status=RegiobeeldRun.Status.FAILED, error=text)
        return
    except Exception:
        # the traceback goes to the log; users see no server paths or database messages
        log.exception("regiobeeld run %s failed", run_id)
        with translation.override(settings.LANGUAGE_CODE):
            error = _(
                "The computation stopped with an unexpected error (run %(run)d); it has "
                "been logged for the administrator."
            ) % {"run": run_id}
        _finish(run, status=RegiobeeldRun.Status.FAILED, error=error)
        raise
    _finish(
        run,
        status=RegiobeeldRun.Status.DONE,
        result=result,
        sharing=sharing,
        step="done",
        progress=1.0,
    )


@contextmanager
def _alive(run_id: int) -> Iterator[None]:
    """While the block runs, a thread records every few seconds that the run is alive, also
    inside a step that takes minutes; a worker killed half-way stops beating, and the run shows
    as stopped once SAMENSPEL_RUN_STALE_MINUTES have passed."""
    every = settings.SAMENSPEL_RUN_HEARTBEAT_SECONDS
    if not every:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    RegiobeeldRun.objects.filter(
                        pk=run_id, status=RegiobeeldRun.Status.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:  # a passing fault: the next beat tries again
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"run-{run_id}-alive", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 30)


def _finish(run: RegiobeeldRun, **fields: Any) -> None:
    """Store the run's end in one update and give its programme a new data version."""
    RegiobeeldRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), **fields)
    bump(run.programme_id)
