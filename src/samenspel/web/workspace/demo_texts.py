# ruff: noqa: E501
"""The demo programmes' texts (visions, governance, objectives, group descriptions), written in
English and translated in the message catalogue, so the demo reads in the reader's language.

``tests/test_demo_language.py`` checks that every such text in ``demo_data`` is listed here.
"""

from django.utils.translation import gettext_noop

# Fields of the demo data whose texts are translated on display (proper names are not).
TRANSLATED_FIELDS = {
    "programme": ("vision", "governance_style"),
    "objectives": ("title", "description"),
    "groups": ("description",),
    "projects": ("description",),
    "initiatives": ("description",),
    "care-tasks": ("name", "target_population", "unit"),
    "agreements": ("description", "scenario"),
    "interventions": ("name", "description"),
}

DEMO_TEXTS = (
    gettext_noop("baseline"),
    gettext_noop("Together we keep residents healthy and independent for longer."),
    gettext_noop(
        "Executives of the partner organisations steer the programme from a shared vision (stuurgroep). Ambassadorship of executives, communication about the consequences for those involved and building support are the key preconditions."
    ),
    gettext_noop("More healthy years for older residents"),
    gettext_noop("Care closer to home, experienced as one team"),
    gettext_noop("Slow the growth of care cost per inhabitant"),
    gettext_noop("Executives steer the programme from a shared vision."),
    gettext_noop("Care organised differently: closer, together, affordable."),
    gettext_noop("Fewer residents with unmanaged chronic conditions"),
    gettext_noop("A healthy life in a healthy region."),
    gettext_noop("Prevention: fewer inhabitants with overweight and diabetes"),
    gettext_noop("Regional care woven together by GPs and medical specialists."),
    gettext_noop(
        "Programme steering from the executives of the GP care group and the hospital, who mainly look after the preconditions for regional cooperation. Professionals have a clear advisory role in the tactical and operational layers."
    ),
    gettext_noop("The right care in the right place"),
    gettext_noop("Substitution from hospital to primary care"),
    gettext_noop("The two hub organisations steer; the insurer joins."),
    gettext_noop("GPs and medical specialists advise on which projects are worthy of Samendraads."),
    gettext_noop(
        "Change in the district, shaped together with professionals, managers and above all residents."
    ),
    gettext_noop(
        "The executives call themselves a support group (steungroep), not a steering group: they create the preconditions and give residents, professionals and managers the room to change. Communication with and between the four groups is essential."
    ),
    gettext_noop("Residents of Ruwaard feel healthier and more self-reliant"),
    gettext_noop("One neighbourhood team instead of many counters"),
    gettext_noop("Fewer avoidable hospital and specialist contacts"),
    gettext_noop("Nine executives who support rather than steer."),
    gettext_noop("Executives, managers, professionals and residents meet each quarter."),
)
