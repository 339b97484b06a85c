"""Survey waves with real requests: personal links, save and return, submit, closing, access,
and the confidentiality of individual ratings."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.models import Person
from samenspel.web.dynamics.models import Invitation, Rating, SurveyWave
from samenspel.web.dynamics.services import open_wave

from .conftest import World

ANSWER = {
    "frequency": "weekly",
    "collaboration": "3",
    "trust_reliability": "4",
    "trust_mission": "4",
    "trust_openness": "3",
    "value_influence": "2",
    "value_involvement": "3",
    "value_resources": "2",
}


@pytest.fixture
def wave(world: World) -> SurveyWave:
    _, role = get_programme_for(world.director, world.a.pk)
    return open_wave(role=role, name="Spring")


def _answer(person: Person, **overrides: str) -> dict[str, str]:
    data = {f"works_{person.pk}": "1"}
    data.update({f"{k}_{person.pk}": v for k, v in {**ANSWER, **overrides}.items()})
    return data


def test_opening_a_wave_invites_everyone_with_a_personal_link(
    world: World, wave: SurveyWave
) -> None:
    assert wave.invitations.count() == 4
    assert len({i.token for i in wave.invitations.all()}) == 4
    assert all(len(i.token) >= 40 for i in wave.invitations.all())


def test_respondent_saves_returns_and_submits(world: World, wave: SurveyWave) -> None:
    invitation = wave.invitations.get(person=world.gp)
    client = Client()
    url = f"/s/{invitation.token}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Eva Exec" in page.content
    assert b"Gerrit GP</span>" not in page.content  # one does not rate oneself
    # step 1: choose; step 2: half a card; both saved, nothing counts yet
    response = client.post(url, {"step": "choose", f"works_{world.exec_h.pk}": "1", "go": "people"})
    assert response.status_code == 302 and response["Location"].endswith("?step=people")
    card = f"p{world.exec_h.pk}"
    saved = client.post(
        url, {"step": "people", f"frequency_{world.exec_h.pk}": "weekly", "at": card}
    )
    assert saved["Location"].endswith(f"?step=people#{card}")  # back to the card one was on
    hostile_cards = ("p1\r\nSet-Cookie: x=1", "javascript:alert(1)", "p1#x", "x" * 200,
                     "p" + "9" * 13)  # fmt: skip
    for hostile in hostile_cards:
        refused = client.post(url, {"step": "people", "at": hostile})
        assert refused["Location"].endswith("?step=people"), hostile  # anything else: the step
    invitation.refresh_from_db()
    assert invitation.draft["chosen"] == [world.exec_h.pk]
    assert invitation.draft["people"][str(world.exec_h.pk)] == {"frequency": "weekly"}
    assert Rating.objects.filter(invitation=invitation).count() == 0  # a draft counts for nothing
    again = Client().get(f"{url}?step=people")  # another device, the same link
    assert b'value="weekly" checked' in again.content
    assert again.context["done"] == 1 and again.context["total"] == 8
    client.post(url, {**_answer(world.exec_h), **_answer(world.resident), "submit": "1"})
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    assert Rating.objects.filter(invitation=invitation).count() == 2
    client.post(url, {**_answer(world.exec_m), "submit": "1"})
    assert Rating.objects.filter(invitation=invitation).count() == 2  # frozen after submitting
    thanks = client.get(url)
    assert thanks.status_code == 200 and b"<form method" not in thanks.content


def test_incomplete_answers_name_the_person_and_question(world: World, wave: SurveyWave) -> None:
    invitation = wave.invitations.get(person=world.gp)
    client = Client(HTTP_COOKIE="django_language=en")
    data = {**_answer(world.exec_h), **_answer(world.resident, trust_mission="")}
    response = client.post(f"/s/{invitation.token}/", {**data, "submit": "1"})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems == [
        "Rita Resident: please answer “Supports the shared mission of the programme”."
    ]
    assert Rating.objects.filter(invitation=invitation).count() == 0
    invitation.refresh_from_db()
    assert invitation.submitted_at is None
    # out of the scale or an unknown person: a message, and the draft stays as it was
    before = invitation.draft
    bad = {**_answer(world.exec_h, trust_reliability="7")}
    response = client.post(f"/s/{invitation.token}/", {**bad, "submit": "0"})
    assert response.context["problems"] == [
        "Eva Exec: Is reliable: does what they say they will do – choose one of the answers given."
    ]
    response = client.post(f"/s/{invitation.token}/", {"works_99999": "1", "step": "choose"})
    assert response.context["problems"] == ["Unknown person (id 99999)."]
    invitation.refresh_from_db()
    assert invitation.draft == before


def test_nobody_is_a_valid_answer_and_nothing_chosen_is_not(
    world: World, wave: SurveyWave
) -> None:
    invitation = wave.invitations.get(person=world.gp)
    url = f"/s/{invitation.token}/"
    client = Client(HTTP_COOKIE="django_language=en")
    response = client.post(url, {"step": "review", "submit": "1"})
    assert "Choose the people you work with" in response.context["problems"][0]
    response = client.post(url, {"step": "choose", "nobody": "1", "go": "people"})
    assert response["Location"].endswith("?step=review")  # nobody chosen: straight to review
    client.post(url, {"step": "review", "submit": "1"})
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None and not invitation.ratings.exists()


def test_closing_asks_first_and_says_what_it_does(world: World, wave: SurveyWave) -> None:
    url = f"/p/{world.a.pk}/waves/{wave.pk}/close/"
    assert world.client_for(world.viewer).get(url).status_code == 403
    director = world.client_for(world.director)
    listing = director.get(f"/p/{world.a.pk}/waves/").content.decode()
    assert f'href="{url}"' in listing  # the list links to the question, it does not close
    page = director.get(url).content.decode()
    assert "0 van de 4 uitgenodigde mensen hebben ingestuurd" in page
    assert "kan niet ongedaan worden gemaakt" in page
    wave.refresh_from_db()
    assert not wave.is_closed  # asking changed nothing
    director.post(url)
    assert director.get(url).status_code == 404  # nothing left to close


def test_closed_wave_is_frozen(world: World, wave: SurveyWave) -> None:
    director = world.client_for(world.director)
    assert director.post(f"/p/{world.a.pk}/waves/{wave.pk}/close/").status_code == 302
    invitation = wave.invitations.get(person=world.gp)
    response = Client().post(f"/s/{invitation.token}/", {**_answer(world.exec_h), "submit": "1"})
    assert response.status_code == 200 and response.context["reason"] == "closed"
    assert "gesloten" in response.content.decode()
    assert Rating.objects.count() == 0


def test_unknown_token_is_a_friendly_404(db: None) -> None:
    response = Client().get("/s/not-a-token/")
    assert response.status_code == 404
    assert "We herkennen deze link niet" in response.content.decode()


def _submit(wave: SurveyWave, respondent: Person, target: Person, trust: str) -> None:
    invitation = Invitation.objects.get(wave=wave, person=respondent)
    Client().post(
        f"/s/{invitation.token}/",
        {
            **_answer(target, trust_reliability=trust, trust_mission=trust, trust_openness=trust),
            "submit": "1",
        },
    )


def _close(world: World, wave: SurveyWave) -> None:
    assert world.client_for(world.director).post(
        f"/p/{world.a.pk}/waves/{wave.pk}/close/"
    ).status_code == 302


def test_scores_show_only_with_enough_respondents(world: World, wave: SurveyWave) -> None:
    _submit(wave, world.gp, world.exec_m, "1")
    _submit(wave, world.resident, world.exec_m, "2")
    _submit(wave, world.exec_h, world.gp, "4")
    client = world.client_for(world.viewer)
    url = f"/p/{world.a.pk}/dynamics/?wave={wave.pk}&source=survey"
    assert dict(client.get(url).context["org_scores"]) == {}  # open: nothing yet
    _close(world, wave)
    page = client.get(url)
    town = dict(page.context["org_scores"])["Town A"]
    assert town.suppressed and town.trust is None
    row = re.search(r"Town A</th>(.*?)</tr>", page.content.decode()).group(1)  # type: ignore[union-attr]
    assert "&lt; 3" in row and ">2<" not in row  # two raters: "fewer than 3", not "2"
    second = open_wave(role=get_programme_for(world.director, world.a.pk)[1], name="Second")
    for respondent, trust in ((world.gp, "1"), (world.resident, "2"), (world.exec_h, "4")):
        _submit(second, respondent, world.exec_m, trust)
    _close(world, second)
    page = client.get(f"/p/{world.a.pk}/dynamics/?wave={second.pk}&source=survey")
    town = dict(page.context["org_scores"])["Town A"]
    assert town.trust == pytest.approx((1 + 2 + 4) / 3)


def test_no_page_or_export_shows_individual_ratings(world: World, wave: SurveyWave) -> None:
    _submit(wave, world.gp, world.exec_m, "1")
    client = world.client_for(world.partner)
    query = f"?wave={wave.pk}&source=survey"
    for closed in (False, True):
        if closed:
            _close(world, wave)
        page = client.get(f"/p/{world.a.pk}/dynamics/{query}")
        assert dict(page.context["org_scores"]) == {}
        nodes = client.get(f"/p/{world.a.pk}/dynamics/nodes.csv{query}").content.decode()
        # one answer is below the wave's minimum of 3: organisations only, and no ties at all
        assert nodes.splitlines()[0] == (
            "id,name,organisation,domain,level,degree,betweenness,closeness,constraint"
        )
        assert "Gerrit GP" not in nodes and "Mark Mayor" not in nodes
        edges = client.get(f"/p/{world.a.pk}/dynamics/edges.csv{query}").content.decode()
        assert edges.splitlines() == ["source,target,weight,directed"]
        graphml = client.get(f"/p/{world.a.pk}/dynamics/network.graphml{query}").content.decode()
        assert "<edge" not in graphml and "trust" not in graphml and "frequency" not in graphml


@pytest.mark.parametrize(
    "suffix",
    [
        "dynamics/",
        "dynamics/nodes.csv",
        "dynamics/edges.csv",
        "dynamics/network.graphml",
        "dynamics/report.pdf",
        "waves/",
    ],
)
def test_dynamics_pages_are_for_members_only(world: World, wave: SurveyWave, suffix: str) -> None:
    url = f"/p/{world.a.pk}/{suffix}"
    assert world.client_for(world.outsider).get(url).status_code == 404
    assert world.client_for(world.viewer).get(url).status_code == 200


def test_only_directors_manage_waves(world: World, wave: SurveyWave) -> None:
    for user in (world.viewer, world.partner):
        client = world.client_for(user)
        assert client.get(f"/p/{world.a.pk}/waves/{wave.pk}/links.csv").status_code == 403
        assert client.post(f"/p/{world.a.pk}/waves/{wave.pk}/close/").status_code == 403
        assert client.post(f"/p/{world.a.pk}/waves/", {"name": "X"}).status_code == 403
    wave.refresh_from_db()
    assert not wave.is_closed
    links = world.client_for(world.director).get(f"/p/{world.a.pk}/waves/{wave.pk}/links.csv")
    assert links.content.decode().count("/s/") == 4
    outsider = world.client_for(world.outsider)
    assert outsider.get(f"/p/{world.b.pk}/waves/{wave.pk}/links.csv").status_code == 404


def test_newcomers_are_invited(world: World, wave: SurveyWave) -> None:
    Person.objects.create(programme=world.a, name="New", stakeholder_group="resident")
    world.client_for(world.director).post(f"/p/{world.a.pk}/waves/{wave.pk}/invite/")
    assert wave.invitations.count() == 5


def test_demo_waves_show_the_article_shapes(db: None) -> None:
    from samenspel.web.core.models import Programme
    from samenspel.web.dynamics.networks import evaluate
    from samenspel.web.dynamics.selectors import board_wave
    from samenspel.web.workspace.demo import load_demo

    load_demo(with_population=False)
    latest = {}
    for programme in Programme.objects.filter(is_demo=True):
        latest[programme.name] = evaluate(
            programme, source="survey", wave=board_wave(programme)
        )
    ruwaard = latest["Proeftuin Ruwaard"]
    for name in ("MijnZorg", "Anders Beter", "Goedleven"):
        # Executive-led: contact stays more within stakeholder groups than in Ruwaard.
        assert latest[name].ei["stakeholder_group"].index < ruwaard.ei["stakeholder_group"].index
    matrix = ruwaard.matrices["stakeholder_group"].ties
    assert matrix["resident"]["executive"] > 0
    assert ruwaard.change is not None and len(ruwaard.change.new) > 0


def test_compare_dynamics_only_shows_own_programmes(world: World, wave: SurveyWave) -> None:
    response = world.client_for(world.director).get(
        f"/p/compare/dynamics/?p={world.a.pk}&p={world.b.pk}"
    )
    assert response.status_code == 200
    assert [c["programme"].pk for c in response.context["columns"]] == [world.a.pk]
    assert b"Beta" not in response.content


def test_someone_removed_after_being_chosen_does_not_break_the_survey(
    world: World, wave: SurveyWave
) -> None:
    invitation = wave.invitations.get(person=world.gp)
    url = f"/s/{invitation.token}/"
    Client().post(url, {**_answer(world.exec_h), **_answer(world.resident), "submit": "0"})
    world.resident.delete()
    assert Client().get(f"{url}?step=review").status_code == 200
    assert Client().post(url, {"step": "review", "submit": "1"}).status_code == 302
    assert [r.alter_id for r in Rating.objects.filter(invitation=invitation)] == [world.exec_h.pk]


def test_the_director_chooses_the_wave_shown_first(world: World, wave: SurveyWave) -> None:
    from samenspel.web.core.accounts.models import AuditEvent

    director = world.client_for(world.director)
    base = f"/p/{world.a.pk}"
    _close(world, wave)
    later = open_wave(role=get_programme_for(world.director, world.a.pk)[1], name="Autumn")
    _close(world, later)
    assert director.get(f"{base}/dynamics/").context["wave"] == later  # the latest closed
    shown = director.post(f"{base}/waves/{wave.pk}/show/", follow=True)
    assert "tonen nu eerst deze meetronde" in shown.content.decode()
    assert world.client_for(world.viewer).post(f"{base}/waves/{wave.pk}/show/").status_code == 403
    assert director.get(f"{base}/dynamics/").context["wave"] == wave  # the director's choice
    assert world.client_for(world.viewer).get(f"{base}/").context["glance"].dynamics[
        "wave"
    ] == wave
    assert AuditEvent.objects.filter(action="survey wave shown first", user=world.director).exists()
    third = open_wave(role=get_programme_for(world.director, world.a.pk)[1], name="Open")
    page = director.post(f"{base}/waves/{third.pk}/show/", follow=True).content.decode()
    assert "Alleen een gesloten meetronde" in page  # an open wave has no figures to show
    assert director.get(f"{base}/dynamics/").context["wave"] == wave


def test_a_wave_minimum_that_is_not_a_number_is_refused_in_words(world: World) -> None:
    response = world.client_for(world.director).post(
        f"/p/{world.a.pk}/waves/", {"name": "X", "min_respondents": "drie"}, follow=True
    )
    assert "Vul het minimale aantal respondenten in als heel getal" in response.content.decode()
    assert not SurveyWave.objects.filter(name="X").exists()
