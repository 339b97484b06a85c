"""A run whose worker was killed is said dead: it beats every few seconds while it computes,
shows as stopped (in the reader's language) a minute after its last beat, and the worker's
housekeeping records it, fails its queue entry and removes the dead process's spill files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from samenspel.analytics.population import limits
from samenspel.web.core.worker import Heartbeat
from samenspel.web.monitoring import tasks
from samenspel.web.monitoring.models import Dataset, RegiobeeldRun

from .conftest import World


def _run(world: World, **fields: object) -> RegiobeeldRun:
    dataset = Dataset.objects.create(programme=world.a, name="Regio", kind="synthetic")
    return RegiobeeldRun.objects.create(programme=world.a, dataset=dataset, **fields)


@pytest.mark.django_db(transaction=True)
def test_a_running_computation_beats_also_inside_a_long_step(world: World) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=1)
    run = _run(world, status="running", step="computing", heartbeat_at=long_ago)
    with override_settings(SAMENSPEL_RUN_HEARTBEAT_SECONDS=0.05), tasks._alive(run.pk):
        deadline = time.monotonic() + 60
        while RegiobeeldRun.objects.get(pk=run.pk).heartbeat_at == long_ago:
            assert time.monotonic() < deadline, "no heartbeat while the step ran"
            time.sleep(0.05)
    assert not RegiobeeldRun.objects.get(pk=run.pk).abandoned


@pytest.mark.django_db(transaction=True)
def test_the_workers_housekeeping_records_a_killed_run_and_its_queue_entry(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMENSPEL_DUCKDB_SPILL_DIR", str(tmp_path / "spill"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    left = limits.spill_dir() / f"process-{dead}" / "regiobeeld-x"
    left.mkdir(parents=True)
    (left / "work.duckdb").write_bytes(b"left by a killed worker")
    mine = limits.work_dir()

    silent_since = timezone.now() - dt.timedelta(minutes=5)
    run = _run(world, status="running", step="computing", heartbeat_at=silent_since)
    client = world.client_for(world.director)
    page = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/").content.decode()
    assert "De berekening stopte voordat ze klaar was" in page  # shown before any write
    entry = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [run.pk], "kwargs": {}},
        task_path="samenspel.web.monitoring.tasks.compute_regiobeeld", backend_name="default",
        run_after=timezone.now(), queue_name="default",
    )  # fmt: skip
    other = _run(world, status="running", step="computing", heartbeat_at=timezone.now())

    Heartbeat().beat()  # what the worker does every few seconds

    run.refresh_from_db()
    entry.refresh_from_db()
    assert run.status == "failed" and "stopte voordat" in run.error
    assert entry.status == TaskResultStatus.FAILED
    assert RegiobeeldRun.objects.get(pk=other.pk).status == "running"  # alive: left alone
    assert not left.parent.exists() and mine.exists()


@pytest.mark.django_db
def test_the_step_of_a_running_computation_is_in_the_readers_language(world: World) -> None:
    run = _run(world, status="running", step="suppressing", heartbeat_at=timezone.now())
    page = world.client_for(world.director).get(f"/p/{world.a.pk}/population/runs/{run.pk}/")
    text = page.content.decode()
    assert "kleine aantallen beschermen" in text and "suppressing" not in text
