"""The set-up is honest: under CI=true a missing PostgreSQL or Java fails the run instead of
skipping it, and the load benchmark waits out a slow first answer."""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _test_postgres(ci: str) -> subprocess.CompletedProcess[str]:
    """The PostgreSQL part of `make test` against an address where nothing listens."""
    return subprocess.run(
        ["bash", str(ROOT / "scripts/test-postgres.sh"), str(Path(sys.executable).parent)],
        env={**os.environ, "CI": ci, "SAMENSPEL_TEST_POSTGRES_URL": "postgres://x@127.0.0.1:9/x"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_ci_without_postgresql_fails() -> None:
    done = _test_postgres("true")
    assert done.returncode == 1 and "CI=true needs PostgreSQL" in done.stderr
    # each run names its database anew, so two runs on one server never collide
    again = _test_postgres("true")
    names = [re.search(r"needs PostgreSQL at \S+/(\S+)", d.stderr) for d in (done, again)]
    assert names[0] and names[1] and names[0].group(1) != names[1].group(1)
    done = _test_postgres("")
    assert done.returncode == 0 and "SKIPPED" in done.stdout


def test_ci_without_java_fails(tmp_path: Path) -> None:
    env = {**os.environ, "CI": "true", "PATH": str(tmp_path)}  # no java on this PATH
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--co", "-p", "no:cacheprovider",
         str(ROOT / "tests/test_population_engines.py")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )  # fmt: skip
    assert done.returncode != 0 and "CI=true runs the Spark tests" in done.stdout


def test_load_benchmark_waits_for_a_slow_first_answer() -> None:
    spec = importlib.util.spec_from_file_location("load", ROOT / "benchmarks/load.py")
    assert spec and spec.loader
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def slow() -> None:
        conn, _ = server.accept()
        time.sleep(3)  # longer than the 2 s the benchmark used to allow
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        conn.close()

    thread = threading.Thread(target=slow, daemon=True)
    thread.start()
    try:
        load.wait_until_up(f"http://127.0.0.1:{port}", seconds=30)
    finally:
        server.close()
