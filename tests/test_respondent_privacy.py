"""Respondents' privacy, tried with real requests as every role.

Who named whom is shown only to the programme director of a wave whose first page told
respondents so; everyone else sees the survey per organisation, and nothing at all until the
wave's minimum number of people have submitted. Saved drafts never count.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.models import Person
from samenspel.web.dynamics.models import Invitation, Rating, SurveyWave
from samenspel.web.dynamics.services import close_wave, open_wave

from .conftest import World
from .test_dynamics_web import ANSWER


def _answer(wave: SurveyWave, respondent: Person, named: Person, *, submit: bool) -> None:
    invitation = Invitation.objects.get(wave=wave, person=respondent)
    data = {f"works_{named.pk}": "1", "submit": "1" if submit else "0"}
    data.update({f"{k}_{named.pk}": v for k, v in ANSWER.items()})
    response = Client().post(f"/s/{invitation.token}/", data)
    assert response.status_code == 302


def _wave(world: World, *, named_ties: bool) -> tuple[SurveyWave, Person]:
    nurse = Person.objects.create(
        programme=world.a,
        name="Nina Nurse",
        stakeholder_group="professional",
        organisation=world.hospital,
    )
    _, role = get_programme_for(world.director, world.a.pk)
    return open_wave(role=role, name="Wave", named_ties=named_ties), nurse


def _close(world: World, wave: SurveyWave) -> None:
    _, role = get_programme_for(world.director, world.a.pk)
    close_wave(role=role, wave=wave)


def _surfaces(client: Client, world: World, wave: SurveyWave) -> dict[str, str]:
    """Every place the survey network reaches, as text."""
    base = f"/p/{world.a.pk}"
    query = f"?wave={wave.pk}&source=survey"
    texts = {}
    for name in ("dynamics/", "dynamics/nodes.csv", "dynamics/edges.csv",
                 "dynamics/network.graphml"):  # fmt: skip
        response = client.get(f"{base}/{name}{query}")
        assert response.status_code == 200, name
        texts[name] = response.content.decode()
    for name in ("dynamics/report.pdf", "report.pdf"):
        content = client.get(f"{base}/{name}{query}").content
        texts[name] = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    book = load_workbook(io.BytesIO(client.get(f"{base}/report.xlsx").content))
    texts["report.xlsx"] = " ".join(
        str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value
    )
    return texts


def _person_edges(world: World, edges_csv: str) -> set[tuple[str, str]]:
    person_ids = {str(p.pk) for p in Person.objects.filter(programme=world.a)}
    rows = [line.split(",") for line in edges_csv.splitlines()[1:]]
    return {(r[0], r[1]) for r in rows if r[0] in person_ids or r[1] in person_ids}


@pytest.mark.parametrize("who", ["partner", "viewer", "director"])
def test_nobody_sees_who_named_whom_unless_the_wave_said_so(world: World, who: str) -> None:
    wave, nurse = _wave(world, named_ties=False)
    for respondent in (world.exec_h, world.gp, nurse):
        _answer(wave, respondent, world.exec_m, submit=True)
    _close(world, wave)
    texts = _surfaces(world.client_for(getattr(world, who)), world, wave)
    assert not _person_edges(world, texts["dynamics/edges.csv"])
    # the hospital → town pair was named by 3 different respondents: shown, per organisation
    org_edges = [line.split(",") for line in texts["dynamics/edges.csv"].splitlines()[1:]]
    assert org_edges == [
        [f"o{min(world.hospital.pk, world.municipality.pk)}",
         f"o{max(world.hospital.pk, world.municipality.pk)}", "3.0", "False"]
    ]  # fmt: skip
    for surface in ("dynamics/", "dynamics/nodes.csv", "dynamics/network.graphml",
                    "dynamics/report.pdf"):  # fmt: skip
        for person in (world.exec_h, world.gp, nurse, world.exec_m):
            assert person.name not in texts[surface], (surface, person.name)
    assert "per organisation" in texts["dynamics/"] or "per organisatie" in texts["dynamics/"]


def test_the_director_sees_named_ties_when_the_survey_told_respondents(world: World) -> None:
    wave, nurse = _wave(world, named_ties=True)
    invitation = Invitation.objects.get(wave=wave, person=world.gp)
    first_page = Client().get(f"/s/{invitation.token}/").content.decode()
    assert "ziet wie u noemt" in first_page  # "the programme director sees whom you name"
    for respondent in (world.exec_h, world.gp, nurse):
        _answer(wave, respondent, world.exec_m, submit=True)
    director = world.client_for(world.director)
    edges = director.get(f"/p/{world.a.pk}/dynamics/edges.csv?wave={wave.pk}&source=survey")
    assert _person_edges(world, edges.content.decode()) == {
        (str(p.pk), str(world.exec_m.pk)) for p in (world.exec_h, world.gp, nurse)
    }
    _close(world, wave)
    for user in (world.partner, world.viewer):
        texts = _surfaces(world.client_for(user), world, wave)
        assert not _person_edges(world, texts["dynamics/edges.csv"])
        assert world.gp.name not in texts["dynamics/network.graphml"]


def test_unnamed_survey_first_page_promises_nobody_sees_names(world: World) -> None:
    wave, _nurse = _wave(world, named_ties=False)
    invitation = Invitation.objects.get(wave=wave, person=world.gp)
    page = Client().get(f"/s/{invitation.token}/").content.decode()
    assert "Niemand ziet wie u noemt" in page


@pytest.mark.parametrize("who", ["partner", "viewer", "director"])
def test_one_answer_of_many_shows_nothing_of_that_person(world: World, who: str) -> None:
    wave, _nurse = _wave(world, named_ties=False)
    _answer(wave, world.gp, world.exec_m, submit=True)
    _close(world, wave)
    texts = _surfaces(world.client_for(getattr(world, who)), world, wave)
    assert texts["dynamics/edges.csv"].splitlines() == ["source,target,weight,directed"]
    assert "<edge" not in texts["dynamics/network.graphml"]
    page = texts["dynamics/"]
    assert "1 van de minstens 3" in page  # "1 of the at least 3 answers needed"
    assert "Dichtheid</h3>" not in page and 'class="heat"' not in page  # no figures, no matrix


def test_saved_drafts_count_nowhere(world: World) -> None:
    wave, nurse = _wave(world, named_ties=True)
    for respondent in (world.exec_h, world.gp, nurse):
        _answer(wave, respondent, world.exec_m, submit=False)  # saved, never submitted
    assert Rating.objects.filter(invitation__wave=wave).count() == 0  # drafts stay drafts
    assert Invitation.objects.filter(wave=wave).exclude(draft={}).count() == 3
    director = world.client_for(world.director)
    query = f"?wave={wave.pk}&source=survey"
    edges = director.get(f"/p/{world.a.pk}/dynamics/edges.csv{query}").content.decode()
    assert edges.splitlines() == ["source,target,weight,directed"]
    page = director.get(f"/p/{world.a.pk}/dynamics/{query}")
    assert dict(page.context["org_scores"]) == {}
    assert page.context["dyn"].responded == 0


def test_the_respondent_minimum_cannot_go_below_three(world: World) -> None:
    _, role = get_programme_for(world.director, world.a.pk)
    with pytest.raises(ValidationError) as info:
        open_wave(role=role, name="Too open", min_respondents=2)
    assert "min_respondents" in info.value.message_dict
    director = world.client_for(world.director)
    response = director.post(
        f"/p/{world.a.pk}/waves/", {"name": "Low", "min_respondents": "1"}, follow=True
    )
    assert not SurveyWave.objects.filter(name="Low").exists()
    assert "3" in " ".join(str(m) for m in response.context["messages"])
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyWave.objects.create(
            programme=world.a, name="Raw", opened_on="2026-01-01", min_respondents=2
        )


def test_a_group_with_fewer_respondents_than_the_minimum_is_not_a_row(world: World) -> None:
    """The row of a group is withheld unless enough of *its* people answered: three
    professionals of whom two answered would otherwise show those two's ties; the resident is
    a group of one, whose row would be their own ties."""
    physio = Person.objects.create(
        programme=world.a,
        name="Piet Physio",
        stakeholder_group="professional",
        organisation=world.municipality,
    )
    first, nurse = _wave(world, named_ties=False)
    for respondent in (world.exec_h, world.gp, nurse):
        _answer(first, respondent, world.resident, submit=True)
    _close(world, first)
    _, role = get_programme_for(world.director, world.a.pk)
    second = open_wave(role=role, name="Second")
    for respondent in (world.exec_h, world.gp, nurse, physio):
        _answer(second, respondent, world.resident, submit=True)
    _close(world, second)
    viewer = world.client_for(world.viewer)
    matrices = {}
    for wave in (first, second):
        page = viewer.get(f"/p/{world.a.pk}/dynamics/?wave={wave.pk}&source=survey")
        matrices[wave.name] = dict(page.context["matrices"])["stakeholder_group"]
    for matrix in matrices.values():
        assert matrix.sizes["resident"] == 1 and matrix.sizes["professional"] == 3
        assert set(matrix.ties["resident"].values()) == {None}
        assert all(row["resident"] is None for row in matrix.ties.values())
    # two of three professionals answered the first wave: no row; all three the second
    assert set(matrices["Wave"].ties["professional"].values()) == {None}
    assert matrices["Second"].ties["professional"]["professional"] == 0


def _figures(client: Client, world: World, wave: SurveyWave) -> dict[str, object]:
    """Every survey figure a member can read, without the response count itself."""
    base = f"/p/{world.a.pk}/dynamics"
    query = f"?wave={wave.pk}&source="
    figures: dict[str, object] = {}
    for source in ("survey", "combined"):
        page = client.get(f"{base}/{query}{source}")
        dyn = page.context["dyn"]
        figures[source] = (
            dyn.density, dyn.centralisation, dyn.ei, dyn.matrices, list(dyn.advice),
            sorted(page.context["org_scores"]), dyn.network.ties, dyn.change,
        )  # fmt: skip
        for name in ("nodes.csv", "edges.csv", "network.graphml", "network.json"):
            figures[f"{source} {name}"] = client.get(f"{base}/{name}{query}{source}").content
    for organisation in (world.hospital, world.municipality):  # a member sees their own
        response = client.get(f"{base}/profile/{organisation.pk}/?wave={wave.pk}")
        if response.status_code == 200:
            profile = response.context["profile"]
            figures[organisation.name] = {k: v for k, v in profile.items() if k != "responded"}
    return figures


@pytest.mark.parametrize("who", ["partner", "viewer"])
def test_one_more_answer_changes_no_figure_a_member_sees(world: World, who: str) -> None:
    """The attack that worked: a member reads every page before and after each resident
    answers, and subtracts. While the wave is open nothing but the response count moves; once
    closed, the figures rest on one fixed set of answers and no group row on fewer than the
    minimum of its own respondents."""
    residents = [
        Person.objects.create(programme=world.a, name=f"Inwoner {i}", stakeholder_group="resident")
        for i in range(6)
    ]
    physio = Person.objects.create(
        programme=world.a, name="Piet Physio", stakeholder_group="professional"
    )
    _, role = get_programme_for(world.director, world.a.pk)
    earlier = open_wave(role=role, name="Earlier", opened_on=dt.date(2025, 3, 1))
    for respondent in (world.exec_h, world.gp, physio):  # a closed wave to compare with
        _answer(earlier, respondent, world.exec_m, submit=True)
    close_wave(role=role, wave=earlier)
    wave, nurse = _wave(world, named_ties=False)
    for respondent in (world.exec_h, world.gp, nurse, physio):  # the minimum is reached at once
        _answer(wave, respondent, world.exec_m, submit=True)
    member = world.client_for(getattr(world, who))
    before = _figures(member, world, wave)
    for resident in residents[:3]:
        _answer(wave, resident, nurse, submit=True)
        after = _figures(member, world, wave)
        assert after == before, "an answer in an open wave changed what a member sees"
    page = member.get(f"/p/{world.a.pk}/dynamics/?wave={wave.pk}&source=survey").content.decode()
    assert "7 mensen hebben tot nu toe ingestuurd" in page  # "6 people have submitted so far"
    _close(world, wave)
    closed = _figures(member, world, wave)
    assert closed != before  # the figures are published now, the change since Earlier too ...
    assert closed["survey"][7] is not None and before["survey"][7] is None  # type: ignore[index]
    matrix = closed["survey"][3]["stakeholder_group"]  # type: ignore[index]
    assert matrix.ties["resident"]["professional"] == 3  # ... three residents named the nurse
    assert set(matrix.ties["executive"].values()) == {None}  # one executive answered: no row
    late = Invitation.objects.get(wave=wave, person=residents[3])
    Client().post(f"/s/{late.token}/", {f"works_{nurse.pk}": "1", "submit": "1"})
    late.refresh_from_db()
    assert late.submitted_at is None  # ... and can no longer change
    assert _figures(member, world, wave) == closed


def test_error_pages_are_translated_with_a_way_back(world: World) -> None:
    response = world.client_for(world.viewer).get("/p/999999/")
    page = response.content.decode()
    assert response.status_code == 404 and "Pagina niet gevonden" in page
    assert 'href="/"' in page and "Terug naar mijn programma" in page
    forbidden = world.client_for(world.viewer).get(f"/p/{world.a.pk}/waves/1/links.csv")
    assert forbidden.status_code in (403, 404)
