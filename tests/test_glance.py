"""The programme at a glance: per capability three headline figures, with their change and a
signal whose rule is stated, on the overview page and on page 1 of the report."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from samenspel.web.core.models import Programme
from samenspel.web.workspace.demo import load_demo
from samenspel.web.workspace.overview import (
    ACT,
    GOOD,
    RESPONSE_GOOD,
    RESPONSE_WATCH,
    WATCH,
    _signal,
    glance,
)


@pytest.mark.no_database
def test_a_signal_follows_its_rule_at_the_boundaries() -> None:
    assert _signal(RESPONSE_GOOD, RESPONSE_GOOD, RESPONSE_WATCH) == GOOD
    assert _signal(RESPONSE_GOOD - 0.001, RESPONSE_GOOD, RESPONSE_WATCH) == WATCH
    assert _signal(RESPONSE_WATCH, RESPONSE_GOOD, RESPONSE_WATCH) == WATCH
    assert _signal(RESPONSE_WATCH - 0.001, RESPONSE_GOOD, RESPONSE_WATCH) == ACT
    # fewer is better for points of advice: none on track, one or two watch, three act
    assert [_signal(n, 0, 2, higher_is_better=False) for n in (0, 1, 2, 3)] == [
        GOOD, WATCH, WATCH, ACT,
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_demo_programme_at_a_glance() -> None:
    """Ruwaard by hand: 40 of 43 answered (93%), one point of advice, a total NPV of
    € 26.437 with the housing corporation losing without side payments, and all five
    stakeholder groups in its groups."""
    load_demo(with_population=False)
    ruwaard = Programme.objects.get(name="Proeftuin Ruwaard")
    figures = {
        code: {f.label: f for f in shown} for code, _label, shown in glance(ruwaard).figures
    }
    assert [code for code in figures] == ["composition", "dynamics", "money"]
    stakeholders = figures["composition"]["Stakeholdergroepen in de groepen"]
    assert (stakeholders.value, stakeholders.signal) == ("5 van 5", GOOD)
    response = figures["dynamics"]["Respons"]
    assert (response.value, response.trend, response.signal) == ("93%", "40/43", GOOD)
    assert figures["dynamics"]["Adviespunten"].signal == WATCH
    money = figures["money"]
    assert (money["Totale NCW"].value, money["Totale NCW"].signal) == ("€\xa026.437", GOOD)
    assert money["Partijen die verliezen zonder verevening"].signal == WATCH
    assert all(f.rule for shown in figures.values() for f in shown.values() if f.signal)
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    page = client.get(f"/p/{ruwaard.pk}/").content.decode()
    assert "● op koers" in page and "Zo worden de signalen gezet" in page
    assert response.rule in page.replace("&#x27;", "'")
