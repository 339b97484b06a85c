"""Composition counts on a hand-built programme, computed by hand."""

from __future__ import annotations

import pytest

from samenspel.analytics.composition import (
    NO_GROUP,
    GroupRecord,
    OrganisationRecord,
    PersonRecord,
    SeatRecord,
    compose,
)

from .conftest import World

ORDERS = {
    "stakeholder_order": ["executive", "manager", "professional", "resident"],
    "layer_order": ["strategic", "tactical", "operational"],
    "level_order": ["region", "municipality"],
    "domain_order": ["care", "government"],
    "kind_order": ["hospital"],
    "role_order": ["core_partner", "partner"],
    "stage_order": ["idea", "pilot", "scaling", "embedded"],
}


def test_pure_composition_counts_people_once_per_layer() -> None:
    people = [
        PersonRecord(1, "executive", 10),
        PersonRecord(2, "professional", 10),
        PersonRecord(3, "resident"),
        PersonRecord(4, "manager", 11),
    ]
    groups = [
        GroupRecord(100, "Board", "steering_group", "strategic"),
        GroupRecord(101, "Team", "working_group", "operational"),
        GroupRecord(102, "Team 2", "project_group", "operational"),
    ]
    seats = [
        SeatRecord(100, 1, "chair"),
        SeatRecord(101, 2, "member"),
        SeatRecord(102, 2, "member"),
        SeatRecord(101, 3, "member"),
        SeatRecord(101, 1, "advisor"),
    ]
    orgs = [
        OrganisationRecord(10, "region", "care", "hospital", "core_partner"),
        OrganisationRecord(11, "municipality", "government", "municipality", "partner"),
    ]
    result = compose(
        people=people,
        groups=groups,
        seats=seats,
        organisations=orgs,
        initiative_stages=["idea", "idea", "embedded"],
        **ORDERS,
    )
    assert result.participation["executive"] == {
        "strategic": 1,
        "tactical": 0,
        "operational": 1,
        NO_GROUP: 0,
    }
    # The professional sits in two operational groups: still one person in that layer.
    assert result.participation["professional"]["operational"] == 1
    assert result.participation["manager"][NO_GROUP] == 1
    assert result.people_by_stakeholder_group == {
        "executive": 1,
        "manager": 1,
        "professional": 1,
        "resident": 1,
    }
    assert result.organisations_by_kind == {"hospital": 1, "municipality": 1}
    assert result.initiatives_by_stage == {"idea": 2, "pilot": 0, "scaling": 0, "embedded": 1}
    team = next(g for g in result.group_makeup if g.name == "Team")
    assert team.size == 3 and team.organisations == 1
    assert team.by_stakeholder_group == {
        "executive": 1,
        "manager": 0,
        "professional": 1,
        "resident": 1,
    }
    assert [g.name for g in result.group_makeup] == ["Board", "Team", "Team 2"]
    assert result.layers_reached["resident"] == ["operational"]


def test_seat_of_unknown_person_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown"):
        compose(
            people=[],
            groups=[GroupRecord(1, "G", "other", "tactical")],
            seats=[SeatRecord(1, 99, "member")],
            organisations=[],
            initiative_stages=[],
            **ORDERS,
        )


def test_composition_endpoint_on_hand_built_programme(world: World) -> None:
    data = world.client_for(world.viewer).get(f"/api/v1/programmes/{world.a.pk}/composition").json()
    assert data["people"] == 4 and data["organisations"] == 2 and data["groups"] == 2
    assert data["participation"]["executive"] == {
        "strategic": 2,
        "tactical": 0,
        "operational": 1,
        "none": 0,
    }
    assert data["participation"]["professional"]["operational"] == 1
    assert data["participation"]["resident"]["operational"] == 1
    assert sum(data["participation"]["manager"].values()) == 0
    assert data["organisations_by_level"]["region"] == 1
    assert data["organisations_by_level"]["municipality"] == 1
    assert data["organisations_by_domain"]["care"] == 1
    assert data["organisations_by_domain"]["government"] == 1
    makeup = {g["name"]: g for g in data["group_makeup"]}
    assert makeup["Steering"]["size"] == 2 and makeup["Steering"]["organisations"] == 2
    assert makeup["Working"]["by_stakeholder_group"]["resident"] == 1
    assert makeup["Working"]["organisations"] == 1
    assert data["initiatives_by_stage"] == {"idea": 1, "pilot": 1, "scaling": 0, "embedded": 0}


def test_programme_page_shows_the_participation_table(world: World) -> None:
    response = world.client_for(world.viewer).get(f"/p/{world.a.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    composition = response.context["composition"]
    assert composition.participation["executive"]["strategic"] == 2
    assert b"Walking group" in response.content
