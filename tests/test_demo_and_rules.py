"""The demo region has the shapes the article describes; model rules hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samenspel.web.composition.selectors import composition_of
from samenspel.web.core.models import Initiative, Organisation, Programme
from samenspel.web.workspace.demo import DEMO_PROGRAMMES, load_demo

from .conftest import World


@pytest.fixture
def demo(db: None) -> dict[str, Programme]:
    load_demo(with_population=False)
    return {p.name: p for p in Programme.objects.filter(is_demo=True)}


def test_five_programmes_and_idempotent_load(demo: dict[str, Programme]) -> None:
    assert sorted(demo) == sorted(DEMO_PROGRAMMES)
    assert load_demo(with_population=False).created is False
    assert Programme.objects.filter(is_demo=True).count() == 5


def test_ruwaard_has_nine_organisations_a_support_group_and_four_groups(
    demo: dict[str, Programme],
) -> None:
    ruwaard = demo["Proeftuin Ruwaard"]
    comp = composition_of(ruwaard)
    assert comp.organisations == 9
    kinds = {g.kind for g in comp.group_makeup}
    assert "support_group" in kinds and "steering_group" not in kinds
    for group in ("executive", "manager", "professional", "resident"):
        assert comp.people_by_stakeholder_group[group] > 0
    # Residents take part beyond the operational layer (tactical groups too).
    assert comp.participation["resident"]["tactical"] > 0


def test_executive_led_programmes_put_executives_in_the_strategic_layer(
    demo: dict[str, Programme],
) -> None:
    for name in ("MijnZorg", "Anders Beter", "Goedleven"):
        comp = composition_of(demo[name])
        steering = [g for g in comp.group_makeup if g.kind == "steering_group"]
        assert len(steering) == 1
        assert steering[0].by_stakeholder_group["executive"] == steering[0].size
        assert comp.participation["professional"]["operational"] > 0
        assert {g.kind for g in comp.group_makeup} >= {
            "working_group",
            "project_group",
            "monitoring_group",
        }


def test_samendraads_hub_and_advising_professionals(demo: dict[str, Programme]) -> None:
    samendraads = demo["Samendraads"]
    core = Organisation.objects.filter(programme=samendraads, partnership_role="core_partner")
    assert sorted(o.kind for o in core) == ["gp_care_group", "hospital"]
    advisors = samendraads.group_memberships.filter(role="advisor")
    assert {m.group.layer for m in advisors} == {"tactical", "operational"}
    assert all(m.person.stakeholder_group == "professional" for m in advisors)


def test_initiative_stage_needs_its_dates_in_order(world: World) -> None:
    initiative = Initiative(
        programme=world.a,
        title="T",
        proposed_by_person=world.resident,
        stage="scaling",
        proposed_on=dt.date(2020, 1, 1),
        pilot_on=dt.date(2020, 3, 1),
    )
    with pytest.raises(ValidationError) as caught:
        initiative.full_clean()
    assert "scaling_on" in caught.value.message_dict
    initiative.scaling_on = dt.date(2020, 2, 1)
    with pytest.raises(ValidationError) as caught:
        initiative.full_clean()
    assert "scaling_on" in caught.value.message_dict
    initiative.scaling_on = dt.date(2020, 5, 1)
    initiative.full_clean()


def test_organisation_cannot_be_part_of_itself(world: World) -> None:
    world.municipality.parent = world.hospital
    world.municipality.save()
    world.hospital.parent = world.municipality
    with translation.override("en"), pytest.raises(ValidationError, match="part of itself"):
        world.hospital.full_clean()


def test_language_switch_to_english_and_dutch_default(world: World) -> None:
    client = world.client_for(world.viewer)
    dutch = client.get(f"/p/{world.a.pk}/", HTTP_ACCEPT_LANGUAGE="en-GB,en").content.decode()
    assert "Wie doet mee in welke laag" in dutch
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/p/{world.a.pk}/").content.decode()
    assert "Who takes part in which layer" in english


def test_programme_overview_answers_the_four_questions(db: None) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    load_demo()
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    ruwaard = Programme.objects.get(name="Proeftuin Ruwaard")
    response = client.get(f"/p/{ruwaard.pk}/")
    glance = response.context["glance"]
    assert glance.dynamics["wave"].name == "Meting 2026"
    assert glance.money["total_npv"] > 0 and glance.money["nucleolus_in_core"] is True
    assert glance.population["population"] > 20000
    for link in (
        f"/p/{ruwaard.pk}/dynamics/",
        f"/p/{ruwaard.pk}/money/",
        f"/p/{ruwaard.pk}/population/runs/",
    ):
        assert link in response.content.decode()
