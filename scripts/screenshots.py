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

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from load import free_port, load_demo, wait_until_up

OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
SHOTS = {  # file: (page, the heading scrolled to the top, or "" for the top of the page)
    "home.png": ("/", ""),
    "programme.png": ("/p/{ruwaard}/", "Het programma in één oogopslag"),
    "dynamics.png": ("/p/{ruwaard}/dynamics/", "Samenwerkingsnetwerk"),
    "money.png": ("/p/{samendraads}/money/{agreement}/", "Wie investeert en wie bespaart"),
    "settlement.png": ("/p/{samendraads}/money/{agreement}/", "Gerealiseerde besparingen"),
    "regiobeeld.png": ("/p/{ruwaard}/population/runs/{run}/", ""),
    "explorer.png": ("/p/{ruwaard}/dynamics/explore/", ""),
}


SCROLL_TO = "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 12)"


def _survey_on_a_phone(browser: Browser, base: str, token: str) -> None:
    """A respondent on a phone: three people chosen, the first card half answered."""
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.goto(f"{base}/s/{token}/?step=choose")
    for i in (0, 4, 9):
        phone.locator(f"#people-list .pick >> nth={i}").click()
    phone.get_by_role("button", name="Volgende").click()
    card = phone.locator("fieldset.card").first
    for question, answer in ((0, 1), (1, 2), (2, 3)):
        card.locator("fieldset.question").nth(question).locator("label").nth(answer).click()
    phone.locator("h1").evaluate(SCROLL_TO)
    phone.screenshot(path=str(OUT / "survey-phone.png"))
    print(f"wrote {OUT / 'survey-phone.png'}")
    phone.close()


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
                if name == "explorer.png":
                    page.wait_for_selector("#explorer[data-ready='1']", state="attached")
                    page.fill("#ex-search", "Daan Verhoeven")
                    page.press("#ex-search", "Enter")
                    page.locator("#ex-who").wait_for()
                    page.wait_for_timeout(600)  # the zoom to the person's network
                    page.locator("h1").evaluate(SCROLL_TO)
                page.screenshot(path=str(OUT / name))
                print(f"wrote {OUT / name}")
            _survey_on_a_phone(browser, base, ids["survey"])
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
