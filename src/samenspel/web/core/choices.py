"""Controlled vocabularies of the partnership registry (codes in English, labels translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TripleAim(models.TextChoices):
    POPULATION_HEALTH = "population_health", _("Population health")
    EXPERIENCE = "experience_of_care", _("Quality and experience of care")
    COST = "cost_per_capita", _("Cost per capita")
    STAFF = "staff_wellbeing", _("Professionals' work satisfaction")


class OrganisationKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    GP_CARE_GROUP = "gp_care_group", _("GP care group")
    GP_PRACTICE = "gp_practice", _("GP practice")
    PHARMACY = "pharmacy", _("Pharmacy")
    MUNICIPALITY = "municipality", _("Municipality")
    HEALTH_INSURER = "health_insurer", _("Health insurer")
    ZORGKANTOOR = "zorgkantoor", _("Long-term-care office (zorgkantoor)")
    HOUSING = "housing_corporation", _("Housing corporation")
    WELFARE = "welfare", _("Welfare organisation")
    MENTAL_HEALTH = "mental_health", _("Mental health care")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    PATIENT_ORGANISATION = "patient_organisation", _("Patient organisation")
    PROVINCE = "province", _("Province")
    OTHER = "other", _("Other")


class Domain(models.TextChoices):
    CARE = "care", _("Care")
    SOCIAL = "social", _("Social")
    HOUSING = "housing", _("Housing")
    FINANCE = "finance", _("Finance")
    GOVERNMENT = "government", _("Government")


class Echelon(models.TextChoices):
    ZERO = "zero", _("Zero line (community, prevention)")
    FIRST = "first", _("First line (primary care)")
    SECOND = "second", _("Second line (hospital, specialist care)")
    THIRD = "third", _("Third line (academic, top clinical)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    PRACTICE = "practice", _("Practice")


class PartnershipRole(models.TextChoices):
    CORE = "core_partner", _("Core partner")
    PARTNER = "partner", _("Partner")
    SUPPORTING = "supporting", _("Supporting")


class StakeholderGroup(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    MANAGER = "manager", _("Manager")
    PROFESSIONAL = "professional", _("Professional")
    PATIENT_REPRESENTATIVE = "patient_representative", _("Patient representative")
    RESIDENT = "resident", _("Resident")


class Profession(models.TextChoices):
    GP = "gp", _("General practitioner")
    PHARMACIST = "pharmacist", _("Pharmacist")
    SPECIALIST = "medical_specialist", _("Medical specialist")
    NURSE = "nurse", _("Nurse")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    PURCHASER = "purchaser", _("Purchaser")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    OTHER = "other", _("Other")


class GroupKind(models.TextChoices):
    STEERING = "steering_group", _("Steering group")
    SUPPORT = "support_group", _("Support group")
    WORKING = "working_group", _("Working group")
    PROJECT = "project_group", _("Project group")
    MONITORING = "monitoring_group", _("Monitoring group")
    ADVISORY = "advisory_board", _("Advisory board")
    OTHER = "other", _("Other")


class Layer(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    TACTICAL = "tactical", _("Tactical")
    OPERATIONAL = "operational", _("Operational")


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    ADVISOR = "advisor", _("Advisor")
    SECRETARY = "secretary", _("Secretary")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class InitiativeStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PILOT = "pilot", _("Pilot")
    SCALING = "scaling", _("Scaling")
    EMBEDDED = "embedded", _("Embedded")


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CONVERSATION = "conversation", _("Conversation")
    WORKSHOP = "workshop", _("Workshop")
    FIELD_VISIT = "field_visit", _("Field visit")
    OTHER = "other", _("Other")


STAGE_ORDER: tuple[str, ...] = tuple(InitiativeStage.values)
