"""Reads for the dynamics pages and the programme report: what each role may see."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samenspel.analytics.network import Tie
from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.charts import network_layout, network_svg
from samenspel.web.core.choices import StakeholderGroup
from samenspel.web.core.extensions import SharedPatients, shared_patients
from samenspel.web.core.models import LARGEST_ID, Organisation, Person, Programme
from samenspel.web.core.pages import code_labels
from samenspel.web.core.versions import remember

from .advice_text import describe
from .mailing import failure_text
from .models import (
    ANSWER_FIELDS,
    ITEM_FIELDS,
    Collaboration,
    Frequency,
    Invitation,
    Rating,
    SurveyWave,
    Unit,
)
from .networks import (
    NODE_ATTRIBUTES,
    SOURCES,
    Dynamics,
    evaluate,
    evaluate_sharing,
    node_table,
    responded,
    shows_named_ties,
)

COLOURS = ("stakeholder_group", "layer", "organisation")


def board_wave(programme: Programme) -> SurveyWave | None:
    """The wave pages show unless asked otherwise: the closed wave the director chose to show
    first, else the latest closed one (its figures are final and published), else the latest
    one, whose progress is all there is to show."""
    waves = SurveyWave.objects.filter(programme=programme).order_by("-opened_on", "-id")
    closed = waves.filter(closed_at__isnull=False)
    return closed.filter(shown_first=True).first() or closed.first() or waves.first()


def open_wave_in_progress(programme: Programme, shown: SurveyWave | None) -> dict[str, Any] | None:
    """The open wave other than ``shown``, with its response so far (None if there is none)."""
    wave = (
        SurveyWave.objects.filter(programme=programme, closed_at__isnull=True)
        .exclude(pk=shown.pk if shown else None)
        .order_by("-opened_on", "-id")
        .first()
    )
    if wave is None:
        return None
    invited, submitted = responded(wave)
    return {"wave": wave, "invited": invited, "responded": submitted}


def selection(request: HttpRequest, programme: Programme) -> tuple[SurveyWave | None, str, str]:
    waves = SurveyWave.objects.filter(programme=programme)
    wave_id = request.GET.get("wave", "")
    wave = (
        waves.filter(pk=int(wave_id)).first()
        if wave_id.isdigit() and int(wave_id) <= LARGEST_ID
        else board_wave(programme)
    )
    source = request.GET.get("source", "survey" if wave else "combined")
    source = source if source in SOURCES else "combined"
    colour = request.GET.get("colour", "stakeholder_group")
    return wave, source, colour if colour in COLOURS else "stakeholder_group"


def network_for(
    request: HttpRequest,
    programme: Programme,
    role: ProgrammeRole,
    source: str,
    wave: SurveyWave | None,
) -> tuple[Dynamics, SharedPatients | None]:
    """The evaluated network of the chosen source, as ``role`` may see it; the
    patient-sharing one is audited."""
    if source != "patient_sharing":
        named = shows_named_ties(role, wave)
        return evaluate(programme, source=source, wave=wave, named=named), None
    sharing = shared_patients(programme, request.GET.get("run", ""))
    if sharing is None:
        raise Http404("No regiobeeld run with a patient-sharing network yet.")
    audit.record(request.user, programme, "view patient-sharing network", f"run {sharing.run_id}")
    return evaluate_sharing(dict(sharing.network)), sharing


def network_labels(sharing: SharedPatients | None) -> dict[str, str]:
    """The labels of every code a node's attributes may hold, the providers' kinds included."""
    labels = code_labels()
    labels.update({"none": _("In no group")})
    if sharing is not None:
        labels.update(sharing.labels)
    return labels


def dashboard_context(
    request: HttpRequest, programme: Programme, role: ProgrammeRole
) -> dict[str, Any]:
    wave, source, colour = selection(request, programme)
    dyn, sharing_run = network_for(request, programme, role, source, wave)
    labels = network_labels(sharing_run)
    if sharing_run is not None:
        colour, wave = "kind", None
    elif dyn.aggregated:
        colour = "domain"
    svg, legend = remember(
        "dynamics-drawing",
        programme.pk,
        (source, wave.pk if wave else None, sharing_run.run_id if sharing_run else None, colour,
         dyn.aggregated, get_language()),
        lambda: network_svg(dyn.network, dyn.names, colour, labels, _("Collaboration network")),
    )  # fmt: skip
    return {
        "programme": programme,
        "role": role,
        "wave": wave,
        "source": source,
        "colour": colour,
        "waves": SurveyWave.objects.filter(programme=programme).order_by("-opened_on", "-id"),
        "in_progress": open_wave_in_progress(programme, wave),
        "sources": SOURCES,
        "colours": COLOURS,
        "dyn": dyn,
        "labels": labels,
        "svg": svg,
        "legend": legend,
        "advice": [(a, describe(a, labels)) for a in dyn.advice],
        "matrices": list(dyn.matrices.items()),
        "ei_rows": list(dyn.ei.items()),
        "sharing_run": sharing_run,
        "brokers": [(dyn.names[n], counts, total) for n, counts, total in dyn.brokers],
        "org_scores": sorted(dyn.organisation_scores.items()),
        "org_ids": dict(
            Organisation.objects.filter(programme=programme).values_list("name", "pk")
        ),
        "query": request.GET.urlencode(),
        "metric_labels": {
            "density": _("Density (undirected)"),
            "degree_centralisation": _("Degree centralisation"),
            "ei_stakeholder_group": _("E-I by stakeholder group"),
            "ei_layer": _("E-I by layer"),
        },
    }


SURVEY_STEPS = ("choose", "people", "organisations", "review")


def survey_steps(invitation: Invitation) -> list[str]:
    """The steps of this respondent's survey; a wave per organisation has one more."""
    steps = ["choose", "people", "review"]
    if invitation.wave.unit == Unit.ORGANISATION:
        steps.insert(2, "organisations")
    return steps


def _card(values: dict[str, str], fields: tuple[str, ...]) -> dict[str, Any]:
    return {"values": values, "complete": all(f in values for f in fields)}


def survey_context(invitation: Invitation, step: str, problems: list[str]) -> dict[str, Any]:
    """What one step of the respondent's survey shows: the people to choose from (grouped by
    organisation), a card per chosen person or organisation, and the progress so far."""
    draft = invitation.draft or {}
    chosen: list[int] = draft.get("chosen", [])
    steps = survey_steps(invitation)
    if step not in steps:
        step = "people" if chosen else "choose"
    others = (
        Person.objects.filter(programme_id=invitation.programme_id)
        .exclude(pk=invitation.person_id)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    groups: dict[str, list[Person]] = {}
    for person in others:
        organisation = person.organisation.name if person.organisation else ""
        groups.setdefault(organisation, []).append(person)
    by_id = {p.pk: p for p in others}
    fields = person_fields(invitation.wave)
    answers = draft.get("people", {})
    cards = [
        (by_id[pk], _card(answers.get(str(pk), {}), fields)) for pk in chosen if pk in by_id
    ]
    org_answers = draft.get("organisations", {})
    org_cards = [
        (org, _card(org_answers.get(str(org.pk), {}), ITEM_FIELDS))
        for org in rated_organisations(invitation, chosen)
    ]
    done, total = progress(invitation)
    index = steps.index(step)
    return {
        "invitation": invitation,
        "step": step,
        "steps": steps,
        "step_number": index + 1,
        "next_step": steps[index + 1] if index + 1 < len(steps) else "",
        "previous_step": steps[index - 1] if index else "",
        "groups": sorted(groups.items(), key=lambda g: (g[0] == "", g[0])),
        "chosen": set(chosen),
        "nobody": draft.get("nobody", False),
        "cards": cards,
        "org_cards": org_cards,
        "done": done,
        "total": total,
        "problems": problems,
        "questions": survey_questions(invitation.wave),
        "org_questions": [
            q for q in survey_questions(invitation.wave, every=True) if q[0] in ITEM_FIELDS
        ],
    }


def question_texts() -> dict[str, str]:
    """Each survey question as the respondent reads it, by answer field."""
    return {
        "frequency": _("How often are you in contact?"),
        "collaboration": _("How far does your collaboration go?"),
        "trust_reliability": _("Is reliable: does what they say they will do"),
        "trust_mission": _("Supports the shared mission of the programme"),
        "trust_openness": _("Is open to discussion"),
        "value_influence": _("Has influence that helps the programme"),
        "value_involvement": _("Is involved and committed"),
        "value_resources": _("Contributes resources (time, money, data, expertise)"),
    }


def survey_questions(
    wave: SurveyWave, *, every: bool = False
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(field, question, answers) asked per person in ``wave`` (``every``: all eight)."""
    scale = [("1", _("not at all")), ("2", _("a little")), ("3", _("fairly")), ("4", _("very"))]
    answers = {
        "frequency": [(v, str(label)) for v, label in Frequency.choices],
        "collaboration": [(str(v), str(label)) for v, label in Collaboration.choices],
    }
    fields = ANSWER_FIELDS if every else person_fields(wave)
    texts = question_texts()
    return [(f, texts[f], answers.get(f, scale)) for f in fields]


def person_fields(wave: SurveyWave) -> tuple[str, ...]:
    """The questions asked about each chosen person in ``wave``."""
    return ANSWER_FIELDS if wave.unit == Unit.PERSON else ("frequency", "collaboration")


def rated_organisations(invitation: Invitation, chosen: list[int]) -> list[Organisation]:
    """In a wave per organisation: the organisations of the chosen people, the respondent's own
    organisation excepted, by name."""
    if invitation.wave.unit != Unit.ORGANISATION:
        return []
    own = invitation.person.organisation_id
    ids = set(
        Person.objects.filter(pk__in=chosen, organisation__isnull=False)
        .exclude(organisation_id=own)
        .values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def progress(invitation: Invitation) -> tuple[int, int]:
    """(questions answered, questions to answer) for the chosen people and organisations."""
    draft = invitation.draft or {}
    chosen = draft.get("chosen", [])
    fields = person_fields(invitation.wave)
    people = draft.get("people", {})
    done = sum(len([f for f in fields if f in people.get(str(pk), {})]) for pk in chosen)
    total = len(chosen) * len(fields)
    orgs = rated_organisations(invitation, chosen)
    org_answers = draft.get("organisations", {})
    done += sum(len([f for f in ITEM_FIELDS if f in org_answers.get(str(o.pk), {})]) for o in orgs)
    total += len(orgs) * len(ITEM_FIELDS)
    return done, total


def response_rates(wave: SurveyWave) -> dict[str, list[tuple[str, int, int]]]:
    """Invited and submitted per stakeholder group, layer and organisation: (label, invited,
    submitted). Counts of who answered, never what."""
    nodes, _seated, _names = node_table(wave.programme)
    labels = code_labels()
    rows: dict[str, dict[str, list[int]]] = {key: {} for key in COLOURS}
    for person_id, submitted in wave.invitations.values_list("person_id", "submitted_at"):
        attrs = nodes.get(str(person_id))
        if attrs is None:
            continue
        for key, table in rows.items():
            value = attrs[key] or "—"
            label = labels.get(value, value) if key != "organisation" else value
            counts = table.setdefault(label, [0, 0])
            counts[0] += 1
            counts[1] += submitted is not None
    return {key: sorted((k, v[0], v[1]) for k, v in table.items()) for key, table in rows.items()}


def mail_status(wave: SurveyWave) -> dict[str, Any]:
    """How far the wave's mail is: sent, reminded, opted out, and failures by name."""
    invitations = wave.invitations
    return {
        "sent": invitations.filter(sent_at__isnull=False).count(),
        "reminded": invitations.filter(reminders_sent__gt=0).count(),
        "opted_out": invitations.filter(opted_out_at__isnull=False).count(),
        "failed": [
            (name, failure_text(code, address))
            for name, code, address in invitations.exclude(mail_error="")
            .order_by("person__name")
            .values_list("person__name", "mail_error", "person__email")
        ],
    }


METRICS = ("degree", "betweenness", "closeness", "constraint")


def _score(dyn: Dynamics, node: str) -> dict[str, Any] | None:
    """Trust and value received, only where enough respondents rated (never one person's)."""
    key = dyn.names[node] if dyn.aggregated else node
    score = (dyn.organisation_scores if dyn.aggregated else dyn.person_scores).get(key)
    if score is None or score.suppressed:
        return None
    return {"trust": score.trust, "value": score.value, "respondents": score.respondents}


def explorer_json(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> bytes:
    """The network as the explorer draws it, as compact JSON, with exactly what ``role`` may
    see: positions, attributes, the four centrality measures, scores above the respondent
    minimum, and with ``compare=<wave>`` each tie marked kept, new or gone since that wave. Kept
    (already written out) until the data change, per role's view."""
    wave, source, _colour = selection(request, programme)
    dyn, sharing = network_for(request, programme, role, source, wave)
    compare_id = request.GET.get("compare", "")
    earlier = (
        SurveyWave.objects.filter(programme=programme, pk=int(compare_id)).first()
        if compare_id.isdigit() and source != "patient_sharing"
        else None
    )
    before, earlier_key = None, None
    if earlier is not None and earlier != wave:
        before = network_for(request, programme, role, source, earlier)[0]
        earlier_key = (earlier.pk, shows_named_ties(role, earlier))
    key = (source, wave.pk if wave else None, sharing.run_id if sharing else None,
           shows_named_ties(role, wave), earlier_key, get_language())  # fmt: skip
    labels = network_labels(sharing)
    return remember(
        "explorer",
        programme.pk,
        key,
        lambda: json.dumps(
            _explorer(dyn, before, labels), cls=DjangoJSONEncoder, separators=(",", ":")
        ).encode(),
    )


def _explorer(dyn: Dynamics, before: Dynamics | None, labels: dict[str, str]) -> dict[str, Any]:
    network = dyn.network.undirected()
    ties = {(t.source, t.target) if t.source < t.target else (t.target, t.source): t.weight
            for t in network.ties}  # fmt: skip
    status = dict.fromkeys(ties, "kept")
    nodes = dict(dyn.network.nodes)
    names = dict(dyn.names)
    if before is not None:
        old = {(t.source, t.target) if t.source < t.target else (t.target, t.source): t.weight
               for t in before.network.undirected().ties}  # fmt: skip
        status = {pair: "kept" if pair in old else "new" for pair in ties}
        for pair, weight in old.items():
            if pair not in ties:
                ties[pair], status[pair] = weight, "gone"
        for node in before.network.ids:
            nodes.setdefault(node, before.network.nodes[node])
            names.setdefault(node, before.names[node])
    positions = network_layout(type(dyn.network)(nodes, [Tie(a, b) for a, b in ties]))
    xs, ys = [p[0] for p in positions] or [0.0], [p[1] for p in positions] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    positions = [((x - min(xs)) / span, (y - min(ys)) / span) for x, y in positions]
    c = dyn.centrality
    attributes = [a for a in NODE_ATTRIBUTES if any(a in attrs for attrs in nodes.values())]
    return {
        "aggregated": dyn.aggregated,
        "withheld": dyn.withheld,
        "attributes": attributes,
        "labels": {v: labels.get(v, v) for attrs in nodes.values() for v in attrs.values()},
        "nodes": [
            {
                "id": n,
                "name": names[n],
                "x": round(x, 4),
                "y": round(y, 4),
                "attrs": {a: nodes[n].get(a, "") for a in attributes},
                "metrics": {
                    m: (None if getattr(c, m).get(n) is None else round(getattr(c, m)[n], 6))
                    for m in METRICS
                },
                "score": _score(dyn, n) if n in dyn.names else None,
            }
            for n, (x, y) in zip(nodes, positions, strict=True)
        ],
        "edges": [
            {"source": a, "target": b, "weight": w, "status": status[(a, b)]}
            for (a, b), w in ties.items()
        ],
    }


def node_attributes(dyn: Dynamics) -> list[str]:
    """The attributes every node of the network has (people: stakeholder group, layer,
    organisation, …; providers of the patient-sharing network: their kind)."""
    return [a for a in NODE_ATTRIBUTES if all(a in v for v in dyn.network.nodes.values())]


def attribute_names() -> dict[str, str]:
    return {
        "stakeholder_group": _("Stakeholder group"),
        "layer": _("Layer"),
        "organisation": _("Organisation"),
        "domain": _("Domain"),
        "level": _("Level"),
        "kind": _("Kind"),
    }


def _shown(value: Any, labels: dict[str, str]) -> Any:
    return labels.get(value, value) if isinstance(value, str) else value


def network_table(dyn: Dynamics, labels: dict[str, str]) -> list[dict[str, Any]]:
    """The explorer's table alternative: each node, its attributes (as ``node_attributes``
    names them, shown with their labels), ties and neighbours."""
    attributes = node_attributes(dyn)
    neighbours: dict[str, set[str]] = {n: set() for n in dyn.network.ids}
    for tie in dyn.network.ties:
        neighbours[tie.source].add(dyn.names[tie.target])
        neighbours[tie.target].add(dyn.names[tie.source])
    return sorted(
        (
            {
                "name": dyn.names[n],
                "values": [_shown(dyn.network.nodes[n].get(a, ""), labels) for a in attributes],
                "degree": len(neighbours[n]),
                "betweenness": dyn.centrality.betweenness[n],
                "neighbours": sorted(neighbours[n]),
            }
            for n in dyn.network.ids
        ),
        key=lambda row: row["name"],
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def organisation_profile(
    programme: Programme, wave: SurveyWave, organisation: Organisation
) -> dict[str, Any]:
    """PARTNER's member profile of one organisation in one wave: trust and value it received
    against the network average, and ties per stakeholder group, counted in respondents.
    Every figure rests on at least the wave's minimum of respondents; below it, it is withheld.
    Nothing is shown before the wave is closed: comparing the profile before and after one more
    answer would show that answer."""
    k = wave.min_respondents
    dyn = evaluate(programme, source="survey", wave=wave, named=True)  # aggregates only leave here
    withheld = dyn.responded < k or not wave.is_closed
    profile: dict[str, Any] = {
        "organisation": organisation,
        "wave": wave,
        "min_respondents": k,
        "withheld": withheld,
        "wave_open": not wave.is_closed,
        "responded": dyn.responded,
    }
    if withheld:
        return profile
    shown = [s for s in dyn.organisation_scores.values() if not s.suppressed]
    score = dyn.organisation_scores.get(organisation.name)
    groups = dict(
        Person.objects.filter(programme=programme).values_list("pk", "stakeholder_group")
    )
    org_of = dict(Person.objects.filter(programme=programme).values_list("pk", "organisation_id"))
    incoming: dict[str, set[int]] = {}
    outgoing: dict[str, set[int]] = {}
    for ego, alter in Rating.objects.filter(
        invitation__wave=wave, invitation__submitted_at__isnull=False
    ).values_list("invitation__person_id", "alter_id"):
        if org_of.get(alter) == organisation.pk and org_of.get(ego) != organisation.pk:
            incoming.setdefault(groups[ego], set()).add(ego)
        if org_of.get(ego) == organisation.pk and org_of.get(alter) != organisation.pk:
            outgoing.setdefault(groups[alter], set()).add(ego)
    labels = code_labels()
    ties = [
        (
            labels.get(group, group),
            _counted(incoming.get(group), k),
            _counted(outgoing.get(group), k),
        )
        for group in StakeholderGroup.values
    ]
    return profile | {
        "score": score if score is not None and not score.suppressed else None,
        "raters": score.respondents if score is not None else 0,
        "average_trust": _mean([s.trust for s in shown if s.trust is not None]),
        "average_value": _mean([s.value for s in shown if s.value is not None]),
        "organisations_scored": len(shown),
        "ties": ties,
    }


def _counted(respondents: set[int] | None, k: int) -> int | None:
    """How many respondents, or None when fewer than ``k`` (a small count points at people)."""
    n = len(respondents or ())
    return n if n >= k else None
