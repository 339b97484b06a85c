"""Translated names of the contract's codes (literal strings, so they reach the translators)."""

from django.utils.translation import gettext_lazy as _

CONDITION_LABELS = {
    "diabetes": _("Diabetes mellitus"),
    "copd": _("COPD"),
    "asthma": _("Asthma"),
    "heart_failure": _("Heart failure"),
    "coronary_heart_disease": _("Coronary heart disease"),
    "hypertension": _("Hypertension"),
    "stroke": _("Stroke"),
    "dementia": _("Dementia"),
    "depression": _("Depression"),
    "cancer": _("Cancer"),
    "chronic_kidney_disease": _("Chronic kidney disease"),
    "osteoarthritis": _("Osteoarthritis"),
}
KIND_LABELS = {
    "gp_visit": _("GP visit"),
    "outpatient_visit": _("Outpatient visit"),
    "hospital_admission": _("Hospital admission"),
    "ed_visit": _("Emergency department visit"),
    "medication": _("Medication dispensing"),
    "home_care": _("Home nursing visit"),
    "mental_health": _("Mental health care contact"),
    "wmo_provision": _("Wmo provision"),
    "wlz_stay": _("Wlz stay (year)"),
    "youth_care": _("Youth care"),
    "prevention": _("Public health (prevention) contact"),
}
SEGMENT_LABELS = {
    "healthy": _("Healthy"),
    "chronic_stable": _("Chronic, stable"),
    "complex_chronic": _("Complex chronic"),
    "frail_elderly": _("Frail elderly"),
    "end_of_life": _("End of life"),
}
