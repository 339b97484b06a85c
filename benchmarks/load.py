"""Load test: N concurrent clients browse the demo for a fixed time, on loopback only.

Starts the demo server itself (SQLite by default, or PostgreSQL with --database-url) under
gunicorn with debug off, logs every client in as the demo programme director, and has each
client cycle through the main pages without pausing (or about --think seconds between pages:
each pause is drawn between (1 - spread) and (1 + spread) times it, and each client starts
after a random part of one pause, from a fixed seed; with one fixed pause for all, the clients
stay in step and every one of them asks at the same moment, a burst no group of people makes).
Prints
p50/p95/p99 latency per page, the error count, and each page's p50 as a ratio to the
baseline: the bare login page, measured in the same run under the same load.
Target: p95 < 300 ms, no errors.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--workers 3]
        [--server gunicorn|runserver] [--think 1.0] [--spread 0.5] [--seed 1]
        [--database-url postgres://postgres@127.0.0.1:5432/samenspel_load]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

BASELINE = "baseline: login"
PAGES = {
    BASELINE: "/accounts/login/",
    "home": "/",
    "programme": "/p/{ruwaard}/",
    "people": "/p/{ruwaard}/people/",
    "dynamics": "/p/{ruwaard}/dynamics/",
    "money": "/p/{samendraads}/money/{agreement}/",
    "regiobeeld": "/p/{ruwaard}/population/runs/{run}/",
    "api composition": "/api/v1/programmes/{ruwaard}/composition",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_demo(env: dict[str, str]) -> dict[str, str]:
    """Load the demo afresh into the database ``env`` names; the ids the pages need."""
    exe = Path(sys.executable).parent / "samenspel"
    subprocess.run(
        [str(exe), "demo", "--no-serve", "--reset"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    code = (
        "import django; django.setup();"
        "from samenspel.web.core.models import Programme as P;"
        "from samenspel.web.finance.models import Agreement as A;"
        "from samenspel.web.monitoring.models import RegiobeeldRun as R;"
        "from samenspel.web.dynamics.models import Invitation as I;"
        "r=P.objects.get(name='Proeftuin Ruwaard'); s=P.objects.get(name='Samendraads');"
        "print(r.pk, s.pk, A.objects.filter(programme=s).first().pk,"
        " R.objects.filter(programme=r).first().pk,"
        " I.objects.filter(programme=r, submitted_at=None, wave__closed_at=None).first().token)"
    )
    ids = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return dict(zip(("ruwaard", "samendraads", "agreement", "run", "survey"), ids, strict=True))


def wait_until_up(
    url: str, seconds: float = 180, server: subprocess.Popen[bytes] | None = None
) -> None:
    """Wait for the first answer; a slow first response (workers starting, caches cold) or a
    refused connection is retried until ``seconds`` have passed, or until ``server`` (the
    process serving ``url``, if given) has stopped."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {server.returncode}")
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=60).read()
            return
        except OSError:  # refused, reset, or timed out (URLError and TimeoutError are OSErrors)
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {seconds:.0f} s")


class Client:
    """One simulated user: a kept-alive connection, as a browser keeps one, and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            sent.update(headers or {})
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:  # a kept-alive connection the server closed gets one retry
                    raise
                continue
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _eq, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self.connection.close()
                self.connection = None
            return response.status, data
        raise AssertionError("unreachable")


def _login(port: int) -> Client:
    client = Client(port)
    _status, page = client.request("GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode())
    assert token, "no CSRF token on the login page"
    form = urllib.parse.urlencode(
        {
            "username": "regisseur",
            "password": "samenspel-demo",
            "csrfmiddlewaretoken": token.group(1),
        }
    )
    status, _body = client.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302 and "sessionid" in client.cookies, f"log-in failed ({status})"
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--server", choices=("gunicorn", "runserver"), default="gunicorn")
    parser.add_argument(
        "--workers", type=int, default=(os.cpu_count() or 1) + 1, help="gunicorn processes"
    )
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per process")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each client pauses between pages (0: request after request)",
    )
    parser.add_argument(
        "--spread", type=float, default=0.5, help="pauses vary by this share of --think"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the pauses")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workdir = Path(tempfile.mkdtemp(prefix="samenspel-load-"))
    env = {
        **os.environ,
        "SAMENSPEL_DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local",
        "SAMENSPEL_DEBUG": "0",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    fill = load_demo(env)
    if args.server == "gunicorn":
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "samenspel.web.config.wsgi",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "django",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(base)
        latencies: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        # Everyone logs in first (a one-off Argon2 check per user); the clock starts after.
        users = [_login(port) for _ in range(args.clients)]
        started = threading.Barrier(args.clients + 1)
        stop = 0.0

        def pause(rng: random.Random) -> float:
            return args.think * rng.uniform(1 - args.spread, 1 + args.spread)

        def client(index: int) -> None:
            user = users[index]
            rng = random.Random(args.seed * 1000 + index)
            started.wait()
            if args.think:
                time.sleep(rng.uniform(0, args.think))
            pages = list(PAGES.items())
            k = index
            while time.time() < stop:
                name, path = pages[k % len(pages)]
                k += 1
                start = time.perf_counter()
                try:
                    status, _body = user.request("GET", path.format(**fill))
                    ok = status == 200
                except (http.client.HTTPException, OSError):
                    ok = False
                elapsed = time.perf_counter() - start
                if args.think:
                    time.sleep(pause(rng))
                with lock:
                    if ok:
                        latencies[name].append(elapsed)
                    else:
                        errors[name] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        stop = time.time() + args.seconds
        started.wait()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=10)
    database = "PostgreSQL" if args.database_url else "SQLite"
    server_name = (
        f"gunicorn {args.workers}x{args.threads}" if args.server == "gunicorn" else "runserver"
    )
    print(
        f"{args.clients} clients, {args.seconds:.0f} s, {database}, {server_name} on loopback, "
        f"{os.cpu_count()} CPUs shared with the clients, think time {args.think:g} s"
        f" ± {args.spread:.0%}"
    )
    print(
        f"{'page':<16} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'p50/base':>9}"
    )
    total_errors = 0
    total = 0
    baseline = statistics.median(latencies[BASELINE]) if latencies[BASELINE] else float("nan")
    for name in PAGES:
        values = sorted(latencies[name])
        total_errors += errors[name]
        total += len(values)
        if not values:
            print(f"{name:<16} {0:>9} {'-':>8} {'-':>8} {'-':>8} {errors[name]:>7}")
            continue
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(
            f"{name:<16} {len(values):>9} {q[49] * 1000:>8.0f} {q[94] * 1000:>8.0f} "
            f"{q[98] * 1000:>8.0f} {errors[name]:>7} {q[49] / baseline:>8.1f}x"
        )
    print(f"throughput: {total / args.seconds:.0f} requests/s; errors: {total_errors}")


if __name__ == "__main__":
    main()
