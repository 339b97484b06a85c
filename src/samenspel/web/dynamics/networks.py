"""Build the collaboration network of a programme from its sources, and evaluate it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language

from samenspel.analytics.network import (
    MIN_RESPONDENTS,
    Network,
    Rating,
    Score,
    Tie,
    blau_index,
    brokerage,
    centrality,
    compare_waves,
    contact_matrix,
    degree_centralisation,
    density,
    ei_index,
    scores,
)
from samenspel.analytics.network.advice import Advice, Thresholds, advise
from samenspel.analytics.network.change import WaveChange
from samenspel.analytics.network.groups import ContactMatrix, EIResult, withhold_small_groups
from samenspel.web.core import choices as c
from samenspel.web.core.accounts.access import is_director
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.models import (
    GroupMembership,
    Interaction,
    Organisation,
    Person,
    Programme,
)
from samenspel.web.core.versions import remember

from .models import TRUST_ITEMS, VALUE_ITEMS, Invitation, SurveyWave, Unit
from .models import OrganisationRating as OrganisationRatingRow
from .models import Rating as RatingRow

SOURCES = ("survey", "groups", "interactions", "combined", "patient_sharing")
SURVEY_SOURCES = ("survey", "combined")
ATTRIBUTES = ("stakeholder_group", "layer", "organisation", "domain", "level")
# Every attribute a node may carry: a person's (above) or a patient-sharing provider's kind.
NODE_ATTRIBUTES = (*ATTRIBUTES, "kind")
LAYER_RANK = {layer: i for i, layer in enumerate(c.Layer.values)}


def thresholds() -> Thresholds:
    """Advice thresholds, overridable with the SAMENSPEL_ADVICE_THRESHOLDS setting (a dict)."""
    return Thresholds(**getattr(settings, "SAMENSPEL_ADVICE_THRESHOLDS", {}))


def node_table(
    programme: Programme,
) -> tuple[dict[str, dict[str, str]], dict[str, set[str]], dict[str, str]]:
    """Node attributes per person id, the people seated per layer, and names per id."""
    people = Person.objects.filter(programme=programme).select_related("organisation")
    layers: dict[int, set[str]] = {p.pk: set() for p in people}
    for person_id, layer in GroupMembership.objects.filter(programme=programme).values_list(
        "person_id", "group__layer"
    ):
        layers[person_id].add(layer)
    nodes: dict[str, dict[str, str]] = {}
    seated: dict[str, set[str]] = {layer: set() for layer in c.Layer.values}
    names: dict[str, str] = {}
    for p in people:
        own = sorted(layers[p.pk], key=lambda layer: LAYER_RANK[layer])
        org = p.organisation
        nodes[str(p.pk)] = {
            "stakeholder_group": p.stakeholder_group,
            "layer": own[0] if own else "none",
            "organisation": org.name if org else "",
            "domain": org.domain if org else "none",
            "level": org.level if org else "none",
        }
        for layer in own:
            seated[layer].add(str(p.pk))
        names[str(p.pk)] = p.name
    return nodes, seated, names


def _submitted(wave: SurveyWave) -> QuerySet[RatingRow]:
    """The ratings of a wave that count: only submitted answers, never saved drafts."""
    return RatingRow.objects.filter(invitation__wave=wave, invitation__submitted_at__isnull=False)


def survey_ties(wave: SurveyWave) -> list[Tie]:
    return [
        Tie(str(src), str(dst))
        for src, dst in _submitted(wave).values_list("invitation__person_id", "alter_id")
    ]


def group_ties(programme: Programme) -> list[Tie]:
    members: dict[int, list[int]] = {}
    for group_id, person_id in GroupMembership.objects.filter(programme=programme).values_list(
        "group_id", "person_id"
    ):
        members.setdefault(group_id, []).append(person_id)
    return [
        Tie(str(a), str(b))
        for people in members.values()
        for a, b in itertools.combinations(sorted(people), 2)
    ]


def interaction_ties(programme: Programme) -> list[Tie]:
    ties = []
    for interaction in Interaction.objects.filter(programme=programme).prefetch_related(
        "participants"
    ):
        ids = sorted(p.pk for p in interaction.participants.all())
        ties += [Tie(str(a), str(b)) for a, b in itertools.combinations(ids, 2)]
    return ties


def build_network(programme: Programme, source: str, wave: SurveyWave | None) -> Network:
    nodes, _seated, _names = node_table(programme)
    if source == "survey":
        return Network(nodes, survey_ties(wave) if wave else [], directed=True)
    if source == "groups":
        return Network(nodes, group_ties(programme))
    if source == "interactions":
        return Network(nodes, interaction_ties(programme))
    survey = Network(nodes, survey_ties(wave) if wave else [], directed=True).undirected()
    return Network(nodes, survey.ties + group_ties(programme) + interaction_ties(programme))


@dataclass
class Dynamics:
    """Everything the dynamics dashboard shows for one programme, wave and source."""

    network: Network
    names: dict[str, str]
    density: float
    centralisation: float
    centrality: Any
    ei: dict[str, EIResult]
    matrices: dict[str, ContactMatrix]
    blau: list[tuple[str, str, float, int]]
    brokers: list[tuple[str, dict[str, int], int]]
    person_scores: dict[str, Score] = field(default_factory=dict)
    organisation_scores: dict[str, Score] = field(default_factory=dict)
    invited: int = 0
    responded: int = 0
    advice: list[Advice] = field(default_factory=list)
    change: WaveChange | None = None
    previous_wave: SurveyWave | None = None
    # Survey answers shown per organisation (who named whom is hidden) ...
    aggregated: bool = False
    # ... and withheld altogether while the wave is open or fewer than its minimum submitted.
    withheld: bool = False
    wave_open: bool = False
    min_respondents: int = MIN_RESPONDENTS
    hidden_ties: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.invited if self.invited else None


def wave_ratings(wave: SurveyWave) -> list[Rating]:
    """Submitted trust and value ratings; in a wave per organisation the target is ``o<id>``."""
    if wave.unit == Unit.ORGANISATION:
        rows = OrganisationRatingRow.objects.filter(
            invitation__wave=wave, invitation__submitted_at__isnull=False
        ).values_list("invitation__person_id", "organisation_id", *TRUST_ITEMS, *VALUE_ITEMS)
        targets = [f"o{r[1]}" for r in rows]
    else:
        rows = _submitted(wave).values_list(
            "invitation__person_id", "alter_id", *TRUST_ITEMS, *VALUE_ITEMS
        )
        targets = [str(r[1]) for r in rows]
    return [
        Rating(str(r[0]), target, (r[2], r[3], r[4]), (r[5], r[6], r[7]))
        for r, target in zip(rows, targets, strict=True)
    ]


def responded(wave: SurveyWave) -> tuple[int, int]:
    invitations = Invitation.objects.filter(wave=wave)
    return invitations.count(), invitations.filter(submitted_at__isnull=False).count()


def top_brokers(
    roles: dict[str, dict[str, int]], names: dict[str, str]
) -> list[tuple[str, dict[str, int], int]]:
    """The 15 nodes that broker most (node, counts per role, total), then by name."""
    ranked = sorted(
        ((n, counts, sum(counts.values())) for n, counts in roles.items() if any(counts.values())),
        key=lambda row: (-row[2], names[row[0]]),
    )
    return ranked[:15]


def evaluate_sharing(sharing: dict[str, Any]) -> Dynamics:
    """The patient-sharing network of a regiobeeld run (providers, not people)."""
    providers = {p: {"kind": attrs.get("kind", "")} for p, attrs in sharing["providers"].items()}
    network = Network(providers, [Tie(a, b) for a, b, _n in sharing["ties"]])
    roles = brokerage(network, "kind")
    return Dynamics(
        network=network,
        names={p: p for p in providers},
        density=density(network),
        centralisation=degree_centralisation(network),
        centrality=centrality(network),
        ei={"kind": ei_index(network, "kind")},
        matrices={"kind": contact_matrix(network, "kind")},
        blau=[],
        brokers=top_brokers(roles, {p: p for p in providers}),
    )


def shows_named_ties(role: ProgrammeRole | None, wave: SurveyWave | None) -> bool:
    """Who named whom is shown only to the programme director, and only for a wave whose
    introduction told respondents so; everyone else sees the survey per organisation."""
    if wave is None:
        return True
    return role is not None and is_director(role) and wave.named_ties


def evaluate(
    programme: Programme, *, source: str, wave: SurveyWave | None, named: bool = False
) -> Dynamics:
    """The network of ``source`` (and ``wave``) with every metric; kept until the data changes.

    Unless ``named``, a network with survey ties is published per organisation (see
    :func:`_per_organisation`): callers pass ``shows_named_ties(role, wave)``.
    """
    key = (source, wave.pk if wave else None, named, get_language())
    return remember(
        "dynamics", programme.pk, key, lambda: _published(programme, source, wave, named)
    )


def _published(programme: Programme, source: str, wave: SurveyWave | None, named: bool) -> Dynamics:
    if named or wave is None or source not in SURVEY_SOURCES:
        return _evaluate(programme, source, wave)
    full = evaluate(programme, source=source, wave=wave, named=True)  # kept, not recomputed
    return _per_organisation(programme, source, wave, full)


def _per_organisation(
    programme: Programme, source: str, wave: SurveyWave, full: Dynamics
) -> Dynamics:
    """The survey network with organisations as nodes, safe to show to every member.

    An organisation pair is tied only when at least ``min_respondents`` different respondents
    named someone across it (ties from shared groups and the interaction log are not survey
    answers and always count). Whole-network figures come from the person network, but only
    once the wave is closed and ``min_respondents`` people have submitted; before that
    everything from the survey is withheld, so that comparing the pages before and after one
    more answer cannot show that answer. A contact-matrix row of a group with fewer than
    ``min_respondents`` respondents is withheld too. Person-level centrality and brokerage are
    replaced by the organisations'.
    """
    k = wave.min_respondents
    organisations = list(Organisation.objects.filter(programme=programme).order_by("name"))
    org_of = {
        str(pid): f"o{oid}"
        for pid, oid in Person.objects.filter(programme=programme).values_list(
            "pk", "organisation_id"
        )
        if oid is not None
    }
    nodes = {
        f"o{o.pk}": {"organisation": o.name, "domain": o.domain, "level": o.level}
        for o in organisations
    }
    withheld = full.responded < k or not wave.is_closed
    submitted = list(
        Invitation.objects.filter(wave=wave, submitted_at__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    survey: dict[tuple[str, str], int] = {}
    respondents: dict[tuple[str, str], set[str]] = {}
    public: dict[tuple[str, str], int] = {}
    if not withheld:
        for tie in survey_ties(wave):
            pair = _org_pair(org_of, tie)
            if pair:
                survey[pair] = survey.get(pair, 0) + 1
                respondents.setdefault(pair, set()).add(tie.source)
    if source == "combined":
        for tie in group_ties(programme) + interaction_ties(programme):
            pair = _org_pair(org_of, tie)
            if pair:
                public[pair] = public.get(pair, 0) + 1
    shown = {pair for pair in survey if len(respondents[pair]) >= k}
    weights = {pair: public.get(pair, 0) + (survey[pair] if pair in shown else 0)
               for pair in set(survey) | set(public)}  # fmt: skip
    network = Network(nodes, [Tie(a, b, float(w)) for (a, b), w in weights.items() if w])
    roles = brokerage(network, "domain")
    names = {key: attrs["organisation"] for key, attrs in nodes.items()}
    published = Dynamics(
        network=network,
        names=names,
        density=full.density,
        centralisation=full.centralisation,
        centrality=centrality(network),
        ei=full.ei,
        matrices={
            a: withhold_small_groups(m, k, _respondents_per_group(full.network, submitted, a))
            for a, m in full.matrices.items()
        },
        blau=full.blau,
        brokers=top_brokers(roles, names),
        person_scores=full.person_scores,
        organisation_scores=full.organisation_scores,
        invited=full.invited,
        responded=full.responded,
        advice=full.advice,
        change=full.change,
        previous_wave=full.previous_wave,
        aggregated=True,
        withheld=withheld,
        wave_open=not wave.is_closed,
        min_respondents=k,
        hidden_ties=len(set(survey) - shown),
    )
    if withheld:
        published.matrices, published.ei, published.advice = {}, {}, []
        published.person_scores, published.organisation_scores = {}, {}
        published.density = published.centralisation = 0.0
        published.change = None  # new and lost ties move with every answer too
    if full.previous_wave is not None and responded(full.previous_wave)[1] < k:
        published.change = None
    return published


def _respondents_per_group(
    network: Network, submitted: list[int], attribute: str
) -> dict[str, int]:
    """How many of the ``submitted`` people fall in each group (by ``attribute``)."""
    counts: dict[str, int] = dict.fromkeys(network.attribute(attribute).values(), 0)
    for person in submitted:
        group = network.nodes.get(str(person), {}).get(attribute)
        if group is not None:
            counts[group] += 1
    return counts


def _org_pair(org_of: dict[str, str], tie: Tie) -> tuple[str, str] | None:
    a, b = org_of.get(tie.source), org_of.get(tie.target)
    if a is None or b is None or a == b:
        return None
    return (a, b) if a < b else (b, a)


def _evaluate(programme: Programme, source: str, wave: SurveyWave | None) -> Dynamics:
    nodes, seated, names = node_table(programme)
    network = build_network(programme, source, wave)
    memberships: dict[int, list[str]] = {}
    group_names: dict[int, tuple[str, str]] = {}
    for group_id, name, layer, person_id in GroupMembership.objects.filter(
        programme=programme
    ).values_list("group_id", "group__name", "group__layer", "person_id"):
        memberships.setdefault(group_id, []).append(nodes[str(person_id)]["stakeholder_group"])
        group_names[group_id] = (name, layer)
    roles = brokerage(network.undirected(), "stakeholder_group")
    result = Dynamics(
        network=network,
        names=names,
        density=density(network),
        centralisation=degree_centralisation(network),
        centrality=centrality(network),
        ei={a: ei_index(network, a) for a in ATTRIBUTES},
        matrices={
            "stakeholder_group": contact_matrix(
                network, "stakeholder_group", c.StakeholderGroup.values
            ),
            "layer": contact_matrix(network, "layer", [*c.Layer.values, "none"]),
        },
        blau=sorted(
            (group_names[g][0], group_names[g][1], blau_index(members), len(members))
            for g, members in memberships.items()
        ),
        brokers=top_brokers(roles, names),
    )
    if wave is not None:
        ratings = wave_ratings(wave)
        organisations = {n: attrs["organisation"] or "—" for n, attrs in nodes.items()}
        if wave.unit == Unit.ORGANISATION:
            organisations.update(
                (f"o{pk}", name)
                for pk, name in Organisation.objects.filter(programme=programme).values_list(
                    "pk", "name"
                )
            )
        else:
            result.person_scores = scores(ratings, min_respondents=wave.min_respondents)
        result.organisation_scores = scores(
            ratings, min_respondents=wave.min_respondents, group_of=organisations
        )
        result.organisation_scores.pop("—", None)
        result.invited, result.responded = responded(wave)
        result.min_respondents = wave.min_respondents
        previous = (
            SurveyWave.objects.filter(
                programme=programme, opened_on__lt=wave.opened_on, closed_at__isnull=False
            )
            .order_by("-opened_on")
            .first()
        )
        if previous is not None and source in ("survey", "combined"):
            result.previous_wave = previous
            result.change = compare_waves(
                build_network(programme, source, previous),
                network,
                ("stakeholder_group", "layer"),
            )
    result.advice = advise(
        network,
        seated=seated,
        organisation_scores=result.organisation_scores,
        response_rate=result.response_rate if wave is not None and source == "survey" else None,
        thresholds=thresholds(),
    )
    return result
