"""Every main page works on a phone: at 390 px wide nothing makes the page scroll sideways
(wide tables scroll inside their own box), nor on the error pages."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from samenspel.web.dynamics.models import Invitation
from samenspel.web.workspace.demo import DEMO_PASSWORD, load_demo

from .test_accessibility import _main_pages

pytestmark = pytest.mark.django_db(transaction=True)


def test_main_pages_fit_a_phone(new_page: Any) -> None:
    load_demo(with_population=True)
    page: Page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = []

    def measure(url: str) -> None:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide.append(f"{url}: {width} px")

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
