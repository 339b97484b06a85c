"""The survey as a respondent meets it, in a real browser, on a phone (390×844) and on a desktop
(1400 px): 40 partners to choose from, search, a card per chosen person with radio buttons,
save and resume on another device, and submit. No step scrolls sideways, and axe finds no
serious or critical violation on any step. Taps and time are printed for the closing note."""

from __future__ import annotations

import time
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from samenspel.web.core import services as core
from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.models import Organisation, Person
from samenspel.web.dynamics.models import Invitation, OrganisationRating, Rating
from samenspel.web.dynamics.services import open_wave

pytestmark = pytest.mark.django_db(transaction=True)

GROUPS = ("executive", "manager", "professional", "patient_representative", "resident")
ORGANISATIONS = ("Ziekenhuis Rivierland", "Gemeente Waalstad", "Huisartsen Waalstad",
                 "Thuiszorg De Linge", "Zorgverzekeraar Oost", "Welzijn Waalstad",
                 "Apotheek Centrum", "Woonstichting Thuis")  # fmt: skip
CHOSEN = 8


def _programme(unit: str = "person") -> Invitation:
    director = get_user_model().objects.create_user("regie", password="x-very-secret-9")
    programme = core.create_programme(user=director, name="Proeftuin Rivierland", region_name="R")
    organisations = [
        Organisation.objects.create(
            programme=programme, name=name, kind="other", domain="care", level="municipality"
        )
        for name in ORGANISATIONS
    ]
    people = [
        Person.objects.create(
            programme=programme,
            name=f"Partner {i:02d} {name}",
            stakeholder_group=GROUPS[i % len(GROUPS)],
            profession="nurse" if GROUPS[i % len(GROUPS)] == "professional" else "",
            organisation=organisations[i % len(organisations)],
        )
        for i, name in enumerate(
            ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"] * 5
        )
    ]
    respondent = Person.objects.create(
        programme=programme, name="Ria Respondent", stakeholder_group="manager",
        organisation=organisations[0],
    )  # fmt: skip
    assert len(people) == 40
    _, role = get_programme_for(director, programme.pk)
    wave = open_wave(role=role, name="Voorjaar 2027", unit=unit)
    return wave.invitations.get(person=respondent)


class Taps:
    """Counts what the respondent does by hand: taps and typed searches."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def tap(self, selector: str) -> None:
        self.page.locator(selector).first.click()
        self.count += 1


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


AXE_SECONDS: list[float] = []


def _serious(page: Page, axe: Axe) -> list[str]:
    """Serious and critical axe violations (the time axe takes is not the respondent's)."""
    started = time.perf_counter()
    response = axe.run(page).response
    AXE_SECONDS.append(time.perf_counter() - started)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}"
        for v in response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _answer_cards(page: Page, taps: Taps, *, prefix: str = "") -> None:
    for card in page.locator("fieldset.card").all():
        for question in card.locator("fieldset.question").all():
            question.locator("label").nth(1).click()  # the second answer of each question
            taps.count += 1


@pytest.mark.parametrize("width,height", [(390, 844), (1400, 900)])
def test_a_respondent_finishes_the_survey(new_page: Any, width: int, height: int) -> None:
    invitation = _programme()
    page: Page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    axe, problems, taps = Axe(), [], Taps(page)
    AXE_SECONDS.clear()
    started = time.perf_counter()
    page.goto(f"/s/{invitation.token}/")
    expect(page.locator("h1")).to_contain_text("Met wie werkt u samen")
    _fits(page, width)
    problems += _serious(page, axe)
    assert page.locator("#people-list .pick").count() == 40
    # search narrows the list as one types; the rest stays chosen
    page.fill("#survey-search", "visser")
    taps.count += 1
    expect(page.locator("#people-list .pick:visible")).to_have_count(5)
    taps.tap("#people-list .pick:visible >> nth=0")
    page.fill("#survey-search", "")
    expect(page.locator("#people-list .pick:visible")).to_have_count(40)
    for i in (0, 1, 2, 4, 5, 6, 7):  # 3 is the Visser found above
        page.locator("#people-list .pick", has_text=f"Partner {i:02d} ").click()
        taps.count += 1
    expect(page.locator("#people-list input:checked")).to_have_count(CHOSEN)
    taps.tap("button[name=go]")
    expect(page.locator("fieldset.card")).to_have_count(CHOSEN)
    _fits(page, width)
    problems += _serious(page, axe)
    # half the cards, then save and continue on another device with the same link
    per_card = page.locator("fieldset.card").first.locator("fieldset.question").count()
    for card in page.locator("fieldset.card").all()[: CHOSEN // 2]:
        for question in card.locator("fieldset.question").all():
            question.locator("label").nth(1).click()
            taps.count += 1
        # the progress bar and the card follow each answer, before anything is saved
        expect(card).to_have_class("card complete")
    done = CHOSEN // 2 * per_card
    expect(page.locator("label[for=survey-progress]")).to_have_text(
        f"{done} van {CHOSEN * per_card} vragen beantwoord"
    )
    assert page.evaluate("document.getElementById('survey-progress').value") == done
    last = page.locator("fieldset.card").nth(CHOSEN // 2 - 1).get_attribute("id")
    taps.tap("button.secondary >> text=Opslaan en later verder")
    expect(page.locator(".messages")).to_contain_text("Opgeslagen")
    # back at the card they were on, not at the top of the page
    assert page.url.endswith(f"?step=people#{last}")
    expect(page.locator(f"#{last}")).to_be_in_viewport()
    other: Page = new_page()
    other.set_viewport_size({"width": width, "height": height})
    other.goto(f"/s/{invitation.token}/")
    expect(other.locator("fieldset.card")).to_have_count(CHOSEN)  # resumes at the cards
    expect(other.locator("fieldset.card.complete")).to_have_count(CHOSEN // 2)
    # submitting too early names the person and the question
    other.get_by_role("button", name="Volgende").click()
    other.locator("button[name=submit]").click()
    expect(other.locator("#problems")).to_contain_text("Hoe vaak heeft u contact")
    other.close()
    # back on the first device: finish the cards, review, submit
    page.goto(f"/s/{invitation.token}/?step=people")
    # (by id: a card's locator would move on once it is marked complete)
    open_cards = page.locator("fieldset.card:not(.complete)").evaluate_all(
        "cards => cards.map(c => c.id)"
    )
    for card in (page.locator(f"#{card_id}") for card_id in open_cards):
        for question in card.locator("fieldset.question").all():
            question.locator("label").nth(1).click()
            taps.count += 1
    taps.tap("button[name=go]")
    expect(page.locator("h1")).to_contain_text("Controleren en versturen")
    _fits(page, width)
    problems += _serious(page, axe)
    taps.tap("button[name=submit]")
    expect(page.locator("h1")).to_contain_text("Dank u wel")
    _fits(page, width)
    problems += _serious(page, axe)
    seconds = time.perf_counter() - started - sum(AXE_SECONDS)
    assert not problems, "\n".join(problems)
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    assert Rating.objects.filter(invitation=invitation).count() == CHOSEN
    # 8 people chosen (one found by search) + 8 × 8 answers + next, save, next, submit
    assert taps.count == 1 + CHOSEN + CHOSEN * 8 + 4
    print(f"\nsurvey at {width}px: {taps.count} taps and one search, {seconds:.1f} s (two devices)")


def test_a_wave_per_organisation_asks_trust_once_per_organisation(new_page: Any) -> None:
    invitation = _programme(unit="organisation")
    page: Page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/s/{invitation.token}/")
    # three people of two other organisations, and one of the respondent's own
    for name in ("Partner 01", "Partner 09", "Partner 02", "Partner 08"):
        page.locator(".pick", has_text=name).locator("input").check()
    page.get_by_role("button", name="Volgende").click()
    cards = page.locator("fieldset.card")
    expect(cards).to_have_count(4)
    expect(cards.first.locator("fieldset.question")).to_have_count(2)  # contact, collaboration
    for question in page.locator("fieldset.question").all():
        question.locator("label").nth(2).click()
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("h1")).to_contain_text("De organisaties waarmee u werkt")
    orgs = page.locator("fieldset.card")
    expect(orgs).to_have_count(2)  # Gemeente Waalstad and Huisartsen Waalstad, not her own
    _fits(page, 390)
    assert not _serious(page, Axe())
    for question in page.locator("fieldset.question").all():
        question.locator("label").nth(3).click()
    page.get_by_role("button", name="Volgende").click()
    page.locator("button[name=submit]").click()
    expect(page.locator("h1")).to_contain_text("Dank u wel")
    assert OrganisationRating.objects.filter(invitation=invitation).count() == 2
    assert set(
        OrganisationRating.objects.values_list("organisation__name", flat=True)
    ) == {"Gemeente Waalstad", "Huisartsen Waalstad"}
    assert Rating.objects.filter(invitation=invitation, trust_mission__isnull=True).count() == 4
