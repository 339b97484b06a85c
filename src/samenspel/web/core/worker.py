"""The background worker's heartbeat, and the health of the installation (database and worker).

``samenspel worker`` runs Django's task worker (django-tasks' ``db_worker``) with a thread
beside it that writes a ``WorkerHeartbeat`` every ``SAMENSPEL_WORKER_HEARTBEAT_SECONDS``. The
health endpoint calls a worker silent for ``SAMENSPEL_WORKER_SILENT_SECONDS`` stopped.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .extensions import housekeeping
from .models import WorkerHeartbeat

log = logging.getLogger(__name__)


def unapplied_migrations() -> int:
    """How many migrations the database still needs (every one, if it has no tables at all)."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Heartbeat:
    """A daemon thread that records this worker's sign of life until ``stop()``."""

    def __init__(self, every: float | None = None) -> None:
        self.every = every or settings.SAMENSPEL_WORKER_HEARTBEAT_SECONDS
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.started = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        self.beat()
        self._thread.start()

    def beat(self) -> None:
        """Record this worker's sign of life, then run the features' housekeeping jobs."""
        WorkerHeartbeat.objects.update_or_create(
            worker=self.name,
            defaults={"pid": os.getpid(), "started_at": self.started, "beat_at": timezone.now()},
        )
        for job in housekeeping():
            try:
                job()
            except Exception:  # one failing job must not stop the heartbeat
                log.exception("housekeeping job %s failed", getattr(job, "__name__", job))

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                close_old_connections()
                try:
                    self.beat()
                except DatabaseError:  # a passing database fault: the next beat tries again
                    connections.close_all()
        finally:
            connections.close_all()

    def stop(self) -> None:
        """Stop beating and remove this worker's row: it is stopped, not silent."""
        self._stop.set()
        self._thread.join(timeout=self.every + 5)
        WorkerHeartbeat.objects.filter(worker=self.name).delete()


@dataclass(frozen=True)
class Health:
    database: str  # "ok" or "unreachable"
    worker: str  # "ok", "silent" or "absent"
    worker_seen_seconds_ago: float | None

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.worker == "ok"


def health() -> Health:
    """The database answers, and a worker beat within the allowed silence."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
        seen = last.first()
    except DatabaseError:
        return Health("unreachable", "absent", None)
    if seen is None:
        return Health("ok", "absent", None)
    ago = max((timezone.now() - seen).total_seconds(), 0.0)
    state = "ok" if ago <= settings.SAMENSPEL_WORKER_SILENT_SECONDS else "silent"
    return Health("ok", state, round(ago, 1))
