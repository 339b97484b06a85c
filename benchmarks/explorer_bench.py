"""Benchmark: how long the network explorer takes to load for the 2,000-person, 40,000-tie
benchmark network (the one of network_bench.py), in Debian's chromium at desktop width.

It builds a programme with that network as a survey wave in a fresh SQLite database, starts the
app (Django's server, serving the static files itself), logs in as the programme director and
opens the explorer twice: the first time the server computes every measure and the layout, the
second time they are kept. Usage:

    .venv/bin/python benchmarks/explorer_bench.py [--people 2000] [--ties 40000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from network_bench import make_network

PASSWORD = "bench-secret-9"


def _setup(people: int, ties: int) -> int:
    """The programme in the database; returns its id."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from samenspel.web.core import services
    from samenspel.web.core.models import Organisation, Person
    from samenspel.web.dynamics.models import ANSWER_FIELDS, Invitation, Rating, SurveyWave

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("regie", password=PASSWORD)
    programme = services.create_programme(user=user, name="Benchmark", region_name="B")
    network = make_network(people, ties)
    orgs = {
        f"o{i}": Organisation.objects.create(
            programme=programme, name=f"Organisatie {i}", kind="other", domain="care",
            level="municipality",
        )
        for i in range(40)
    }  # fmt: skip
    persons = Person.objects.bulk_create(
        Person(
            programme=programme,
            name=f"Persoon {node[1:]}",
            stakeholder_group=attrs["stakeholder_group"],
            profession="nurse" if attrs["stakeholder_group"] == "professional" else "",
            organisation=orgs[attrs["organisation"]],
        )
        for node, attrs in network.nodes.items()
    )
    person_of = dict(zip(network.nodes, persons, strict=True))
    wave = SurveyWave.objects.create(
        programme=programme, name="Meting", opened_on=timezone.localdate(), named_ties=True
    )
    invitations = {
        node: Invitation(programme=programme, wave=wave, person=person)
        for node, person in person_of.items()
    }
    Invitation.objects.bulk_create(invitations.values())
    now = timezone.now()
    Invitation.objects.filter(wave=wave).update(submitted_at=now, saved_at=now)
    answer: dict[str, object] = {"frequency": "monthly", "collaboration": 3}
    answer.update(dict.fromkeys(ANSWER_FIELDS[2:], 3))
    ratings = (
        Rating(
            programme=programme,
            invitation=invitations[t.source],
            alter=person_of[t.target],
            **answer,
        )
        for t in network.ties
    )
    Rating.objects.bulk_create(ratings, batch_size=5000)
    return programme.pk


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--ties", type=int, default=40000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="samenspel-explorer-bench-"))
    env = {**os.environ, "SAMENSPEL_DATA_DIR": str(folder), "SAMENSPEL_DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local",
           "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}  # fmt: skip
    os.environ.update(env)
    started = time.perf_counter()
    pid = _setup(args.people, args.ties)
    print(f"database with {args.people} people and {args.ties} ties: "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", "--insecure",
         f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _measure(port, pid, args.people)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _measure(port: int, pid: int, people: int) -> None:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    chromium = os.environ.get("SAMENSPEL_CHROMIUM") or shutil.which("chromium") or "chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(600_000)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "regie")
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/")
        print("| load | page and map ready | nodes drawn |")
        print("|---|---:|---:|")
        for label in ("first (server computes measures and layout)", "again (kept)"):
            started = time.perf_counter()
            page.goto(f"{base}/p/{pid}/dynamics/explore/?source=survey")
            page.wait_for_selector("#explorer[data-ready='1']", state="attached")
            seconds = time.perf_counter() - started
            drawn = page.evaluate("window.samenspelExplorer.nodes().length")
            print(f"| {label} | {seconds:.2f} s | {drawn} |")
            if drawn != people:
                raise SystemExit(f"the explorer drew {drawn} of {people} people")
        browser.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
