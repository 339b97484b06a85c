"""A programme director's first day, click by click in a real browser.

Log in, create a programme, compose it (organisations, people, a group), run a survey wave
answered by two respondents through their personal links, read the network dashboard, record
an intervention and read the division of the gains, upload a synthetic population and read the
regiobeeld, switch the interface to English, and download the programme report.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from samenspel.analytics.population.synthetic import generate

from .conftest import log_in, make_user

pytestmark = pytest.mark.django_db(transaction=True)
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _programme_id(page: Page) -> int:
    match = re.search(r"/p/(\d+)/", page.url)
    assert match, page.url
    return int(match.group(1))


def _add_record(page: Page, pid: int, slug: str, fields: dict[str, str]) -> None:
    """Fill the generic record form; text by fill, selects by option value, then save."""
    page.goto(f"/p/{pid}/{slug}/new/")
    for name, value in fields.items():
        field = page.locator(f"main form [name={name}]").first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/p/{pid}/{slug}/\d+/$"))


def _option_value(page: Page, pid: int, slug: str, select: str, label: str) -> str:
    page.goto(f"/p/{pid}/{slug}/new/")
    options = page.locator(f"#id_{select} option", has_text=label)
    value = options.first.get_attribute("value")
    assert value, f"no option {label!r} in {select}"
    return value


def _answer_survey(page: Page, link: str, colleague_ids: list[str]) -> None:
    """Choose the colleagues, answer every question on their cards, check and submit."""
    page.goto(link)
    for pk in colleague_ids:
        page.check(f"input[name=works_{pk}]")
    page.get_by_role("button", name="Volgende").click()
    for question in page.locator("fieldset.question").all():
        labels = question.locator("label")
        labels.nth(min(3, labels.count() - 1)).click()
    page.get_by_role("button", name="Volgende").click()
    page.click("button[name=submit][value='1']")
    expect(page.locator("main")).to_contain_text("Dank u wel")


def test_director_composes_surveys_divides_and_monitors(new_page: Any, tmp_path: Path) -> None:
    make_user("regisseur")
    page: Page = new_page()
    log_in(page, "regisseur")

    # Create a programme.
    page.goto("/p/new/")
    page.fill("#id_name", "Proeftuin Noorderkwartier")
    page.fill("#id_region_name", "Noorderkwartier")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Proeftuin Noorderkwartier")
    pid = _programme_id(page)

    # Composition: two organisations, three people, a steering group with members.
    _add_record(
        page,
        pid,
        "organisations",
        {"name": "Ziekenhuis Noord", "kind": "hospital", "domain": "care", "level": "region"},
    )
    _add_record(
        page,
        pid,
        "organisations",
        {
            "name": "Zorgverzekeraar Noord",
            "kind": "health_insurer",
            "domain": "finance",
            "level": "region",
        },
    )
    hospital = _option_value(page, pid, "people", "organisation", "Ziekenhuis Noord")
    insurer = _option_value(page, pid, "people", "organisation", "Zorgverzekeraar Noord")
    people = {
        "Anna de Vries": ("executive", hospital),
        "Bram Jansen": ("executive", insurer),
        "Carla Smit": ("manager", hospital),
    }
    for name, (group, org) in people.items():
        _add_record(
            page, pid, "people", {"name": name, "stakeholder_group": group, "organisation": org}
        )
    _add_record(
        page, pid, "groups", {"name": "Stuurgroep", "kind": "steering_group", "layer": "strategic"}
    )
    group = _option_value(page, pid, "memberships", "group", "Stuurgroep")
    for name in ("Anna de Vries", "Bram Jansen"):
        person = _option_value(page, pid, "memberships", "person", name)
        _add_record(page, pid, "memberships", {"group": group, "person": person})
    page.goto(f"/p/{pid}/people/")
    for name in people:
        expect(page.locator("main table")).to_contain_text(name)

    # A survey wave; the personal links come from the director's CSV.
    page.goto(f"/p/{pid}/waves/")
    page.fill("#wave-name", "Voorjaar 2027")
    page.fill("#wave-min", "3")
    # respondents are told on the first page that the director sees whom they name
    page.get_by_label("Ik mag zien wie wie noemde", exact=False).check()
    page.locator("main form.stacked button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Voorjaar 2027")
    csv_href = page.get_by_role("link", name="Persoonlijke links (CSV)").get_attribute("href")
    response = page.request.get(str(csv_href))
    assert response.ok
    links = {row["name"]: row["link"] for row in csv.DictReader(io.StringIO(response.text()))}
    assert set(links) == set(people)
    person_ids = {name: _option_value(page, pid, "memberships", "person", name) for name in people}
    for respondent, colleagues in (
        ("Anna de Vries", ["Bram Jansen", "Carla Smit"]),
        ("Bram Jansen", ["Anna de Vries"]),
    ):
        survey_page: Page = new_page()  # no account: the link is the key
        _answer_survey(survey_page, links[respondent], [person_ids[c] for c in colleagues])
    page.goto(f"/p/{pid}/waves/")
    expect(page.locator("main table tbody tr").first).to_contain_text("2")

    # The network dashboard draws the three people for the director of a wave that said so.
    page.goto(f"/p/{pid}/dynamics/")
    expect(page.locator("h1")).to_contain_text("Dynamiek")
    network = page.locator("main svg").first
    for name in people:
        expect(network).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("Dichtheid")

    # Money: an agreement, an intervention both parties need, who pays and who saves.
    _add_record(
        page,
        pid,
        "agreements",
        {"name": "Zorg thuis", "start_year": "2027", "horizon": "1", "discount_rate": "0"},
    )
    agreement = _option_value(page, pid, "interventions", "agreement", "Zorg thuis")
    page.goto(f"/p/{pid}/interventions/new/")
    page.select_option("#id_agreement", agreement)
    page.fill("#id_name", "Thuismonitoring")
    page.get_by_label("Ziekenhuis Noord").check()
    page.get_by_label("Zorgverzekeraar Noord").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/p/{pid}/interventions/\d+/$"))
    intervention = _option_value(page, pid, "money-lines", "intervention", "Thuismonitoring")
    # the hospital's own cost (stream "other"), the insurer's Zvw saving: both count
    for kind, party, stream, amount in (
        ("cost", hospital, "other", "100000"),
        ("saving", insurer, "Zvw", "300000"),
    ):
        _add_record(
            page,
            pid,
            "money-lines",
            {
                "intervention": intervention,
                "kind": kind,
                "party": party,
                "stream": stream,
                "low": amount,
                "likely": amount,
                "high": amount,
                "years": "all",
            },
        )
    page.goto(f"/p/{pid}/agreements/")
    page.get_by_role("link", name="Zorg thuis").click()
    page.get_by_role("link", name="Businesscase en verdeling van de opbrengst").click()
    shapley = page.locator("main table tr", has_text="Shapley").first
    # Two parties who need each other: the gain of 200,000 is split evenly.
    expect(shapley).to_contain_text("100.000")
    expect(page.locator("main")).to_contain_text(
        "Zorgverzekeraar Noord betaalt Ziekenhuis Noord € 200.000 per jaar"
    )

    # Population: upload a synthetic region (three CSV files) and compute its regiobeeld.
    # (3,000 persons: in a smaller one the disclosure audit may hide even the region's total.)
    generate(tmp_path, persons=3000, seed=7, fmt="csv")
    page.goto(f"/p/{pid}/population/")
    page.fill("#up-name", "Synthetisch Noorderkwartier")
    for table in ("persons", "conditions", "care_events"):
        page.set_input_files(f"#up-{table}", tmp_path / f"{table}.csv")
    page.get_by_role("button", name="Uploaden").click()
    expect(page.locator("main")).to_contain_text("Synthetisch Noorderkwartier")
    # The request only queues the run and answers at once; the worker does the work,
    # validation included (as `samenspel serve` and production run it beside the web server).
    with override_settings(TASKS=DB_QUEUE):
        page.get_by_role("button", name="Regiobeeld berekenen").click()
        expect(page.get_by_role("status")).to_contain_text("In de wachtrij")
        run_page = page.url
        page.goto("about:blank")  # no page refreshes while the worker uses the test database
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.goto(run_page)
    expect(page.locator("main")).to_contain_text("Bevolkingspiramide")
    expect(page.locator("main .card .figure").first).to_contain_text(re.compile(r"\d\.\d{3}"))

    # Switch to English; the choice sticks on the next page.
    page.select_option("#language", "en")
    page.locator("header form.inline button", has_text="Wissel").click()
    expect(page.locator("main")).to_contain_text("Age pyramid")
    page.goto(f"/p/{pid}/")
    expect(page.locator("nav.programme-nav")).to_contain_text("Organisations")
    assert page.locator("html").get_attribute("lang") == "en"

    # The programme report for the board, from the programme page.
    with page.expect_download() as download:
        page.get_by_role("link", name="Programme report (PDF)").click()
    assert download.value.suggested_filename.startswith("programmarapport-")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
