"""The words for each advice rule, in the user's language, with the figure that triggered it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samenspel.analytics.network.advice import Advice


def describe(advice: Advice, labels: dict[str, str]) -> str:
    p = advice.params
    if advice.code == "no_strategic_contact":
        return _(
            "%(group)s (%(people)d people) have no contact with anyone in the strategic "
            "layer. Invite them to a steering or support group meeting, or pair each with "
            "an executive sponsor."
        ) % {"group": labels.get(p["group"], p["group"]), "people": p["people"]}
    if advice.code == "residents_absent":
        if p["residents"] == 0:
            return _(
                "No residents take part in the programme. Consider a residents' platform "
                "or resident seats in working groups."
            )
        return _(
            "%(n)d residents take part, but none sits in any group. Give residents seats "
            "in working or monitoring groups."
        ) % {"n": p["residents"]}
    if advice.code == "professionals_not_in_steering":
        return _(
            "No professional sits in the steering or support group. Professionals' "
            "participation is a precondition for support and implementation; consider an "
            "advisory seat."
        )
    if advice.code == "brokerage_concentrated":
        return _(
            "%(org)s holds %(share).0f%% of all brokerage between stakeholder groups "
            "(threshold %(limit).0f%%). The partnership depends on one organisation to "
            "connect the groups; build direct ties elsewhere."
        ) % {
            "org": p["organisation"],
            "share": 100 * (advice.figure or 0),
            "limit": 100 * (advice.threshold or 0),
        }
    if advice.code == "low_trust_partner":
        return _(
            "Trust in %(org)s is %(score).1f, %(gap).1f below the other partners' mean of "
            "%(mean).1f. Talk with this partner about what is needed."
        ) % {
            "org": p["organisation"],
            "score": advice.figure or 0,
            "gap": p["others_mean"] - (advice.figure or 0),
            "mean": p["others_mean"],
        }
    if advice.code == "low_response":
        return _(
            "Only %(rate).0f%% of those invited responded (at least %(limit).0f%% is needed "
            "for a reliable map). Remind those who have not answered before drawing "
            "conclusions."
        ) % {"rate": 100 * (advice.figure or 0), "limit": 100 * (advice.threshold or 0)}
    if advice.code == "groups_closed":
        return _(
            "The E-I index by stakeholder group is %(ei).2f (at or below %(limit).2f): "
            "contact stays within groups. Organise meetings across the four groups."
        ) % {"ei": advice.figure or 0, "limit": advice.threshold or 0}
    if advice.code == "no_resident_executive_contact":
        return _(
            "Residents and executives have no contact at all. A dialogue table with "
            "residents, professionals, managers and executives can open this line."
        )
    return advice.code
