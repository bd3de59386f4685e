"""Choice lists shared by the placements tables."""

from __future__ import annotations

from django.db import models


class VacancyKind(models.TextChoices):
    JOB = "job", "Job"
    WORK_PLACEMENT = "work_placement", "Work placement"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    VOLUNTEERING = "volunteering", "Volunteering"


class JobRole(models.TextChoices):
    """Direct-care and related roles as the adult social care workforce data set names them."""

    CARE_WORKER = "care_worker", "Care worker"
    SENIOR_CARE_WORKER = "senior_care_worker", "Senior care worker"
    SUPPORT_WORKER = "support_worker", "Support worker"
    ACTIVITIES_WORKER = "activities_worker", "Activities worker or co-ordinator"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"
    NURSING_ASSISTANT = "nursing_assistant", "Nursing assistant"
    CARE_COORDINATOR = "care_coordinator", "Care co-ordinator"
    CARE_NAVIGATOR = "care_navigator", "Care navigator"
    COMMUNITY_SUPPORT = "community_support", "Community, support and outreach work"
    TEAM_LEADER = "team_leader", "Team leader or supervisor"
    ANCILLARY = "ancillary", "Ancillary staff (not care-providing)"
    ADMINISTRATIVE = "administrative", "Administrative or office staff"
    OTHER = "other", "Other job role"


class ContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term"
    BANK = "bank", "Bank or pool"
    AGENCY = "agency", "Agency"
    ZERO_HOURS = "zero_hours", "Zero hours"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    VOLUNTARY = "voluntary", "Voluntary (unpaid)"
    PLACEMENT = "placement", "Work placement (unpaid)"


class PayPeriod(models.TextChoices):
    HOUR = "hour", "per hour"
    YEAR = "year", "per year"
    UNPAID = "unpaid", "unpaid"


# A sane weekly maximum for hours on a vacancy, a placement or a job start (Working Time Regulations allow
# opting out of 48; nobody works more than this).
MAX_WEEKLY_HOURS = 60
