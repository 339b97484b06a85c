"""The demo region: the five programmes of the article "Dynamiek door de juiste samenstelling".

The programme *shapes* follow the article (executive-led MijnZorg, Anders Beter and Goedleven with
professionals in working, project and monitoring groups; Samendraads with the GP care group and
the hospital as hub and professionals advising in the tactical and operational layers; Proeftuin
Ruwaard with nine organisations, a support group instead of a steering group, and executives,
managers, professionals and residents working together). All people, organisation names and
details are fictional and illustrative.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from samenspel.web.core import choices as c
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
    Region,
)
from samenspel.web.core.services import delete_programmes

DEMO_PASSWORD = "samenspel-demo"
DEMO_USERS: list[tuple[str, str, str]] = [
    ("regisseur", DEMO_PASSWORD, "programme director of the five demo programmes"),
    ("partner", DEMO_PASSWORD, "partner member for the mental health organisation in Ruwaard"),
    ("kijker", DEMO_PASSWORD, "viewer of MijnZorg only"),
]

FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Carla",
    "Daan",
    "Eva",
    "Femke",
    "Gijs",
    "Hanneke",
    "Ilse",
    "Jeroen",
    "Karin",
    "Lotte",
    "Maarten",
    "Noor",
    "Olaf",
    "Petra",
    "Quinten",
    "Renske",
    "Sander",
    "Tessa",
    "Ugo",
    "Vera",
    "Wim",
    "Yara",
    "Zoë",
    "Ahmed",
    "Bart",
    "Chantal",
    "Dirk",
    "Esra",
    "Frank",
    "Greet",
    "Hans",
    "Iris",
    "Joost",
    "Kim",
    "Linda",
    "Mohamed",
    "Nina",
    "Paul",
    "Rik",
    "Sanne",
    "Thijs",
    "Wendy",
    "Youssef",
]
LAST_NAMES = [
    "de Vries",
    "van den Berg",
    "Jansen",
    "Bakker",
    "Visser",
    "Smits",
    "Meulendijks",
    "van der Heijden",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Verhoeven",
    "Kuijpers",
    "van Lieshout",
    "Willems",
    "de Bruijn",
    "Aarts",
    "van Gerwen",
    "Claassen",
    "Hermans",
    "Bos",
    "Mulder",
    "van Rooij",
    "Schouten",
    "Coenen",
    "Maas",
    "Brouwers",
    "Aydın",
    "El Amrani",
    "Martens",
]


@dataclass(frozen=True)
class _Variant:
    """What differs between the three executive-led demo programmes."""

    vision: str
    aim: str
    town: str
    practices: int
    insurer: str
    municipalities: tuple[str, ...]
    managers: int
    residents: int
    zorgkantoor: bool = False
    housing: bool = False
    province: bool = False


@dataclass
class DemoSummary:
    created: bool
    programmes: list[str] = field(default_factory=list)


class _Builder:
    """Small helpers that create validated records in one programme."""

    def __init__(self, programme: Programme, seed: int) -> None:
        self.programme = programme
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def _name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def _save(self, obj):  # type: ignore[no-untyped-def]
        obj.full_clean()
        obj.save()
        return obj

    def objective(self, title: str, dimension: str) -> Objective:
        return self._save(Objective(programme=self.programme, title=title, dimension=dimension))

    def org(
        self,
        name: str,
        kind: str,
        domain: str,
        level: str,
        *,
        echelon: str = "",
        role: str = c.PartnershipRole.PARTNER,
        parent: Organisation | None = None,
        place: str = "",
    ) -> Organisation:
        return self._save(
            Organisation(
                programme=self.programme,
                name=name,
                kind=kind,
                domain=domain,
                level=level,
                echelon=echelon,
                partnership_role=role,
                parent=parent,
                place=place,
            )
        )

    def person(
        self, group: str, org: Organisation | None = None, profession: str = "", title: str = ""
    ) -> Person:
        return self._save(
            Person(
                programme=self.programme,
                name=self._name(),
                stakeholder_group=group,
                organisation=org,
                profession=profession,
                job_title=title,
            )
        )

    def people(
        self,
        count: int,
        group: str,
        orgs: list[Organisation],
        profession: str = "",
        title: str = "",
    ) -> list[Person]:
        return [
            self.person(group, orgs[i % len(orgs)] if orgs else None, profession, title)
            for i in range(count)
        ]

    def group(
        self,
        name: str,
        kind: str,
        layer: str,
        members: list[Person],
        *,
        chair: Person | None = None,
        advisors: list[Person] | None = None,
        description: str = "",
    ) -> Group:
        group = self._save(
            Group(
                programme=self.programme, name=name, kind=kind, layer=layer, description=description
            )
        )
        seats = [(p, c.MembershipRole.MEMBER) for p in members]
        if chair is not None:
            seats.insert(0, (chair, c.MembershipRole.CHAIR))
        seats += [(p, c.MembershipRole.ADVISOR) for p in advisors or []]
        seen: set[int] = set()
        for person, role in seats:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            self._save(
                GroupMembership(programme=self.programme, group=group, person=person, role=role)
            )
        return group

    def project(
        self,
        name: str,
        group: Group,
        objective: Objective | None,
        status: str,
        start: dt.date,
        description: str = "",
    ) -> Project:
        return self._save(
            Project(
                programme=self.programme,
                name=name,
                owning_group=group,
                objective=objective,
                status=status,
                start_date=start,
                description=description,
            )
        )

    def initiative(
        self,
        title: str,
        *,
        by_person: Person | None = None,
        by_group: Group | None = None,
        proposed: dt.date,
        stage: str = "idea",
        step_days: int = 150,
        project: Project | None = None,
        description: str = "",
    ) -> Initiative:
        dates: dict[str, dt.date | None] = {}
        reached = c.STAGE_ORDER.index(stage)
        current = proposed
        for position, (_stage, date_field) in enumerate(Initiative.STAGE_DATE_FIELDS, start=1):
            if position <= reached:
                current = current + dt.timedelta(days=step_days)
                dates[date_field] = current
            else:
                dates[date_field] = None
        return self._save(
            Initiative(
                programme=self.programme,
                title=title,
                description=description,
                proposed_by_person=by_person,
                proposed_by_group=by_group,
                stage=stage,
                proposed_on=proposed,
                project=project,
                **dates,
            )
        )

    def interaction(
        self,
        when: dt.date,
        topic: str,
        people: list[Person],
        groups: list[Group],
        bottlenecks: list[str],
        kind: str = c.InteractionKind.MEETING,
    ) -> Interaction:
        obj = self._save(
            Interaction(
                programme=self.programme,
                date=when,
                topic=topic,
                kind=kind,
                bottlenecks="\n".join(bottlenecks),
            )
        )
        obj.participants.set(people)
        obj.groups.set(groups)
        return obj


def _region(name: str, province: str, description: str = "") -> Region:
    region, _ = Region.objects.get_or_create(
        name=name, defaults={"province": province, "description": description}
    )
    return region


def _programme(
    name: str, region: Region, vision: str, governance: str, start: dt.date
) -> Programme:
    programme = Programme(
        name=name,
        region=region,
        vision=vision,
        governance_style=governance,
        start_date=start,
        is_demo=True,
    )
    programme.full_clean()
    programme.save()
    return programme


def _executive_led(name: str, seed: int, region: Region, variant: _Variant) -> Programme:
    """MijnZorg, Anders Beter, Goedleven: executives at the heart, professionals in the projects."""
    p = _programme(
        name,
        region,
        vision=variant.vision,
        governance=(
            "Executives of the partner organisations steer the programme from a shared vision "
            "(stuurgroep). Ambassadorship of executives, communication about the consequences "
            "for those involved and building support are the key preconditions."
        ),
        start=dt.date(2014 + seed % 3, 1, 1),
    )
    b = _Builder(p, seed)
    aim_health = b.objective(variant.aim, c.TripleAim.POPULATION_HEALTH)
    aim_experience = b.objective(
        "Care closer to home, experienced as one team", c.TripleAim.EXPERIENCE
    )
    aim_cost = b.objective("Slow the growth of care cost per inhabitant", c.TripleAim.COST)
    town = variant.town
    hospital = b.org(
        f"Ziekenhuis {town}",
        "hospital",
        "care",
        "region",
        echelon="second",
        role="core_partner",
        place=town,
    )
    care_group = b.org(
        f"Zorggroep {town}",
        "gp_care_group",
        "care",
        "region",
        echelon="first",
        role="core_partner",
        place=town,
    )
    practices = [
        b.org(
            f"Huisartsenpraktijk {town} {suffix}",
            "gp_practice",
            "care",
            "practice",
            echelon="first",
            parent=care_group,
            place=town,
        )
        for suffix in ("Noord", "Centrum", "Zuid")[: variant.practices]
    ]
    pharmacy = b.org(
        f"Apotheek {town}", "pharmacy", "care", "municipality", echelon="first", place=town
    )
    insurer = b.org(variant.insurer, "health_insurer", "finance", "province", role="core_partner")
    municipalities = [
        b.org(
            f"Gemeente {m}", "municipality", "government", "municipality", role="partner", place=m
        )
        for m in variant.municipalities
    ]
    homecare = b.org(f"Thuiszorg {town}", "elderly_care", "care", "region", echelon="first")
    welfare = b.org(f"Welzijn {town}", "welfare", "social", "municipality", role="supporting")
    extra: list[Organisation] = []
    if variant.zorgkantoor:
        extra.append(b.org("Zorgkantoor Zuid (illustratief)", "zorgkantoor", "finance", "region"))
    if variant.housing:
        extra.append(
            b.org(
                f"Woonstichting {town}",
                "housing_corporation",
                "housing",
                "municipality",
                role="supporting",
            )
        )
    if variant.province:
        extra.append(
            b.org(
                "Provincie (illustratief)", "province", "government", "province", role="supporting"
            )
        )
    patient_org = b.org(
        f"Patiëntenplatform {town}", "patient_organisation", "social", "region", role="supporting"
    )

    steering_orgs = [hospital, care_group, insurer, *municipalities, homecare, *extra]
    executives = [b.person("executive", o, title="Bestuurder") for o in steering_orgs]
    managers = b.people(
        variant.managers,
        "manager",
        [hospital, care_group, homecare, *municipalities],
        title="Manager",
    )
    gps = [b.person("professional", o, "gp", "Huisarts") for o in practices for _ in range(2)]
    pharmacists = b.people(2, "professional", [pharmacy], "pharmacist", "Apotheker")
    specialists = b.people(3, "professional", [hospital], "medical_specialist", "Specialist")
    nurses = b.people(3, "professional", [care_group, homecare], "nurse", "Verpleegkundige")
    policy = b.people(
        3, "professional", [*municipalities, care_group], "policy_officer", "Beleidsmedewerker"
    )
    purchasers = b.people(2, "professional", [insurer], "purchaser", "Zorginkoper")
    social = b.people(2, "professional", [welfare], "social_worker", "Sociaal werker")
    patient_reps = b.people(2, "patient_representative", [patient_org])
    residents = b.people(variant.residents, "resident", [])

    steering = b.group(
        "Stuurgroep",
        "steering_group",
        "strategic",
        executives[1:],
        chair=executives[0],
        description="Executives steer the programme from a shared vision.",
    )
    programme_board = b.group(
        "Programmaraad", "working_group", "tactical", managers, advisors=policy[:1]
    )
    working = b.group(
        "Werkgroep Kwetsbare ouderen",
        "working_group",
        "operational",
        gps[:3] + nurses + social[:1] + patient_reps[:1] + residents[:1],
    )
    project_group = b.group(
        "Projectgroep Medicatieveiligheid",
        "project_group",
        "operational",
        pharmacists + gps[3:5] + specialists[:2],
    )
    monitoring = b.group(
        "Monitoringgroep",
        "monitoring_group",
        "tactical",
        policy + purchasers + patient_reps[1:],
        advisors=specialists[2:],
    )
    start = p.start_date or dt.date(2015, 1, 1)
    project_a = b.project(
        "Kwetsbare ouderen thuis", working, aim_experience, "active", start + dt.timedelta(days=200)
    )
    project_b = b.project(
        "Medicatiereview in de wijk",
        project_group,
        aim_health,
        "completed",
        start + dt.timedelta(days=120),
    )
    b.project(
        "Regiomonitor Triple Aim", monitoring, aim_cost, "active", start + dt.timedelta(days=300)
    )
    b.initiative(
        "Gezamenlijk spreekuur huisarts en specialist ouderengeneeskunde",
        by_group=working,
        proposed=start + dt.timedelta(days=90),
        stage="scaling",
        project=project_a,
    )
    b.initiative(
        "Medicatieoverdracht bij ontslag",
        by_person=pharmacists[0],
        proposed=start + dt.timedelta(days=60),
        stage="embedded",
        project=project_b,
    )
    b.initiative(
        "Valpreventie met de sportvereniging",
        by_person=social[0],
        proposed=start + dt.timedelta(days=400),
        stage="idea",
    )
    b.interaction(
        start + dt.timedelta(days=30),
        "Kick-off stuurgroep",
        executives,
        [steering],
        ["Gedeelde visie nog niet vertaald naar de werkvloer"],
    )
    b.interaction(
        start + dt.timedelta(days=150),
        "Programmaraad en werkgroepen",
        managers + gps[:2] + nurses[:1],
        [programme_board, working],
        [
            "Professionals weten niet wat de stuurgroep besloot",
            "Tijd van huisartsen voor overleg wordt niet vergoed",
        ],
    )
    b.interaction(
        start + dt.timedelta(days=320),
        "Eerste monitorresultaten",
        policy + purchasers + executives[:2],
        [monitoring, steering],
        ["Data van de gemeente ontbreken"],
    )
    return p


def _samendraads(seed: int) -> Programme:
    """Care group and hospital as hub; professionals advise in tactical and operational layers."""
    region = _region("Midden-Brabant", "Noord-Brabant")
    p = _programme(
        "Samendraads",
        region,
        vision="Regional care woven together by GPs and medical specialists.",
        governance=(
            "Programme steering from the executives of the GP care group and the hospital, who "
            "mainly look after the preconditions for regional cooperation. Professionals have a "
            "clear advisory role in the tactical and operational layers."
        ),
        start=dt.date(2015, 6, 1),
    )
    b = _Builder(p, seed)
    aim = b.objective("The right care in the right place", c.TripleAim.EXPERIENCE)
    aim_cost = b.objective("Substitution from hospital to primary care", c.TripleAim.COST)
    care_group = b.org(
        "Zorggroep Midden-Brabant (illustratief)",
        "gp_care_group",
        "care",
        "region",
        echelon="first",
        role="core_partner",
        place="Tilburg",
    )
    hospital = b.org(
        "Ziekenhuis Midden-Brabant (illustratief)",
        "hospital",
        "care",
        "region",
        echelon="second",
        role="core_partner",
        place="Tilburg",
    )
    practices = [
        b.org(
            f"Huisartsenpraktijk {n}",
            "gp_practice",
            "care",
            "practice",
            echelon="first",
            parent=care_group,
            place=n,
        )
        for n in ("Tilburg-Noord", "Goirle", "Oisterwijk", "Dongen")
    ]
    insurer = b.org(
        "Zorgverzekeraar Zuid (illustratief)",
        "health_insurer",
        "finance",
        "province",
        role="supporting",
    )
    municipality = b.org(
        "Gemeente Tilburg",
        "municipality",
        "government",
        "municipality",
        role="supporting",
        place="Tilburg",
    )
    exec_cg = b.people(2, "executive", [care_group], title="Bestuurder")
    exec_h = b.people(2, "executive", [hospital], title="Bestuurder")
    exec_other = [b.person("executive", insurer, title="Directeur zorginkoop")]
    managers = b.people(3, "manager", [care_group, hospital], title="Programmamanager")
    gps = [b.person("professional", o, "gp", "Huisarts") for o in practices for _ in range(2)]
    specialists = b.people(6, "professional", [hospital], "medical_specialist", "Specialist")
    nurses = b.people(2, "professional", [care_group], "nurse", "Praktijkondersteuner")
    purchaser = b.person("professional", insurer, "purchaser", "Zorginkoper")
    policy = b.person("professional", municipality, "policy_officer", "Beleidsadviseur")
    patient_rep = b.person("patient_representative", None)
    board = b.group(
        "Bestuurlijk overleg Samendraads",
        "steering_group",
        "strategic",
        exec_h + exec_cg[1:] + exec_other,
        chair=exec_cg[0],
        description="The two hub organisations steer; the insurer joins.",
    )
    council = b.group(
        "Medische adviesraad",
        "advisory_board",
        "tactical",
        managers[:1],
        advisors=gps[::2] + specialists[:3],
        description="GPs and medical specialists advise on which projects are "
        "worthy of Samendraads.",
    )
    chain_a = b.group(
        "Projectgroep Anticoagulatie",
        "project_group",
        "operational",
        managers[1:2] + nurses[:1],
        advisors=gps[1:4] + specialists[3:5],
    )
    chain_b = b.group(
        "Projectgroep Ouderenketen",
        "project_group",
        "operational",
        managers[2:] + nurses[1:] + [patient_rep],
        advisors=gps[4:] + specialists[5:] + [policy],
    )
    b.group("Contractoverleg", "working_group", "tactical", [purchaser, managers[0]])
    start = p.start_date or dt.date(2015, 6, 1)
    pa = b.project(
        "Anticoagulatiezorg in de eerste lijn",
        chain_a,
        aim_cost,
        "active",
        start + dt.timedelta(days=100),
    )
    pb = b.project(
        "Ketenzorg kwetsbare ouderen", chain_b, aim, "active", start + dt.timedelta(days=220)
    )
    b.initiative(
        "Teleconsultatie huisarts-specialist",
        by_group=council,
        proposed=start + dt.timedelta(days=40),
        stage="embedded",
        project=pa,
    )
    b.initiative(
        "Gezamenlijke ouderenpoli",
        by_person=gps[4],
        proposed=start + dt.timedelta(days=260),
        stage="pilot",
        project=pb,
    )
    b.interaction(
        start + dt.timedelta(days=20),
        "Bestuurlijk overleg: randvoorwaarden",
        exec_cg + exec_h,
        [board],
        ["Financiering van substitutie onduidelijk"],
    )
    b.interaction(
        start + dt.timedelta(days=90),
        "Adviesraad: welke projecten?",
        gps[:4] + specialists[:3] + managers[:1],
        [council],
        ["Specialisten en huisartsen spreken verschillende taal over verwijzen"],
    )
    return p


def _ruwaard(seed: int) -> Programme:
    """Nine organisations, a support group, and the four groups working together in the district."""
    region = _region("Oss", "Noord-Brabant")
    p = _programme(
        "Proeftuin Ruwaard",
        region,
        vision="Change in the district, shaped together with professionals, managers and above "
        "all residents.",
        governance=(
            "The executives call themselves a support group (steungroep), not a steering group: "
            "they create the preconditions and give residents, professionals and managers the room "
            "to change. Communication with and between the four groups is essential."
        ),
        start=dt.date(2014, 9, 1),
    )
    b = _Builder(p, seed)
    aim_health = b.objective(
        "Residents of Ruwaard feel healthier and more self-reliant", c.TripleAim.POPULATION_HEALTH
    )
    aim_exp = b.objective("One neighbourhood team instead of many counters", c.TripleAim.EXPERIENCE)
    aim_cost = b.objective("Fewer avoidable hospital and specialist contacts", c.TripleAim.COST)
    orgs = [
        b.org(
            "Gemeente Oss",
            "municipality",
            "government",
            "municipality",
            role="core_partner",
            place="Oss",
        ),
        b.org(
            "Ziekenhuis Maasland (illustratief)",
            "hospital",
            "care",
            "region",
            echelon="second",
            role="core_partner",
        ),
        b.org(
            "Gezondheidscentrum Ruwaard",
            "gp_practice",
            "care",
            "neighbourhood",
            echelon="first",
            role="core_partner",
            place="Oss-Ruwaard",
        ),
        b.org(
            "Zorgverzekeraar Zuid (illustratief)",
            "health_insurer",
            "finance",
            "province",
            role="core_partner",
        ),
        b.org(
            "Woonstichting Maasland (illustratief)",
            "housing_corporation",
            "housing",
            "municipality",
        ),
        b.org("Welzijn Oss (illustratief)", "welfare", "social", "municipality"),
        b.org("GGZ Oost (illustratief)", "mental_health", "care", "region", echelon="second"),
        b.org(
            "Thuiszorg en Ouderenzorg Oss (illustratief)",
            "elderly_care",
            "care",
            "municipality",
            echelon="first",
        ),
        b.org(
            "Apotheek Ruwaard",
            "pharmacy",
            "care",
            "neighbourhood",
            echelon="first",
            place="Oss-Ruwaard",
        ),
    ]
    executives = [b.person("executive", o, title="Bestuurder") for o in orgs]
    managers = [b.person("manager", o, title="Teamleider") for o in orgs[:8]]
    municipality, hospital, health_centre, insurer, housing, welfare, ggz, homecare, pharmacy = orgs
    gps = b.people(3, "professional", [health_centre], "gp", "Huisarts")
    nurses = b.people(3, "professional", [homecare, health_centre], "nurse", "Wijkverpleegkundige")
    social = b.people(3, "professional", [welfare, municipality], "social_worker", "Sociaal werker")
    others = [
        b.person("professional", pharmacy, "pharmacist", "Apotheker"),
        b.person("professional", ggz, "other", "Sociaal-psychiatrisch verpleegkundige"),
        b.person("professional", housing, "other", "Wijkconsulent"),
        b.person("professional", hospital, "medical_specialist", "Geriater"),
        b.person("professional", municipality, "policy_officer", "Beleidsmedewerker"),
        b.person("professional", insurer, "purchaser", "Zorginkoper"),
    ]
    residents = b.people(10, "resident", [])
    patient_rep = b.person("patient_representative", None)
    support = b.group(
        "Steungroep Ruwaard",
        "support_group",
        "strategic",
        executives[1:],
        chair=executives[0],
        description="Nine executives who support rather than steer.",
    )
    managers_group = b.group(
        "Managersoverleg",
        "working_group",
        "tactical",
        managers[1:],
        chair=managers[0],
        advisors=residents[:1],
    )
    neighbourhood = b.group(
        "Wijkteam Ruwaard",
        "working_group",
        "operational",
        gps[:2] + nurses + social + others[:3] + residents[1:3],
        chair=social[0],
    )
    residents_group = b.group(
        "Bewonersplatform Ruwaard",
        "working_group",
        "operational",
        [*residents[3:], patient_rep],
        chair=residents[3],
        advisors=[social[1], managers[5]],
    )
    monitoring = b.group(
        "Monitoringgroep Ruwaard",
        "monitoring_group",
        "tactical",
        [*others[4:], managers[0], residents[4]],
        advisors=[gps[2]],
    )
    b.group(
        "Dialoogtafel vier groepen",
        "other",
        "tactical",
        [executives[0], managers[2], gps[0], residents[5], residents[6], nurses[0]],
        chair=residents[5],
        description="Executives, managers, professionals and residents meet each quarter.",
    )
    start = p.start_date or dt.date(2014, 9, 1)
    pa = b.project(
        "Eén wijkteam, één plan", neighbourhood, aim_exp, "active", start + dt.timedelta(days=120)
    )
    pb = b.project(
        "Bewegen in de wijk", residents_group, aim_health, "active", start + dt.timedelta(days=240)
    )
    pc = b.project("Monitor Ruwaard", monitoring, aim_cost, "active", start + dt.timedelta(days=60))
    b.initiative(
        "Wandelgroep met de wijkverpleging",
        by_person=residents[3],
        proposed=start + dt.timedelta(days=45),
        stage="embedded",
        project=pb,
        step_days=120,
    )
    b.initiative(
        "Buurtkamer als ontmoetingsplek",
        by_group=residents_group,
        proposed=start + dt.timedelta(days=100),
        stage="scaling",
        project=pb,
    )
    b.initiative(
        "Samen één keukentafelgesprek",
        by_person=social[0],
        proposed=start + dt.timedelta(days=60),
        stage="embedded",
        project=pa,
    )
    b.initiative(
        "Signaleren van eenzaamheid via de apotheek",
        by_person=others[0],
        proposed=start + dt.timedelta(days=300),
        stage="pilot",
    )
    b.initiative(
        "Woningaanpassing zonder wachtlijst",
        by_person=others[2],
        proposed=start + dt.timedelta(days=380),
        stage="pilot",
        project=pa,
    )
    b.initiative(
        "Bewonersdashboard van de monitor",
        by_person=residents[4],
        proposed=start + dt.timedelta(days=500),
        stage="idea",
        project=pc,
    )
    b.interaction(
        start + dt.timedelta(days=14),
        "Steungroep: welke ruimte geven we?",
        executives,
        [support],
        ["Hoe blijft de steungroep op de hoogte zonder te sturen?"],
    )
    b.interaction(
        start + dt.timedelta(days=80),
        "Dialoogtafel met bewoners",
        [executives[0], managers[2], gps[0], nurses[0], *residents[3:8]],
        [residents_group],
        [
            "Bewoners vinden de weg naar de wijkverpleging niet",
            "Wachtlijst voor woningaanpassingen",
        ],
        kind="workshop",
    )
    b.interaction(
        start + dt.timedelta(days=200),
        "Wijkteam en managers",
        managers[:4] + social + nurses[:2],
        [neighbourhood, managers_group],
        ["Privacyregels belemmeren gegevensdeling tussen zorg en welzijn"],
    )
    return p


DEMO_PROGRAMMES = ("MijnZorg", "Anders Beter", "Goedleven", "Samendraads", "Proeftuin Ruwaard")


@transaction.atomic
def load_demo(*, reset: bool = False, with_population: bool = True) -> DemoSummary:
    """Create the demo region and its users; does nothing when it is already there.

    ``with_population`` also generates a synthetic population for Proeftuin Ruwaard and computes
    its regiobeeld (a few seconds); tests that do not need it switch it off.
    """
    existing = Programme.objects.filter(is_demo=True)
    if existing.exists() and not reset:
        return DemoSummary(created=False, programmes=list(existing.values_list("name", flat=True)))
    delete_programmes(existing)
    south = _region("Zuid-Nederland (illustratief)", "", "Illustrative region for the demo.")
    programmes = [
        _executive_led(
            "MijnZorg",
            11,
            south,
            _Variant(
                vision="Together we keep residents healthy and independent for longer.",
                aim="More healthy years for older residents",
                town="Maasdal",
                practices=3,
                insurer="Zorgverzekeraar Zuid (illustratief)",
                municipalities=("Maasdal", "Heuvelrijk"),
                managers=4,
                residents=2,
            ),
        ),
        _executive_led(
            "Anders Beter",
            23,
            south,
            _Variant(
                vision="Care organised differently: closer, together, affordable.",
                aim="Fewer residents with unmanaged chronic conditions",
                town="Kanaalzone",
                practices=2,
                insurer="Zorgverzekeraar Zuid (illustratief)",
                municipalities=("Kanaalzone", "Polderdorp", "Zeeoever"),
                managers=3,
                residents=3,
                zorgkantoor=True,
                housing=True,
            ),
        ),
        _executive_led(
            "Goedleven",
            37,
            south,
            _Variant(
                vision="A healthy life in a healthy region.",
                aim="Prevention: fewer inhabitants with overweight and diabetes",
                town="Heidestad",
                practices=3,
                insurer="Zorgverzekeraar Midden (illustratief)",
                municipalities=("Heidestad", "Beekdal"),
                managers=5,
                residents=1,
                province=True,
            ),
        ),
        _samendraads(41),
        _ruwaard(53),
    ]
    users = {}
    for username, password, _description in DEMO_USERS:
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.save()
        users[username] = user
    for programme in programmes:
        ProgrammeRole.objects.update_or_create(
            user=users["regisseur"], programme=programme, defaults={"role": Role.DIRECTOR}
        )
    ruwaard = programmes[-1]
    ggz = Organisation.objects.get(programme=ruwaard, name__startswith="GGZ")
    ProgrammeRole.objects.update_or_create(
        user=users["partner"],
        programme=ruwaard,
        defaults={"role": Role.PARTNER, "organisation": ggz},
    )
    ProgrammeRole.objects.update_or_create(
        user=users["kijker"], programme=programmes[0], defaults={"role": Role.VIEWER}
    )
    from samenspel.web.dynamics.demo import load_dynamics_demo
    from samenspel.web.finance.demo import load_money_demo

    by_name = {p.name: p for p in programmes}
    load_money_demo(by_name)
    load_dynamics_demo(by_name)
    if with_population:
        from samenspel.web.monitoring.demo import load_population_demo

        load_population_demo(by_name["Proeftuin Ruwaard"])
    return DemoSummary(created=True, programmes=[p.name for p in programmes])
