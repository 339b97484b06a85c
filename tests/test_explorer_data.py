"""The explorer's data: every role gets exactly the network it may see (partners never see who
named whom), the change between two waves marks each tie kept, new or gone, and outsiders get
nothing."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client

from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.models import Person
from samenspel.web.dynamics.models import SurveyWave
from samenspel.web.dynamics.services import open_wave, save_answers

from .conftest import World
from .test_dynamics_web import ANSWER


def _answers(wave: SurveyWave, ties: list[tuple[Person, Person]]) -> None:
    by_respondent: dict[Person, list[Person]] = {}
    for ego, alter in ties:
        by_respondent.setdefault(ego, []).append(alter)
    for ego, alters in by_respondent.items():
        invitation = wave.invitations.get(person=ego)
        save_answers(invitation=invitation, answers={a.pk: ANSWER for a in alters}, submit_now=True)


def _json(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return json.loads(response.content)


def test_groups_network_has_names_positions_and_measures(world: World) -> None:
    data = _json(
        world.client_for(world.director), f"/p/{world.a.pk}/dynamics/network.json?source=groups"
    )
    names = {n["name"] for n in data["nodes"]}
    assert names == {"Eva Exec", "Mark Mayor", "Gerrit GP", "Rita Resident"}
    eva = next(n for n in data["nodes"] if n["name"] == "Eva Exec")
    assert eva["metrics"]["degree"] == 3  # steering with Mark, working with Gerrit and Rita
    assert 0 <= eva["x"] <= 1 and 0 <= eva["y"] <= 1
    assert eva["attrs"]["organisation"] == "Hospital A"
    assert data["labels"]["executive"] == "Bestuurder"
    assert len(data["edges"]) == 4 and {e["status"] for e in data["edges"]} == {"kept"}


def test_partners_see_organisations_never_who_named_whom(world: World) -> None:
    _, role = get_programme_for(world.director, world.a.pk)
    wave = open_wave(role=role, name="Spring", named_ties=True)
    _answers(wave, [(world.gp, world.exec_m), (world.exec_h, world.exec_m),
                    (world.resident, world.exec_m)])  # fmt: skip
    url = f"/p/{world.a.pk}/dynamics/network.json?source=survey&wave={wave.pk}"
    director = _json(world.client_for(world.director), url)
    assert "Gerrit GP" in {n["name"] for n in director["nodes"]}
    for user in (world.partner, world.viewer):
        data = _json(world.client_for(user), url)
        assert data["aggregated"] is True
        text = json.dumps(data)
        for name in ("Eva Exec", "Mark Mayor", "Gerrit GP", "Rita Resident"):
            assert name not in text
        assert {n["name"] for n in data["nodes"]} == {"Hospital A", "Town A"}
    assert world.client_for(world.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page


def test_change_between_waves_marks_each_tie(world: World) -> None:
    _, role = get_programme_for(world.director, world.a.pk)
    first = open_wave(role=role, name="2025", opened_on=dt.date(2025, 3, 1), named_ties=True)
    _answers(first, [(world.gp, world.exec_m), (world.exec_h, world.resident)])
    second = open_wave(role=role, name="2026", opened_on=dt.date(2026, 3, 1), named_ties=True)
    _answers(second, [(world.gp, world.exec_m), (world.gp, world.resident)])
    url = (f"/p/{world.a.pk}/dynamics/network.json?source=survey&wave={second.pk}"
           f"&compare={first.pk}")  # fmt: skip
    data = _json(world.client_for(world.director), url)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    status = {frozenset((names[e["source"]], names[e["target"]])): e["status"]
              for e in data["edges"]}  # fmt: skip
    assert status == {
        frozenset({"Gerrit GP", "Mark Mayor"}): "kept",
        frozenset({"Gerrit GP", "Rita Resident"}): "new",
        frozenset({"Eva Exec", "Rita Resident"}): "gone",
    }
