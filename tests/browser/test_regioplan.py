"""The regioplan in a real browser: a partner reports progress on a phone, the director adds a
goal on a desktop, and bad input is named on the form with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samenspel.web.core.models import Programme
from samenspel.web.regioplan.models import Goal, Milestone
from samenspel.web.workspace.demo import DEMO_PASSWORD, load_demo

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partner_reports_progress_on_a_phone(new_page: Any) -> None:
    load_demo(with_population=False)
    ruwaard = Programme.objects.get(name="Proeftuin Ruwaard")
    page: Page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    # a member of the mental health organisation, which is responsible for one action
    log_in(page, "partner", DEMO_PASSWORD)
    page.goto(f"/p/{ruwaard.pk}/plan/")
    page.get_by_role("link", name="De apotheek signaleert eenzaamheid").click()
    card = page.locator("form.milestone").filter(has_text="Apothekersassistenten getraind")
    card.get_by_label("Klaar").check()
    card.get_by_label("Toelichting").fill("Twaalf assistenten getraind")
    card.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Voortgang opgeslagen")
    milestone = Milestone.objects.get(programme=ruwaard, title="Pharmacy assistants trained")
    assert milestone.done and milestone.comment == "Twaalf assistenten getraind"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # an action of another organisation can be read, but offers no report form
    page.goto(f"/p/{ruwaard.pk}/plan/")
    page.get_by_role("link", name="Buurtkamer als ontmoetingsplek").click()
    expect(page.get_by_role("heading", name="Voortgang melden")).to_have_count(0)


def test_the_director_adds_a_goal_and_bad_input_is_named(new_page: Any) -> None:
    load_demo(with_population=False)
    goedleven = Programme.objects.get(name="Goedleven")
    before = Goal.objects.count()
    page: Page = new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    log_in(page, "regisseur", DEMO_PASSWORD)
    page.goto(f"/p/{goedleven.pk}/plan/")
    page.get_by_role("link", name="Doel toevoegen").click()
    page.select_option("#id_theme", label="Gezonde wijken")
    page.fill("#id_title", "Minder overgewicht bij kinderen")
    page.fill("#id_own_indicator", "Kinderen met overgewicht (%)")
    page.select_option("#id_direction", "down")
    page.fill("#id_baseline_year", "2024")
    page.fill("#id_baseline_value", "14")
    page.fill("#id_target_year", "2023")
    page.fill("#id_target_value", "11")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("main")).to_contain_text("Het doeljaar moet na het basisjaar liggen.")
    assert Goal.objects.count() == before
    page.fill("#id_target_year", "2028")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Opgeslagen")
    assert Goal.objects.count() == before + 1
    page.goto(f"/p/{goedleven.pk}/plan/")
    goal = page.locator("article.goal").filter(has_text="Minder overgewicht bij kinderen")
    expect(goal).to_contain_text("Nog niet meetbaar")
    expect(goal).to_contain_text("Nog geen cijfer na het basisjaar.")
