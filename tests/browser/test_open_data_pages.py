"""The Population page as a regisseur uses it: choose municipalities, load a Vektis file, read
the comparison; at phone width (390 px) and at 1400 px nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from samenspel.analytics.population.synthetic_vektis import synthetic_vektis
from samenspel.web.core import services
from samenspel.web.monitoring.models import OpenDataFile

from .conftest import log_in, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1400])
def test_region_and_vektis_file_from_the_page(new_page: Any, tmp_path: Path, width: int) -> None:
    director = make_user("regisseur")
    programme = services.create_programme(user=director, name="Maasland", region_name="Maasland")
    vektis = tmp_path / "vektis-zvw-2023-gemeente.csv"
    vektis.write_bytes(synthetic_vektis(2023))
    page: Page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "regisseur")
    page.goto(f"/p/{programme.pk}/population/")
    assert "Kies eerst de gemeenten" in page.content()
    page.fill("#areas", "Oss\n's-Hertogenbosch\nden bosch\nVught")
    page.click("form:has(#areas) button[type=submit]")
    page.set_input_files("#od-file", str(vektis))
    page.click("form:has(#od-file) button[type=submit]")
    page.wait_for_selector("svg.funnel")
    assert OpenDataFile.objects.filter(programme=programme, year=2023).count() == 1
    table = page.locator("table", has_text="Plaats in Nederland")
    names = table.locator("tbody th").all_inner_texts()
    assert sorted(n.split(" ")[0] for n in names) == ["'s-Hertogenbosch", "Oss", "Vught"]
    assert page.locator("svg.funnel text", has_text="Vught").count() == 1
    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width, f"the page is {width_used} px wide at {width} px"
