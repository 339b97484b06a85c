"""Running it for real: the production guide works as written, the worker and the server stop
cleanly, the health endpoint tells a stopped worker, and the install is lean and hash-locked."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests

from .live import _free_port, fresh_database

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GUIDE = ROOT / "docs" / "operations.md"
HOST = "samenspel.example.org"


class _Browser:
    """A client behind the TLS proxy: it sends the secure cookies over the plain loopback."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.cookies: dict[str, str] = {}
        self.headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}/"}

    def go(self, path: str, data: dict[str, str] | None = None) -> requests.Response:
        method = requests.post if data is not None else requests.get
        response = method(f"{self.url}{path}", data=data, headers=self.headers,
                          cookies=self.cookies, timeout=60, allow_redirects=False)  # fmt: skip
        self.cookies.update(response.cookies.get_dict())
        return response

    def token(self, path: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.go(path).text)
        assert found, path
        return found.group(1)


def _guide_commands() -> list[str]:
    """Every command of the guide that runs Samenspel itself (they start with .venv/bin/)."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [line for b in blocks for line in b.splitlines() if line.startswith(".venv/bin/")]


def _guide_settings(database_url: str, data: Path) -> dict[str, str]:
    block = re.search(r"```ini\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert block
    settings = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    settings.update(
        SAMENSPEL_SECRET_KEY=_run(".venv/bin/python -c \"from django.core.management.utils "
                                  "import get_random_secret_key as k; print(k())\"", {}).strip(),
        DATABASE_URL=database_url,
        SAMENSPEL_DATA_DIR=str(data),
        SAMENSPEL_LOG_FILE=str(data / "samenspel.log"),
        SAMENSPEL_SSL_REDIRECT="0",  # as the guide says, behind the proxy
        SAMENSPEL_WORKER_HEARTBEAT_SECONDS="1",
        DJANGO_SUPERUSER_PASSWORD="beheer-wachtwoord-2026",
    )  # fmt: skip
    return settings


def _run(command: str, settings: dict[str, str], timeout: int = 300) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env={**env, **settings}, capture_output=True,
        text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _as_here(command: str, tmp: Path) -> str:
    """The guide's command with this machine's folders for the server's."""
    command = command.replace(".venv/bin/", f"{BIN}/")
    command = command.replace("/var/backups/samenspel", str(tmp / "backups"))
    command = command.replace("/etc/samenspel/backup-passphrase", str(tmp / "passphrase"))
    if " createsuperuser " in command:
        command += " --no-input"  # the password comes from DJANGO_SUPERUSER_PASSWORD
    return command


def _unit_command(unit: str, port: int) -> list[str]:
    lines = (ROOT / "deploy" / unit).read_text().splitlines()
    line = next(ln for ln in lines if ln.startswith("ExecStart="))
    words = shlex.split(line.removeprefix("ExecStart="))
    words = [w.replace("/opt/samenspel/.venv/bin/", f"{BIN}/") for w in words]
    return [w.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for w in words]


def _wait_healthy(url: str, host: str = HOST, seconds: float = 120) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    answer: dict[str, object] = {}
    while time.monotonic() < deadline:
        try:
            response = requests.get(f"{url}/health/", headers={"Host": host}, timeout=10)
            answer = response.json()
            if response.status_code == 200:
                return answer
        except (requests.ConnectionError, requests.Timeout, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"not healthy: {answer}")


def _log_in_with_two_factors(url: str, settings: dict[str, str]) -> None:
    key = "3132333435363738393031323334353637383930"  # fixed, for a computed code
    _run(
        f"{BIN}/python -m django shell -c \"from django_otp.plugins.otp_totp.models import "
        f"TOTPDevice; from django.contrib.auth.models import User; TOTPDevice.objects.create("
        f"user=User.objects.get(username='beheer'), name='telefoon', key='{key}', "
        f"confirmed=True)\"",
        settings,
    )
    browser = _Browser(url)
    login = browser.go("/accounts/login/", {
        "csrfmiddlewaretoken": browser.token("/accounts/login/"), "username": "beheer",
        "password": settings["DJANGO_SUPERUSER_PASSWORD"]})  # fmt: skip
    assert login.status_code == 302, login.status_code
    admin = browser.go("/admin/")
    assert admin.status_code == 302 and "/accounts/2fa/verify/" in admin.headers["Location"]
    from django_otp.oath import totp

    code = f"{totp(bytes.fromhex(key)):06d}"
    browser.go("/accounts/2fa/verify/", {
        "csrfmiddlewaretoken": browser.token("/accounts/2fa/verify/"), "code": code,
        "next": "/admin/"})  # fmt: skip
    assert browser.go("/admin/").status_code == 200


@pytest.mark.live
def test_the_production_guide_works_as_written(tmp_path: Path) -> None:
    """Every `.venv/bin/` command of docs/operations.md, in order, on a fresh database of the
    run's kind, with production settings; then the units' commands serve it, the worker beats,
    the staff account logs in with two factors, and the backup restores in a drill."""
    (tmp_path / "backups").mkdir()
    (tmp_path / "passphrase").write_text("een lange zin als wachtwoord\n")
    commands = _guide_commands()
    names = " ".join(commands)
    for needed in ("migrate", "collectstatic", "check --deploy", "createsuperuser", "backup",
                   "restore"):  # fmt: skip
        assert needed in names, needed
    with fresh_database(tmp_path / "server") as url, fresh_database(tmp_path / "drill") as drill:
        settings = _guide_settings(url, tmp_path / "data")
        restores = [c for c in commands if " restore " in c]
        for command in commands:
            if command in restores or "get_random_secret_key" in command:
                continue
            _run(_as_here(command, tmp_path), settings)
        assert "System check identified no issues" in _run(
            f"{BIN}/python -m django check --deploy --fail-level WARNING", settings
        )
        port = _free_port()
        env = {**os.environ, **settings}
        web = subprocess.Popen(_unit_command("samenspel-web.service", port), env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        worker = subprocess.Popen(_unit_command("samenspel-worker.service", port), env=env,
                                  cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            assert _wait_healthy(base)["worker"] == "ok"
            _log_in_with_two_factors(base, settings)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=60) == 0
            stopped = requests.get(f"{base}/health/", headers={"Host": HOST}, timeout=30)
            assert stopped.status_code == 503 and stopped.json()["worker"] == "absent"
        finally:
            for process in (web, worker):
                process.terminate()
                process.wait(timeout=30)
        # the restore drill, on a spare database, from the nightly backup
        backups = sorted((tmp_path / "backups").glob("samenspel-*.backup"))
        assert backups and backups[0].read_bytes().startswith(b"age-encryption.org/v1")
        drill_settings = {**settings, "DATABASE_URL": drill,
                          "SAMENSPEL_DATA_DIR": str(tmp_path / "drill-data")}  # fmt: skip
        command = _as_here(restores[0], tmp_path)
        command = re.sub(r"\S+\.backup", str(backups[0]), command, count=1)
        assert "Restored" in _run(command, drill_settings)


def test_a_worker_on_an_unmigrated_database_says_so_in_one_line(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        done = subprocess.run(
            [str(BIN / "samenspel"), "worker"],
            env={**os.environ, "DATABASE_URL": url, "SAMENSPEL_DATA_DIR": str(tmp_path),
                 "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local"},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "samenspel migrate" in done.stderr


@pytest.mark.live
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_its_worker(tmp_path: Path, stop: signal.Signals) -> None:
    with fresh_database(tmp_path) as url:
        env = {**os.environ, "DATABASE_URL": url, "SAMENSPEL_DATA_DIR": str(tmp_path / "var"),
               "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local",
               "SAMENSPEL_WORKER_HEARTBEAT_SECONDS": "1"}  # fmt: skip
        port = _free_port()
        serve = subprocess.Popen([str(BIN / "samenspel"), "serve", "--port", str(port)], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", host="127.0.0.1")
            pids = _descendants(serve.pid)
            assert pids, "no worker beside the server"
            serve.send_signal(stop)
            serve.wait(timeout=60)
        finally:
            if serve.poll() is None:
                serve.kill()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids):
            time.sleep(0.1)
        left = [p for p in pids if Path(f"/proc/{p}").exists()]
        assert not left, f"the worker (or a process of it) outlived the server: {left}"


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, …), read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [c for c, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _locked(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    entries = re.findall(
        r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)[^\n]*?((?: \\\n\s+--hash=sha256:\w+)+)", text, re.M
    )
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9]", text, re.M)), "a package without hash"
    return {re.sub(r"[-_.]+", "-", n.lower().split("[")[0]): v for n, v, _ in entries}


@pytest.mark.no_database
def test_the_lock_files_pin_and_hash_every_package_and_production_has_no_test_tools() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    production, testing = _locked("production.txt"), _locked("test.txt")
    for lock, wanted in ((production, project["dependencies"]),
                         (testing, project["optional-dependencies"]["test"])):  # fmt: skip
        for requirement in wanted:
            name, version = requirement.split("==")
            name = re.sub(r"[-_.]+", "-", name.lower().split("[")[0])
            assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"
    for tool in ("pytest", "playwright", "pyspark", "ruff", "mypy", "hypothesis", "schemathesis"):
        assert tool not in production and tool in testing
