"""A real server for tests: gunicorn on 127.0.0.1 with its own database, as in production.

On the SQLite run it gets a fresh SQLite file; on the PostgreSQL run (``DATABASE_URL`` set) a
fresh PostgreSQL database that is dropped afterwards. Several worker processes share it, so
locking and concurrency behave as they do for users.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import requests

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class LiveServer:
    url: str
    env: dict[str, str]
    log: Path

    def manage(self, *args: str) -> str:
        """Run a Django management command against the server's database."""
        done = subprocess.run(
            [sys.executable, "-m", "django", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=180,
        )
        return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_url() -> str | None:
    """The test run's PostgreSQL server (the PostgreSQL run's, or the default local one), or
    None where none answers (under CI=true a missing server fails instead)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get(
            "SAMENSPEL_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/samenspel"
        )
    import psycopg

    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.Error:
        if os.environ.get("CI") == "true":
            raise
        return None
    return url


@contextmanager
def fresh_database(tmp: Path, kind: str | None = None) -> Iterator[str]:
    """The URL of a new, empty database: of ``kind`` ("sqlite" or "postgres"), or of the same
    kind as the test run's. A PostgreSQL database is dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    kind = kind or ("postgres" if url.startswith("postgres") else "sqlite")
    if kind == "sqlite":
        tmp.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{tmp / f'fresh-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    url = postgres_url() or ""
    if not url:
        import pytest

        pytest.skip("no PostgreSQL reachable at 127.0.0.1:5432")
    import psycopg

    name = f"samenspel_live_{uuid.uuid4().hex[:10]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(tmp: Path, database_url: str, **extra_env: str) -> dict[str, str]:
    """The environment of a server (and its commands) on ``database_url``, data in ``tmp``."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local",
        "SAMENSPEL_DEBUG": "0",
        "SAMENSPEL_DATA_DIR": str(tmp / "var"),
        "SAMENSPEL_LOG_FILE": str(tmp / "server.log"),
        **extra_env,
    }


@contextmanager
def live_server(
    tmp: Path, database_url: str | None = None, **extra_env: str
) -> Iterator[LiveServer]:
    """Migrate a fresh database (or the one given) and serve it with gunicorn (3 workers × 4
    threads, a 300 s worker timeout), as in production."""
    with nullcontext(database_url) if database_url else fresh_database(tmp) as url:
        log = tmp / "server.log"
        env = server_env(tmp, url, **extra_env)
        server = LiveServer("", env, log)
        server.manage("migrate", "--no-input", "-v0")
        port = _free_port()
        process = subprocess.Popen(
            # as deploy/samenspel-web.service: on a busy machine a worker whose threads all
            # hash passwords or wait for SQLite's lock must not be killed after the default 30 s
            [str(BIN / "gunicorn"), "--workers", "3", "--threads", "4", "--timeout", "300",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
             "samenspel.web.config.wsgi"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    requests.get(f"{url}/accounts/login/", timeout=30)
                    break
                except (requests.ConnectionError, requests.Timeout):  # not up, or a slow start
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("the live server did not start") from None
                    time.sleep(0.3)
            yield LiveServer(url, env, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
