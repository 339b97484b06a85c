"""WCAG 2.1 AA: axe-core finds no violations on the main pages of the demo region, on a desktop
screen and on a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from samenspel.web.core.models import Organisation, Person, Programme
from samenspel.web.dynamics.models import Invitation, SurveyWave
from samenspel.web.finance.models import Agreement
from samenspel.web.monitoring.models import RegiobeeldRun
from samenspel.web.regioplan.models import Action
from samenspel.web.workspace.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page: Page, axe: Axe, url: str) -> list[str]:
    page.goto(url)
    response = axe.run(page, options=WCAG_AA).response
    return [
        f"{url}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: {v['help']}"
        for v in response["violations"]
    ]


def _main_pages() -> list[str]:
    run = RegiobeeldRun.objects.filter(status="done").select_related("programme").first()
    assert run is not None, "the demo computes a regiobeeld"
    programme: Programme = run.programme
    pid = programme.pk
    any_agreement = Agreement.objects.filter(programme__is_demo=True).first()
    assert any_agreement is not None
    person = Person.objects.filter(programme=programme).first()
    assert person is not None
    wave = SurveyWave.objects.filter(programme=programme).first()
    assert wave is not None
    organisation = Organisation.objects.filter(programme=programme).first()
    assert organisation is not None
    action = Action.objects.filter(programme=programme).first()
    assert action is not None, "the demo has a regioplan"
    return [
        "/",
        f"/p/{pid}/",
        f"/p/{pid}/organisations/",
        f"/p/{pid}/people/",
        f"/p/{pid}/people/{person.pk}/",
        f"/p/{pid}/people/new/",
        f"/p/{pid}/groups/",
        f"/p/{pid}/dynamics/",
        f"/p/{pid}/dynamics/explore/",
        f"/p/{pid}/waves/",
        f"/p/{pid}/waves/{wave.pk}/",
        f"/p/{pid}/dynamics/profile/{organisation.pk}/",
        f"/p/{pid}/ideas/",
        f"/p/{pid}/agreements/",
        f"/p/{any_agreement.programme_id}/money/{any_agreement.pk}/",
        f"/p/{pid}/population/",
        f"/p/{pid}/population/runs/{run.pk}/",
        f"/p/{pid}/plan/",
        f"/p/{pid}/plan/agenda/",
        f"/p/{pid}/plan/matrix/",
        f"/p/{pid}/plan/organisation/{action.owner_id}/",
        f"/p/{pid}/plan/action/{action.pk}/",
        f"/p/{pid}/plan-goals/new/",
        f"/p/{pid}/roles/",
        f"/p/{pid}/import/",
        "/p/compare/",
        "/p/new/",
    ]


def test_main_pages_have_no_wcag_violations(new_page: Any) -> None:
    load_demo(with_population=True)
    axe = Axe()
    page: Page = new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    problems = _violations(page, axe, "/accounts/login/")
    invitation = Invitation.objects.filter(
        submitted_at__isnull=True, wave__closed_at__isnull=True
    ).first()
    assert invitation is not None
    problems += _violations(page, axe, f"/s/{invitation.token}/")
    page.goto("/accounts/login/")
    page.fill("#id_username", "regisseur")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")
    for url in _main_pages():
        problems += _violations(page, axe, url)
    # and on a phone, where tables and charts scroll in their own boxes and the menus fold
    page.set_viewport_size({"width": 390, "height": 844})
    for url in _main_pages():
        problems += [f"390 px: {p}" for p in _violations(page, axe, url)]
    assert not problems, "\n".join(problems)
