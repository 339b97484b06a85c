"""An illustrative regioplan for each demo programme, each in its own style.

- Proeftuin Ruwaard: the plan grows from its initiatives, with residents in the groups; one goal
  sits on a figure the regiobeeld hides.
- Samendraads: run by the care group and the hospital, with professionals advising; one goal is
  behind.
- MijnZorg, Anders Beter, Goedleven: small plans on own indicators.

Milestone dates are set relative to the day the demo is loaded, so "late" and "done" stay
meaningful. Texts are English message ids, shown in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.models import Group, Initiative, Organisation, Person, Programme
from samenspel.web.finance.models import Intervention

from .figures import latest_figures
from .models import Action, Goal, Measurement, Milestone, Responsibility, Theme
from .services import decide_plan, freeze_plan

M = TypeVar("M", bound=models.Model)
Steps = list[tuple[str, int, bool]]  # title, days from today, done


def _org(programme: Programme, prefix: str) -> Organisation:
    found: Organisation = Organisation.objects.get(programme=programme, name__startswith=prefix)
    return found


def _save(obj: M) -> M:
    obj.full_clean()
    obj.save()
    return obj


Figures = tuple[tuple[int, str, str, str], ...]  # year, value, interval low and high


def _goal(
    theme: Theme, title: str, figures: Figures = (), source: str = "", **fields: object
) -> Goal:
    goal = Goal(programme=theme.programme, theme=theme, title=title, **fields)
    _save(goal)
    for year, value, low, high in figures:
        _save(
            Measurement(
                programme=theme.programme,
                goal=goal,
                year=year,
                value=Decimal(value),
                low=Decimal(low) if low else None,
                high=Decimal(high) if high else None,
                source=source,
            )
        )
    return goal


def _action(
    goal: Goal,
    title: str,
    owner: Organisation,
    *,
    group: str = "",
    initiative: str = "",
    interventions: tuple[str, ...] = (),
    people: tuple[str, ...] = (),
    roles: tuple[tuple[str, str], ...] = (),
    steps: Steps | None = None,
    months: int = 24,
    comment: str = "",
) -> Action:
    programme = goal.programme
    today = timezone.localdate()
    start = today - dt.timedelta(days=240)
    found = Initiative.objects.filter(programme=programme, title=initiative).first()
    action = Action(
        programme=programme,
        goal=goal,
        title=title,
        description=found.description if found else "",
        owner=owner,
        group=Group.objects.get(programme=programme, name=group) if group else None,
        initiative=found,
        start_date=start,
        end_date=start + dt.timedelta(days=30 * months),
        comment=comment,
    )
    _save(action)
    paid_by = Intervention.objects.filter(programme=programme, name__in=interventions)
    action.interventions.set(paid_by)
    action.people.set(Person.objects.filter(programme=programme, name__in=people))
    for prefix, role in roles:
        org = _org(programme, prefix)
        _save(Responsibility(programme=programme, action=action, organisation=org, role=role))
    for step, days, done in steps or []:
        due = today + dt.timedelta(days=days)
        _save(
            Milestone(
                programme=programme,
                action=action,
                title=step,
                due=due,
                done=done,
                done_on=due if done else None,
            )
        )
    return action


def _theme(programme: Programme, title: str, description: str = "") -> Theme:
    theme = Theme(programme=programme, title=title, description=description)
    _save(theme)
    return theme


def _ruwaard(p: Programme) -> None:
    home = _theme(
        p,
        gettext_noop("Older people living at home for longer"),
        gettext_noop("Residents, the neighbourhood team and the care providers together."),
    )
    visits = _goal(
        home,
        gettext_noop("Less home nursing needed, through prevention and a neighbourhood team"),
        indicator="care_use:home_care",
        direction="down",
        baseline_year=2021,
        baseline_value=Decimal("530.49"),
        target_year=2026,
        target_value=Decimal("440"),
    )
    _goal(
        home,
        gettext_noop("Fewer residents frail without support"),
        indicator="segment:frail_elderly",
        direction="down",
        baseline_year=2021,
        baseline_value=Decimal("3.2"),
        target_year=2026,
        target_value=Decimal("2.8"),
    )
    _action(
        visits,
        gettext_noop("One kitchen-table conversation per household"),
        _org(p, "Welzijn"),
        group="Wijkteam Ruwaard",
        initiative="Samen één keukentafelgesprek",
        interventions=("One neighbourhood team",),
        people=("Bart Kuijpers", "Dirk van der Heijden"),
        roles=(("Gemeente", "A"), ("Welzijn", "R"), ("Thuiszorg", "R"), ("Zorgverzekeraar", "C")),
        steps=[
            (gettext_noop("Shared intake form agreed"), -180, True),
            (gettext_noop("Neighbourhood team works from one address"), -60, True),
            (gettext_noop("First evaluation with residents"), 45, False),
        ],
    )
    _action(
        visits,
        gettext_noop("Home adaptations without a waiting list"),
        _org(p, "Woonstichting"),
        group="Wijkteam Ruwaard",
        initiative="Woningaanpassing zonder wachtlijst",
        interventions=("Home adaptations without a waiting list",),
        people=("Sanne Brouwers",),
        roles=(("Gemeente", "R"), ("Zorgverzekeraar", "I")),
        steps=[
            (gettext_noop("Budget moved from the Wmo to the housing corporation"), -90, True),
            (gettext_noop("Fifty homes adapted"), -10, False),
            (gettext_noop("Waiting list gone"), 200, False),
        ],
        comment=gettext_noop("Fifty homes is not reached yet: two contractors dropped out."),
    )
    meet = _theme(p, gettext_noop("Meeting each other in the neighbourhood"))
    lonely = _goal(
        meet,
        gettext_noop("Fewer residents who feel lonely"),
        figures=((2022, "46", "44", "48"),),
        source=gettext_noop("GGD Health Monitor"),
        own_indicator=gettext_noop("Adults who feel lonely (%)"),
        own_source=gettext_noop("GGD Health Monitor"),
        direction="down",
        baseline_year=2020,
        baseline_value=Decimal("48"),
        target_year=2026,
        target_value=Decimal("40"),
    )
    _action(
        lonely,
        gettext_noop("A neighbourhood living room as a meeting place"),
        _org(p, "Welzijn"),
        group="Bewonersplatform Ruwaard",
        initiative="Buurtkamer als ontmoetingsplek",
        people=("Ahmed van Gerwen", "Carla Coenen", "Daan Coenen"),
        roles=(("Woonstichting", "R"), ("Gemeente", "C")),
        steps=[
            (gettext_noop("Residents choose the location"), -150, True),
            (gettext_noop("Open five days a week"), 90, False),
        ],
    )
    _action(
        lonely,
        gettext_noop("The pharmacy notices loneliness"),
        _org(p, "Apotheek"),
        group="Wijkteam Ruwaard",
        initiative="Signaleren van eenzaamheid via de apotheek",
        roles=(("Welzijn", "R"), ("GGZ", "R")),
        steps=[(gettext_noop("Pharmacy assistants trained"), 30, False)],
    )


def _samendraads(p: Programme) -> None:
    place = _theme(
        p,
        gettext_noop("The right care in the right place"),
        gettext_noop(
            "Run by the care group and the hospital; the medical advisory board advises."
        ),
    )
    anticoagulation = _goal(
        place,
        gettext_noop("Anticoagulation monitored in general practice"),
        figures=((2025, "22", "19", "25"),),
        source=gettext_noop("Care group claims"),
        own_indicator=gettext_noop("Patients on anticoagulants monitored by the GP (%)"),
        own_source=gettext_noop("Care group claims"),
        direction="up",
        baseline_year=2024,
        baseline_value=Decimal("10"),
        target_year=2028,
        target_value=Decimal("80"),
    )
    frail = _goal(
        place,
        gettext_noop("Fewer acute admissions of frail older people"),
        figures=((2025, "201", "190", "212"),),
        source=gettext_noop("Hospital admissions register"),
        own_indicator=gettext_noop("Acute admissions per 1,000 residents aged 75 and over"),
        own_source=gettext_noop("Hospital admissions register"),
        direction="down",
        baseline_year=2024,
        baseline_value=Decimal("210"),
        target_year=2028,
        target_value=Decimal("180"),
    )
    _action(
        anticoagulation,
        gettext_noop("Anticoagulation care moves to general practice"),
        _org(p, "Zorggroep"),
        group="Projectgroep Anticoagulatie",
        interventions=("Anticoagulation care moves to general practice",),
        people=("Gijs Martens", "Frank Visser", "Chantal Aydın"),
        roles=(("Ziekenhuis", "R"), ("Huisartsenpraktijk Dongen", "R"), ("Zorgverzekeraar", "C")),
        steps=[
            (gettext_noop("Protocol approved by the medical advisory board"), -200, True),
            (gettext_noop("Practice nurses trained"), -40, False),
            (gettext_noop("All practices monitor their own patients"), 300, False),
        ],
        comment=gettext_noop("Training delayed: two practices have no practice nurse yet."),
    )
    _action(
        frail,
        gettext_noop("A shared clinic for older people"),
        _org(p, "Ziekenhuis"),
        group="Projectgroep Ouderenketen",
        initiative="Gezamenlijke ouderenpoli",
        interventions=("Integrated care for frail older people",),
        people=("Linda de Vries", "Kim Mulder"),
        roles=(("Zorggroep", "R"), ("Gemeente", "I")),
        steps=[
            (gettext_noop("Clinic opens two mornings a week"), -100, True),
            (gettext_noop("Evaluation with the GPs"), 60, False),
        ],
    )


def _small(
    p: Programme,
    texts: tuple[str, str, str, str],
    figures: Figures,
    numbers: tuple[str, int, str, int, str],
    owner: tuple[str, str, str],
) -> Theme:
    """A plan of one theme, one goal on an own indicator and one adopted initiative."""
    theme, goal, indicator, action = texts
    direction, baseline_year, baseline, target_year, target = numbers
    owner_prefix, group, initiative = owner
    t = _theme(p, theme)
    g = _goal(
        t,
        goal,
        figures=figures,
        source=gettext_noop("Own registration"),
        own_indicator=indicator,
        own_source=gettext_noop("Own registration"),
        direction=direction,
        baseline_year=baseline_year,
        baseline_value=Decimal(baseline),
        target_year=target_year,
        target_value=Decimal(target),
    )
    _action(
        g,
        action,
        _org(p, owner_prefix),
        group=group,
        initiative=initiative,
        steps=[
            (gettext_noop("Plan of approach agreed"), -120, True),
            (gettext_noop("First results reported"), 120, False),
        ],
    )
    return t


def _on_open_data(theme: Theme) -> None:
    """A goal on the open data's cost index, its baseline taken from the data (when loaded)."""
    _source, figures = latest_figures(theme.programme_id, "open_data:total")
    if not any(f.year == 2021 and f.value is not None for f in figures):
        return
    _goal(
        theme,
        gettext_noop("Zvw costs closer to what the population's age and sex lead to expect"),
        indicator="open_data:total",
        direction="down",
        baseline_year=2021,
        target_year=2026,
        target_value=Decimal("100"),
    )


def _put_to_the_parties(programme: Programme) -> None:
    """Freeze the plan; the parties' representatives who have an account approve it."""
    director = ProgrammeRole.objects.filter(programme=programme, role=Role.DIRECTOR).first()
    if director is None:
        return
    version = freeze_plan(role=director)
    signers = ProgrammeRole.objects.filter(
        programme=programme, signs_agreements=True, organisation__in=version.parties.all()
    )
    for signer in signers:
        decide_plan(
            role=signer,
            version=version,
            decision="approved",
            comment=gettext_noop("Approved by the board on the advice of the medical staff."),
        )


def load_plan_demo(programmes: dict[str, Programme]) -> None:
    """Give each demo programme its plan; Samendraads' is put to its parties."""
    _ruwaard(programmes["Proeftuin Ruwaard"])
    _samendraads(programmes["Samendraads"])
    _put_to_the_parties(programmes["Samendraads"])
    _small(
        programmes["MijnZorg"],
        (
            gettext_noop("Medication safety"),
            gettext_noop("More medication reviews for patients on many medicines"),
            gettext_noop("Patients on five or more medicines with a yearly review (%)"),
            gettext_noop("Medication handover at discharge"),
        ),
        ((2025, "48", "44", "52"),),
        ("up", 2024, "35", 2027, "70"),
        ("Apotheek", "Projectgroep Medicatieveiligheid", "Medicatieoverdracht bij ontslag"),
    )
    anders_beter = _small(
        programmes["Anders Beter"],
        (
            gettext_noop("Fall prevention"),
            gettext_noop("Fewer falls among older people"),
            gettext_noop("Emergency visits after a fall per 1,000 residents aged 65 and over"),
            gettext_noop("Fall prevention with the sports club"),
        ),
        (),
        ("down", 2024, "32", 2027, "26"),
        ("Welzijn", "Werkgroep Kwetsbare ouderen", "Valpreventie met de sportvereniging"),
    )
    _on_open_data(anders_beter)
    _small(
        programmes["Goedleven"],
        (
            gettext_noop("Healthy neighbourhoods"),
            gettext_noop("More adults who exercise enough"),
            gettext_noop("Adults who meet the exercise guideline (%)"),
            gettext_noop("A joint clinic of the GP and the elderly care physician"),
        ),
        ((2024, "52", "49", "55"),),
        ("up", 2022, "48", 2026, "55"),
        (
            "Huisartsenpraktijk Heidestad Centrum",
            "Werkgroep Kwetsbare ouderen",
            "Gezamenlijk spreekuur huisarts en specialist ouderengeneeskunde",
        ),
    )
