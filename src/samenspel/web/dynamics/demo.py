"""Illustrative survey waves for the demo programmes, shaped as the article describes.

Answers are simulated: respondents name co-members of their groups often and others rarely,
with shape-specific tendencies (executives among themselves in the executive-led programmes;
the care group and hospital as hub in Samendraads; contact across the four groups in Ruwaard).
Every wave is closed except Ruwaard's autumn wave, which shows a wave under way.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from django.utils import timezone

from samenspel.web.core.models import GroupMembership, Person, Programme
from samenspel.web.core.versions import bump

from .models import Invitation, Rating, SurveyWave


@dataclass(frozen=True)
class Shape:
    response: float
    comember: float
    cross: float
    same_group_boost: dict[str, float] = field(default_factory=dict)
    pair_boost: dict[frozenset[str], float] = field(default_factory=dict)
    hub_prefixes: tuple[str, ...] = ()
    low_trust_prefix: str = ""


SHAPES = {
    "MijnZorg": Shape(0.55, 0.6, 0.02, {"executive": 0.7}),
    "Anders Beter": Shape(0.8, 0.6, 0.02, {"executive": 0.6}, low_trust_prefix="Zorgverzekeraar"),
    "Goedleven": Shape(0.75, 0.55, 0.03, {"executive": 0.65}),
    "Samendraads": Shape(0.8, 0.55, 0.02, hub_prefixes=("Zorggroep", "Ziekenhuis")),
    "Proeftuin Ruwaard": Shape(
        0.85,
        0.7,
        0.06,
        pair_boost={
            frozenset({"resident", "professional"}): 0.25,
            frozenset({"resident", "executive"}): 0.08,
            frozenset({"manager", "professional"}): 0.2,
            frozenset({"executive", "manager"}): 0.2,
        },
    ),
}


def _wave(
    programme: Programme,
    name: str,
    opened: dt.date,
    shape: Shape,
    seed: int,
    closed: bool,
    growth: float = 1.0,
) -> None:
    rng = random.Random(seed)
    wave = SurveyWave.objects.create(
        programme=programme, name=name, opened_on=opened, named_ties=True
    )
    people = list(Person.objects.filter(programme=programme).select_related("organisation"))
    groups_of: dict[int, set[int]] = {p.pk: set() for p in people}
    for person_id, group_id in GroupMembership.objects.filter(programme=programme).values_list(
        "person_id", "group_id"
    ):
        groups_of[person_id].add(group_id)
    invitations = {
        p.pk: Invitation.objects.create(programme=programme, wave=wave, person=p) for p in people
    }
    ratings = []
    for ego in people:
        if rng.random() > shape.response:
            continue
        for alter in people:
            if alter.pk == ego.pk:
                continue
            p = shape.comember if groups_of[ego.pk] & groups_of[alter.pk] else shape.cross
            if ego.stakeholder_group == alter.stakeholder_group:
                p += shape.same_group_boost.get(ego.stakeholder_group, 0.0)
            p += (
                shape.pair_boost.get(
                    frozenset({ego.stakeholder_group, alter.stakeholder_group}), 0.0
                )
                * growth
            )
            org = alter.organisation.name if alter.organisation else ""
            if shape.hub_prefixes and org.startswith(shape.hub_prefixes):
                p += 0.25
            if rng.random() >= min(p * growth, 0.95):
                continue
            low = bool(shape.low_trust_prefix) and org.startswith(shape.low_trust_prefix)

            def item(low: bool = low) -> int:
                return max(1, min(4, round(rng.gauss(1.7 if low else 3.1, 0.6))))

            ratings.append(
                Rating(
                    programme=programme,
                    invitation=invitations[ego.pk],
                    alter=alter,
                    frequency=rng.choice(["weekly", "monthly", "monthly", "quarterly"]),
                    collaboration=rng.choice([2, 3, 3, 4]),
                    trust_reliability=item(),
                    trust_mission=item(),
                    trust_openness=item(),
                    value_influence=item(),
                    value_involvement=item(),
                    value_resources=item(),
                )
            )
        invitation = invitations[ego.pk]
        invitation.saved_at = invitation.submitted_at = timezone.now()
        invitation.save(update_fields=["saved_at", "submitted_at"])
    Rating.objects.bulk_create(ratings)
    # the invitations went out by mail when the wave opened, a reminder a week later
    sent = timezone.make_aware(dt.datetime.combine(opened, dt.time(9)))
    wave.send_at = sent
    wave.save(update_fields=["send_at"])
    wave.invitations.update(sent_at=sent)
    wave.invitations.filter(submitted_at__isnull=True).update(
        reminded_at=sent + dt.timedelta(days=7), reminders_sent=1
    )
    bump(wave.programme_id)
    if closed:
        wave.closed_at = timezone.now()
        wave.save(update_fields=["closed_at"])


def load_dynamics_demo(programmes: dict[str, Programme]) -> None:
    for seed, (name, shape) in enumerate(SHAPES.items(), start=100):
        programme = programmes[name]
        if name == "Proeftuin Ruwaard":
            _wave(
                programme,
                "Nulmeting 2025",
                dt.date(2025, 3, 1),
                shape,
                seed,
                closed=True,
                growth=0.6,
            )
            _wave(programme, "Meting 2026", dt.date(2026, 3, 1), shape, seed + 50, closed=True)
            # an autumn wave under way: its answers count only once the director closes it
            autumn = replace(shape, response=0.3)
            _wave(programme, "Meting najaar 2026", dt.date(2026, 11, 16), autumn, seed + 70,
                  closed=False, growth=1.1)  # fmt: skip
        else:
            _wave(programme, "Meting 2026", dt.date(2026, 3, 1), shape, seed, closed=True)
