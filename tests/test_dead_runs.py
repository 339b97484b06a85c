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
    assert "Opnieuw starten" in page  # with a way to start it again
    viewer = world.client_for(world.viewer).get(f"/p/{world.a.pk}/population/runs/{run.pk}/")
    assert "Opnieuw starten" not in viewer.content.decode()  # for those who may start runs
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


def _shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run([sys.executable, "-m", "django", "shell", "-v", "0", "-c", code], env=env,
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return done.stdout.strip()


def _until(env: dict[str, str], code: str, wanted: str, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while True:
        seen = _shell(env, code)
        if seen == wanted or time.monotonic() > deadline:
            return seen
        time.sleep(0.5)


@pytest.mark.live
def test_a_worker_killed_with_sigkill_leaves_a_run_said_dead(tmp_path: Path) -> None:
    """A real worker computes a run that hangs in its first step (its persons file is a pipe no
    one writes to); it is killed with SIGKILL. A new worker's housekeeping records the run as
    stopped, fails its queue entry, and removes the killed process's spill folder."""
    import os

    from samenspel.analytics.population.synthetic import generate

    from .live import fresh_database

    with fresh_database(tmp_path) as url:
        env = {**os.environ, "DATABASE_URL": url, "SAMENSPEL_DATA_DIR": str(tmp_path / "var"),
               "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local",
               "SAMENSPEL_DUCKDB_SPILL_DIR": str(tmp_path / "spill"),
               "SAMENSPEL_RUN_HEARTBEAT_SECONDS": "0.2", "SAMENSPEL_RUN_STALE_MINUTES": "0.05",
               "SAMENSPEL_WORKER_HEARTBEAT_SECONDS": "0.5"}  # fmt: skip
        samenspel = str(Path(sys.executable).parent / "samenspel")
        subprocess.run([samenspel, "migrate"], env=env, check=True, capture_output=True)
        folder = tmp_path / "var" / "datasets" / "stuck"
        generate(folder, persons=200, seed=1, fmt="csv")
        (folder / "persons.csv").unlink()
        os.mkfifo(folder / "persons.csv")
        run_id = _shell(env, (
            "from django.contrib.auth import get_user_model; "
            "from samenspel.web.core import services; "
            "from samenspel.web.monitoring.models import Dataset, RegiobeeldRun; "
            "from samenspel.web.monitoring.tasks import compute_regiobeeld; "
            "u = get_user_model().objects.create_user('d', password='x-very-secret-9'); "
            "p = services.create_programme(user=u, name='P', region_name='R'); "
            f"d = Dataset.objects.create(programme=p, name='Vast', kind='synthetic', "
            f"folder={str(folder)!r}); "
            "r = RegiobeeldRun.objects.create(programme=p, dataset=d); "
            "compute_regiobeeld.enqueue(r.pk); print(r.pk)"
        ))  # fmt: skip
        status = ("from samenspel.web.monitoring.models import RegiobeeldRun as R; "
                  f"print(R.objects.get(pk={run_id}).status)")  # fmt: skip
        worker = subprocess.Popen([samenspel, "worker"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            assert _until(env, status, "running") == "running"
            spilled = tmp_path / "spill" / f"process-{worker.pid}"
        finally:
            worker.kill()
            worker.wait()
        assert _shell(env, status) == "running"  # nobody has said so yet
        second = subprocess.Popen([samenspel, "worker"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            assert _until(env, status, "failed") == "failed"
            queue = _shell(env, (
                "from django_tasks_db.models import DBTaskResult; "
                "print(sorted(DBTaskResult.objects.values_list('status', flat=True)))"
            ))  # fmt: skip
            assert queue == "['FAILED']"
            assert not spilled.exists()
        finally:
            second.terminate()
            second.wait(timeout=60)


@pytest.mark.django_db
def test_a_stopped_run_is_started_again_from_its_page(world: World) -> None:
    run = _run(world, status="failed", step="computing", error="stopped", engine="duckdb")
    client = world.client_for(world.director)
    response = client.post(
        f"/p/{world.a.pk}/population/datasets/{run.dataset_id}/run/", {"engine": run.engine}
    )
    again = RegiobeeldRun.objects.exclude(pk=run.pk).get(dataset=run.dataset)
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{again.pk}/")

