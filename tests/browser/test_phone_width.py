"""Every main page works on a phone: at 390 px wide nothing makes the page scroll sideways
(wide tables and charts scroll inside their own box), nor on the error pages; chart text is at
least 11 px; and the menus fold behind one button."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from samenspel.web.dynamics.models import Invitation
from samenspel.web.workspace.demo import DEMO_PASSWORD, load_demo

from .test_accessibility import _main_pages

pytestmark = pytest.mark.django_db(transaction=True)

# The smallest text of any chart as drawn on the screen, in px (None: no chart on the page). The
# network map is left out: the explorer is its readable form.
SMALLEST_CHART_TEXT = """() => {
  let smallest = null;
  for (const svg of document.querySelectorAll("svg.chart:not(.network)")) {
    const box = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / box.width;
    for (const text of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (text.textContent.trim() && (smallest === null || size < smallest)) smallest = size;
    }
  }
  return smallest;
}"""


def test_main_pages_fit_a_phone(new_page: Any) -> None:
    load_demo(with_population=True)
    page: Page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide, too_small = [], []

    def measure(url: str) -> None:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide.append(f"{url}: {width} px")
        smallest = page.evaluate(SMALLEST_CHART_TEXT)
        if smallest is not None and smallest < 11:
            too_small.append(f"{url}: {smallest:.1f} px")

    measure("/accounts/login/")
    invitation = Invitation.objects.filter(
        submitted_at__isnull=True, wave__closed_at__isnull=True
    ).first()
    assert invitation is not None
    measure(f"/s/{invitation.token}/")
    page.goto("/accounts/login/")
    page.fill("#id_username", "regisseur")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")
    for url in [*_main_pages(), "/p/999999/", "/no-such-page/"]:
        measure(url)
    assert not too_wide, "pages wider than a 390 px phone:\n" + "\n".join(too_wide)
    assert not too_small, "chart text below 11 px on a phone:\n" + "\n".join(too_small)


def test_on_a_phone_the_menus_fold_behind_one_button(new_page: Any) -> None:
    """At 390 px the header is one line (the brand and a Menu button); the button opens every
    menu, and a link in it works. At 1400 px there is no button and every menu shows."""
    load_demo(with_population=False)
    page: Page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.fill("#id_username", "regisseur")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")
    page.get_by_role("link", name="Proeftuin Ruwaard").first.click()
    menu = page.get_by_role("button", name="Menu")
    money = page.locator("nav.programme-nav").get_by_role("link", name="Geld")
    assert menu.is_visible() and not money.is_visible()
    assert page.locator("header.top").bounding_box()["height"] < 90
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    money.click()
    page.wait_for_url("**/agreements/")
    page.set_viewport_size({"width": 1400, "height": 900})
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.locator("nav.programme-nav").get_by_role("link", name="Geld").is_visible()
