"""The demo region: five programmes shaped like those in the article "Dynamiek door de juiste
samenstelling", loaded from data files in the programme exchange format, and three users.

The files in ``demo_data/`` are ordinary programme files (*Export (JSON)* on a programme page
writes the same format), so the demo goes through the same import as a user's own programme.
All people, organisations, amounts and data are fictional. The agreements, survey waves and
the synthetic population are added by each feature's own demo loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from samenspel.web.composition.services import import_programme_json
from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.models import Organisation, Person, Programme, Region
from samenspel.web.core.services import delete_programmes

DEMO_PASSWORD = "samenspel-demo"
DEMO_USERS: list[tuple[str, str, str]] = [
    ("regisseur", DEMO_PASSWORD, "programme director of the five demo programmes"),
    ("partner", DEMO_PASSWORD, "partner member for the mental health organisation in Ruwaard"),
    ("kijker", DEMO_PASSWORD, "viewer of MijnZorg only"),
    ("ziekenhuis", DEMO_PASSWORD, "signs agreements for the hospital in Samendraads"),
    ("verzekeraar", DEMO_PASSWORD, "signs agreements for the health insurer in Samendraads"),
]
DEMO_PROGRAMMES = ("MijnZorg", "Anders Beter", "Goedleven", "Samendraads", "Proeftuin Ruwaard")
DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_REGION = ("Zuid-Nederland (illustratief)", "Illustrative region for the demo.")


@dataclass
class DemoSummary:
    created: bool
    programmes: list[str]


def _users() -> dict[str, User]:
    users: dict[str, User] = {}
    for username, password, _description in DEMO_USERS:
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            # a fictional address: the two-factor set-up link goes there (printed locally)
            user.email = f"{username}@samenspel.example"
            user.save()
        users[username] = user
    return users


@transaction.atomic
def _demo_addresses(programmes: list[Programme]) -> None:
    """Fictional e-mail addresses (the reserved .example domain) so the demo's survey mail has
    somewhere to go; locally it is printed in the terminal, never sent."""
    for person in Person.objects.filter(programme__in=programmes, email=""):
        person.email = f"{slugify(person.name).replace('-', '.')}@samenspel.example"
        person.save(update_fields=["email"])


def _approval_round(samendraads: Programme, users: dict[str, User]) -> None:
    """Samendraads' agreement put to the parties: the hospital and the insurer have approved,
    the care group and the municipality have yet to decide."""
    from samenspel.web.finance.models import Agreement
    from samenspel.web.finance.services import decide, freeze_for_approval

    director = ProgrammeRole.objects.get(user=users["regisseur"], programme=samendraads)
    agreement = Agreement.objects.get(programme=samendraads)
    round_ = freeze_for_approval(role=director, agreement=agreement)
    for username, prefix, comment in (
        ("ziekenhuis", "Ziekenhuis", gettext_noop(
            "Approved, provided the lost revenue is settled each year as the plan shows.")),
        ("verzekeraar", "Zorgverzekeraar", ""),
    ):  # fmt: skip
        signatory, _created = ProgrammeRole.objects.update_or_create(
            user=users[username],
            programme=samendraads,
            defaults={
                "role": Role.PARTNER,
                "organisation": Organisation.objects.get(
                    programme=samendraads, name__startswith=prefix
                ),
                "signs_agreements": True,
            },
        )
        decide(role=signatory, round_=round_, decision="approved", comment=comment)


def load_demo(*, reset: bool = False, with_population: bool = True) -> DemoSummary:
    """Create the demo region and its users; does nothing when it is already there.

    ``with_population`` also loads synthetic open data for every programme's municipalities and
    generates a synthetic population for Proeftuin Ruwaard with its regiobeeld (some seconds);
    tests that do not need them switch it off.
    """
    existing = Programme.objects.filter(is_demo=True)
    if existing.exists() and not reset:
        return DemoSummary(created=False, programmes=list(existing.values_list("name", flat=True)))
    delete_programmes(existing)
    users = _users()
    programmes = []
    for path in sorted(DEMO_DATA.glob("*.samenspel.json")):
        programme = import_programme_json(
            path.read_bytes(), user=users["regisseur"], source=path.name
        )
        programme.is_demo = True
        programme.save(update_fields=["is_demo"])
        programmes.append(programme)
    Region.objects.filter(name=DEMO_REGION[0], description="").update(description=DEMO_REGION[1])
    _demo_addresses(programmes)
    by_name = {p.name: p for p in programmes}
    ruwaard = by_name["Proeftuin Ruwaard"]
    ProgrammeRole.objects.update_or_create(
        user=users["partner"],
        programme=ruwaard,
        defaults={
            "role": Role.PARTNER,
            "organisation": Organisation.objects.get(programme=ruwaard, name__startswith="GGZ"),
        },
    )
    ProgrammeRole.objects.update_or_create(
        user=users["kijker"], programme=by_name["MijnZorg"], defaults={"role": Role.VIEWER}
    )
    from samenspel.web.dynamics.demo import load_dynamics_demo
    from samenspel.web.finance.demo import load_contract_types_demo, load_money_demo

    load_money_demo(by_name)
    load_contract_types_demo(by_name)
    _approval_round(by_name["Samendraads"], users)
    load_dynamics_demo(by_name)
    if with_population:
        from samenspel.web.monitoring.demo import load_open_data_demo, load_population_demo

        load_open_data_demo(by_name)
        load_population_demo(ruwaard)
    from samenspel.web.regioplan.demo import load_plan_demo

    load_plan_demo(by_name)
    return DemoSummary(created=True, programmes=[p.name for p in programmes])
