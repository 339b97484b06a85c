"""The input contract: three tables of pseudonymised, person-level data.

``persons``      person_id (text), birth_year (integer), sex (F, M or X), municipality (CBS code,
                 e.g. GM0828), neighbourhood (optional text), death_date (optional date),
                 observed_from / observed_to (optional dates: the period the data cover the
                 person, as OMOP's observation period; a person counts only in years observed)
``conditions``   person_id, condition (see CONDITIONS), start_date (date)
``care_events``  person_id, date, kind (see EVENT_KINDS), provider_id (text),
                 stream (see STREAMS), cost (euros, >= 0; empty when not known)

Each table is a CSV file (UTF-8, header row, dates as YYYY-MM-DD) or a Parquet file named after
the table (``persons.csv`` or ``persons.parquet``) in one folder.
"""

from __future__ import annotations

from dataclasses import dataclass

CONDITIONS: dict[str, str] = {
    "diabetes": "Diabetes mellitus",
    "copd": "COPD",
    "asthma": "Asthma",
    "heart_failure": "Heart failure",
    "coronary_heart_disease": "Coronary heart disease",
    "hypertension": "Hypertension",
    "stroke": "Stroke",
    "dementia": "Dementia",
    "depression": "Depression",
    "cancer": "Cancer",
    "chronic_kidney_disease": "Chronic kidney disease",
    "osteoarthritis": "Osteoarthritis",
}

EVENT_KINDS: dict[str, str] = {
    "gp_visit": "GP visit",
    "outpatient_visit": "Outpatient visit",
    "hospital_admission": "Hospital admission",
    "ed_visit": "Emergency department visit",
    "medication": "Medication dispensing",
    "home_care": "Home nursing visit",
    "mental_health": "Mental health care contact",
    "wmo_provision": "Wmo provision",
    "wlz_stay": "Wlz stay (year)",
    "youth_care": "Youth care",
    "prevention": "Public health (prevention) contact",
}

STREAMS = ("Zvw", "Wlz", "Wmo", "Jeugdwet", "Wpg", "other")
SEXES = ("F", "M", "X")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "int", "date", "float"
    required: bool = True


TABLES: dict[str, tuple[Column, ...]] = {
    "persons": (
        Column("person_id", "text"),
        Column("birth_year", "int"),
        Column("sex", "text"),
        Column("municipality", "text"),
        Column("neighbourhood", "text", required=False),
        Column("death_date", "date", required=False),
        Column("observed_from", "date", required=False),
        Column("observed_to", "date", required=False),
    ),
    "conditions": (
        Column("person_id", "text"),
        Column("condition", "text"),
        Column("start_date", "date"),
    ),
    "care_events": (
        Column("person_id", "text"),
        Column("date", "date"),
        Column("kind", "text"),
        Column("provider_id", "text"),
        Column("stream", "text"),
        Column("cost", "float"),
    ),
}
