"""Shared fixtures: a small hand-built programme with one user in every role, and an outsider."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client, override_settings

from samenspel.web.core import services
from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.models import (
    Group,
    GroupMembership,
    Initiative,
    Interaction,
    Objective,
    Organisation,
    Person,
    Programme,
    Project,
)

# Every indicator test runs on both engines, as Ibis runs its own tests on each backend.
ENGINES = [
    "duckdb",
    pytest.param(
        "spark",
        marks=pytest.mark.skipif(
            shutil.which("java") is None and os.environ.get("CI") != "true",
            reason="PySpark needs Java 17 (apt-get install openjdk-17-jre-headless)",
        ),
    ),
]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that touch no database ran in the SQLite run; the PostgreSQL run skips them."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="touches no database; it ran in the SQLite run")
    for item in items:
        if item.get_closest_marker("no_database"):
            item.add_marker(skip)


@dataclass
class World:
    """Programme A (with a director, partner, viewer) and programme B of another director."""

    a: Programme
    b: Programme
    director: AbstractUser
    partner: AbstractUser
    viewer: AbstractUser
    outsider: AbstractUser
    hospital: Organisation
    municipality: Organisation
    b_org: Organisation
    exec_h: Person
    exec_m: Person
    gp: Person
    resident: Person
    b_person: Person
    steering: Group
    working: Group
    b_group: Group

    def client_for(self, user: AbstractUser) -> Client:
        client = Client()
        client.force_login(user)
        return client


def _user(name: str) -> AbstractUser:
    return get_user_model().objects.create_user(name, password="x-very-secret-9")  # type: ignore[return-value]


@pytest.fixture
def world(db: None) -> World:
    director, partner, viewer, outsider = (_user(n) for n in ("dir", "par", "vie", "out"))
    a = services.create_programme(user=director, name="Alpha", region_name="Regio A")
    b = services.create_programme(user=outsider, name="Beta", region_name="Regio B")
    hospital = Organisation.objects.create(
        programme=a,
        name="Hospital A",
        kind="hospital",
        domain="care",
        level="region",
        echelon="second",
    )
    municipality = Organisation.objects.create(
        programme=a, name="Town A", kind="municipality", domain="government", level="municipality"
    )
    b_org = Organisation.objects.create(
        programme=b, name="Hospital B", kind="hospital", domain="care", level="region"
    )
    ProgrammeRole.objects.create(
        user=partner, programme=a, role=Role.PARTNER, organisation=hospital
    )
    ProgrammeRole.objects.create(user=viewer, programme=a, role=Role.VIEWER)
    exec_h = Person.objects.create(
        programme=a, name="Eva Exec", stakeholder_group="executive", organisation=hospital
    )
    exec_m = Person.objects.create(
        programme=a, name="Mark Mayor", stakeholder_group="executive", organisation=municipality
    )
    gp = Person.objects.create(
        programme=a,
        name="Gerrit GP",
        stakeholder_group="professional",
        profession="gp",
        organisation=hospital,
    )
    resident = Person.objects.create(
        programme=a, name="Rita Resident", stakeholder_group="resident"
    )
    b_person = Person.objects.create(
        programme=b, name="Secret Person", stakeholder_group="executive", organisation=b_org
    )
    steering = Group.objects.create(
        programme=a, name="Steering", kind="steering_group", layer="strategic"
    )
    working = Group.objects.create(
        programme=a, name="Working", kind="working_group", layer="operational"
    )
    b_group = Group.objects.create(
        programme=b, name="Secret Group", kind="steering_group", layer="strategic"
    )
    for group, person, role in (
        (steering, exec_h, "chair"),
        (steering, exec_m, "member"),
        (working, gp, "member"),
        (working, resident, "member"),
        (working, exec_h, "advisor"),
    ):
        GroupMembership.objects.create(programme=a, group=group, person=person, role=role)
    GroupMembership.objects.create(programme=b, group=b_group, person=b_person)
    objective = Objective.objects.create(
        programme=a, title="Healthier", dimension="population_health"
    )
    project = Project.objects.create(
        programme=a, name="Project A", owning_group=working, objective=objective, status="active"
    )
    Initiative.objects.create(
        programme=a,
        title="Walking group",
        proposed_by_person=resident,
        stage="pilot",
        proposed_on=dt.date(2020, 1, 1),
        pilot_on=dt.date(2020, 6, 1),
        project=project,
    )
    Initiative.objects.create(
        programme=a,
        title="Idea",
        proposed_by_group=working,
        stage="idea",
        proposed_on=dt.date(2021, 1, 1),
    )
    meeting = Interaction.objects.create(
        programme=a, date=dt.date(2021, 3, 1), topic="Kick-off", bottlenecks="No data\nNo time"
    )
    meeting.participants.set([exec_h, gp])
    meeting.groups.set([steering])
    return World(
        a,
        b,
        director,
        partner,
        viewer,
        outsider,
        hospital,
        municipality,
        b_org,
        exec_h,
        exec_m,
        gp,
        resident,
        b_person,
        steering,
        working,
        b_group,
    )


class Inbox:
    """A real SMTP server's mailbox (aiosmtpd on 127.0.0.1); it refuses any address at
    ``refuse.example``, as a mail server refuses an unknown recipient."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.endswith("@refuse.example"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def smtp(inbox: tuple[Inbox, int]) -> Iterator[Inbox]:
    """The app sends its mail through the real SMTP server of ``inbox``."""
    handler, port = inbox
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, SAMENSPEL_SITE_URL="https://samenspel.example",
    ):  # fmt: skip
        yield handler
