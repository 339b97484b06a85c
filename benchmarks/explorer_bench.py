"""Benchmark: how long the network explorer takes to load for the 2,000-person, 40,000-tie
benchmark network (the one of network_bench.py), in Debian's chromium at desktop width.

It builds a programme with that network as a survey wave in a fresh SQLite database, starts the
app (Django's server, serving the static files itself), logs in as the programme director and
opens the explorer: once while the server computes every measure and the layout, then warm, with
sigma.js (WebGL, the explorer's renderer) and with Cytoscape.js (canvas, its earlier renderer)
on the same page and data. It prints the page's size, the time to the first picture, the time
between frames while the map is dragged, and how many times sooner sigma.js draws. Usage:

    .venv/bin/python benchmarks/explorer_bench.py [--people 2000] [--ties 40000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from load import free_port, wait_until_up
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
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", "--insecure",
         f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, 300, server)
        _measure(base, pid, args.people)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


# Frames drawn while a person drags the map: every animation frame's time, until stopped.
FRAMES = """() => {
  window.benchFrames = [];
  const tick = (t) => {
    window.benchFrames.push(t);
    window.benchTick = requestAnimationFrame(tick);
  };
  window.benchTick = requestAnimationFrame(tick);
}"""
INTERVALS = """() => {
  cancelAnimationFrame(window.benchTick);
  const f = window.benchFrames;
  return f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b);
}"""


def _drag(page: Any, kind: str) -> tuple[float, float]:
    """The median and the longest time between two frames while the mouse drags the map
    across 40 steps (nodes cannot be grabbed, so every drag pans)."""
    if kind == "cy":
        page.evaluate("window.samenspelExplorer.autoungrabify(true)")
    box = page.locator("#ex-canvas").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.evaluate(FRAMES)
    page.mouse.down()
    for i in range(40):
        page.mouse.move(x + 8 * (i % 20), y + 4 * (i % 20))
    page.mouse.up()
    page.wait_for_timeout(50)  # the frame after the last move (a benchmark, not a test)
    intervals = page.evaluate(INTERVALS)
    return intervals[len(intervals) // 2], intervals[-1]


ROOT = Path(__file__).resolve().parents[1]
CYTOSCAPE = ROOT / "node_modules/cytoscape/dist/cytoscape.min.js"
# The explorer as it was with Cytoscape.js, from the repository's history: the last commit before
# sigma.js. The benchmark marks it ready as the current explorer does, once drawn on the screen.
OLD_COMMIT = "20b3501"
OLD_READY = """cy.one("render", function () {
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          performance.mark("explorer-ready");
          root.dataset.ready = "1";
        });
      });
    });"""


def _old_explorer() -> str:
    """The Cytoscape.js explorer's script, patched only to say when its first picture shows."""
    try:
        script = subprocess.run(
            ["git", "show", f"{OLD_COMMIT}:src/samenspel/web/static/samenspel/explorer.js"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"the earlier explorer needs the git history ({error})") from None
    if script.count('root.dataset.ready = "1";') != 1:
        raise SystemExit(f"{OLD_COMMIT} does not hold the Cytoscape.js explorer")
    return script.replace('root.dataset.ready = "1";', OLD_READY)


def _use_old_renderer(page: Any, script: str) -> None:
    """The same page and data drawn by the explorer's earlier renderer (Cytoscape.js, canvas),
    for comparison."""
    if not CYTOSCAPE.exists():
        raise SystemExit("Cytoscape.js is missing: run `npm ci` (it is a development dependency)")
    page.route("**/static/vendor/sigma.min.js", lambda r: r.fulfill(path=str(CYTOSCAPE)))
    page.route(
        "**/static/samenspel/explorer.js",
        lambda r: r.fulfill(body=script, content_type="text/javascript"),
    )


# In the page, in seconds since navigation: the HTML received, the network's JSON received, and
# the first picture on the screen (the explorer's own mark, two frames after drawing).
STAGES = """() => {
  const json = performance.getEntriesByType("resource")
    .find((r) => r.name.includes("network.json"));
  const ready = performance.getEntriesByName("explorer-ready")[0];
  return [performance.getEntriesByType("navigation")[0].responseEnd, json ? json.responseEnd : NaN,
    ready.startTime].map((t) => t / 1000);
}"""


def _load(page: Any, url: str, people: int) -> tuple[float, float, float]:
    """In seconds from navigation, as the page itself measures: the first picture of the whole
    network on the screen, the HTML received, and the network's data received."""
    page.goto(url)
    page.wait_for_selector("#explorer[data-ready='1']", state="attached")
    html, data, drawn = page.evaluate(STAGES)
    people_drawn = page.evaluate("window.samenspelExplorer.nodes().length")
    if people_drawn != people:
        raise SystemExit(f"the explorer drew {people_drawn} of {people} people")
    return drawn, html, data


def _measure(base: str, pid: int, people: int) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("SAMENSPEL_CHROMIUM") or shutil.which("chromium") or "chromium"
    url = f"{base}/p/{pid}/dynamics/explore/?source=survey"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(600_000)
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "regie")
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/")
        cold = _load(page, url, people)[0]  # the server computes and keeps measures and layout
        html = len(page.content().encode())
        data = len(context.request.get(url.replace("explore/", "network.json")).body())
        rows = []
        for name, kind in (("sigma.js (WebGL), now", "sigma"), ("Cytoscape.js, before", "cy")):
            old = context.new_page()
            if kind == "cy":
                _use_old_renderer(old, _old_explorer())
            loads = [_load(old, url, people) for _ in range(3)]
            rows.append((name, min(loads), _drag(old, kind)))
            old.close()
        browser.close()
    print(f"first load, the server computing measures and layout: {cold:.2f} s")
    print(f"page HTML {html / 1e6:.2f} MB; network data (JSON, fetched) {data / 1e6:.2f} MB")
    print("| renderer | first picture, warm (best of 3) | of which drawing, after the data "
          "arrived | frame while dragging: median | longest |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    for name, (drawn, _html, data_at), (median, longest) in rows:
        print(f"| {name} | {drawn:.2f} s | {drawn - data_at:.2f} s | {median:.0f} ms "
              f"| {longest:.0f} ms |")  # fmt: skip
    (_, (new, _, new_data), _), (_, (old, _, old_data), _) = rows
    print(f"first picture {old / new:.1f}× sooner with sigma.js; "
          f"drawing alone {(old - old_data) / (new - new_data):.1f}× sooner")  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
