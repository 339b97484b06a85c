"""Screenshots of the demo for the README: starts the demo on loopback and saves PNGs in docs/img.

    .venv/bin/python scripts/screenshots.py

Needs Debian's chromium (``make browser``); set SAMENSPEL_CHROMIUM for another binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from load import free_port, load_demo, wait_until_up

OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
SHOTS = {  # file: (page, the heading scrolled to the top, or "" for the top of the page)
    "home.png": ("/", ""),
    "programme.png": ("/p/{ruwaard}/", "Het programma in één oogopslag"),
    "dynamics.png": ("/p/{ruwaard}/dynamics/", "Samenwerkingsnetwerk"),
    "money.png": ("/p/{samendraads}/money/{agreement}/", "Wie investeert en wie bespaart"),
    "regiobeeld.png": ("/p/{ruwaard}/population/runs/{run}/", ""),
}


SCROLL_TO = "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 12)"


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SAMENSPEL_DATA_DIR": tempfile.mkdtemp(prefix="samenspel-shots-"),
        "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.local",
    }
    ids = load_demo(env)
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base)
        chromium = os.environ.get("SAMENSPEL_CHROMIUM") or shutil.which("chromium")
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", "regisseur")
            page.fill("#id_password", "samenspel-demo")
            page.click("main form button[type=submit]")
            page.wait_for_url(base + "/")
            for name, (path, heading) in SHOTS.items():
                page.goto(base + path.format(**ids))
                if heading:
                    page.locator("h2", has_text=heading).first.evaluate(SCROLL_TO)
                page.screenshot(path=str(OUT / name))
                print(f"wrote {OUT / name}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
