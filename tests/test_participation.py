"""Participation beyond the programme director: members propose ideas from the field, which the
director accepts as initiatives or declines; each partner organisation downloads its own
profile, built only from aggregates over at least the wave's minimum of respondents."""

from __future__ import annotations

import io

from django.test import Client
from pypdf import PdfReader

from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.models import Idea, Initiative, Person
from samenspel.web.dynamics.services import close_wave, open_wave, save_answers

from .conftest import World
from .test_dynamics_web import ANSWER


def _ideas(world: World) -> str:
    return f"/p/{world.a.pk}/ideas/"


def test_members_propose_and_the_director_decides(world: World) -> None:
    partner, viewer = world.client_for(world.partner), world.client_for(world.viewer)
    partner.post(_ideas(world), {"title": "Wandelgroep met de wijkverpleging", "description": "x"})
    viewer.post(_ideas(world), {"title": "Buurtkamer in de flat"})
    assert Idea.objects.filter(status="waiting").count() == 2
    # a member sees only their own ideas; the director all, and the count on the overview
    assert "Buurtkamer" not in partner.get(_ideas(world)).content.decode()
    director = world.client_for(world.director)
    assert "Buurtkamer" in director.get(_ideas(world)).content.decode()
    assert "2 ideeën uit het veld wachten" in director.get(f"/p/{world.a.pk}/").content.decode()
    walk = Idea.objects.get(title__startswith="Wandelgroep")
    room = Idea.objects.get(title__startswith="Buurtkamer")
    # only the director decides
    answer = partner.post(_ideas(world), {"idea": walk.pk, "decision": "accept"})
    assert answer.status_code == 403 and not Initiative.objects.filter(title=walk.title).exists()
    director.post(_ideas(world), {"idea": walk.pk, "decision": "accept", "answer": "Goed plan"})
    initiative = Initiative.objects.get(title="Wandelgroep met de wijkverpleging")
    assert initiative.stage == "idea" and initiative.programme_id == world.a.pk
    director.post(_ideas(world), {"idea": room.pk, "decision": "decline", "answer": "Al gedaan"})
    page = viewer.get(_ideas(world)).content.decode()
    assert "Al gedaan" in page and "Afgewezen" in page
    # deciding twice changes nothing
    response = director.post(_ideas(world), {"idea": room.pk, "decision": "accept"}, follow=True)
    assert "al een besluit" in response.content.decode()
    assert Initiative.objects.filter(title=room.title).count() == 0


def test_an_empty_idea_is_refused_and_outsiders_see_nothing(world: World) -> None:
    partner = world.client_for(world.partner)
    response = partner.post(_ideas(world), {"title": "  "}, follow=True)
    assert "Titel" in response.content.decode() and not Idea.objects.exists()
    outsider = world.client_for(world.outsider)
    assert outsider.get(_ideas(world)).status_code == 404
    assert outsider.post(_ideas(world), {"title": "Sneaky"}).status_code == 404
    assert not Idea.objects.exists()
    assert Client().get(_ideas(world)).status_code == 302


def _profile_world(world: World) -> tuple[int, int]:
    """Three managers of the town name the hospital's executive; the GP names the mayor."""
    managers = [
        Person.objects.create(programme=world.a, name=f"Manager {i}", stakeholder_group="manager",
                              organisation=world.municipality)
        for i in range(3)
    ]  # fmt: skip
    _, role = get_programme_for(world.director, world.a.pk)
    wave = open_wave(role=role, name="Wave")
    for manager in managers:
        save_answers(
            invitation=wave.invitations.get(person=manager),
            answers={world.exec_h.pk: {**ANSWER, "trust_reliability": "4"}},
            submit_now=True,
        )
    save_answers(
        invitation=wave.invitations.get(person=world.gp),
        answers={world.exec_m.pk: ANSWER},
        submit_now=True,
    )
    close_wave(role=role, wave=wave)  # the profile shows a closed wave's figures only
    return wave.pk, world.hospital.pk


def test_a_partner_downloads_its_own_profile_and_no_other(world: World) -> None:
    wave, hospital = _profile_world(world)
    partner = world.client_for(world.partner)  # partner member for Hospital A
    url = f"/p/{world.a.pk}/dynamics/profile/{hospital}/?wave={wave}"
    page = partner.get(url)
    assert page.status_code == 200
    profile = page.context["profile"]
    assert profile["score"].trust == (4 + 4 + 3) / 3 and profile["raters"] == 3
    ties = {label: (incoming, outgoing) for label, incoming, outgoing in profile["ties"]}
    assert ties["Manager"] == (3, None)  # three managers named the hospital
    assert ties["Bestuurder"] == (None, None)  # one GP named an executive: fewer than 3
    pdf = partner.get(f"/p/{world.a.pk}/dynamics/profile/{hospital}.pdf?wave={wave}")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Hospital A" in text and "Manager 0" not in text and "Gerrit" not in text
    town = world.municipality.pk
    assert partner.get(f"/p/{world.a.pk}/dynamics/profile/{town}/").status_code == 403
    assert world.client_for(world.viewer).get(url).status_code == 403
    assert world.client_for(world.outsider).get(url).status_code == 404
    director = world.client_for(world.director)
    assert director.get(f"/p/{world.a.pk}/dynamics/profile/{town}/").status_code == 200
