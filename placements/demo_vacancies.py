"""Demo vacancies: each kind from the demo providers (Leeds and Plymouth), in every status the journey shows.

Idempotent: a vacancy is found by provider and title and left alone once made. Dates are relative to
`now`, so the published ones stay open and the closed ones closed. Written directly with their
status history (a service refuses a closing date in the past, which the closed demo rows need).
Run after academy's demo, which loads the demo postcode centroids (academy/data/postcodes_demo.csv).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from academy.models import User
from academy.postcodes import postcode_format, postcode_locate
from courses.models import Cohort
from placements.models import ContractType, JobRole, PayPeriod, Vacancy, VacancyKind, VacancyStatusChange
from providers.models import Provider

Status = Vacancy.Status
RIVERSIDE, OAKWOOD = "Riverside Home Care", "Oakwood Nursing Home"
RING_FENCE_COHORT = "Leeds cohort 7"

# (provider, title, status, closing in days, details); details override the defaults below.
SPECS: list[tuple[str, str, str, int, dict[str, Any]]] = [
    (
        RIVERSIDE,
        "Home care worker, days",
        Status.PUBLISHED,
        21,
        {"hours_per_week": Decimal("30"), "pay_amount": Decimal("12.60"), "places": 3, "guaranteed_interview": True},
    ),
    (
        RIVERSIDE,
        "Home care worker, weekends",
        Status.PUBLISHED,
        14,
        {
            "hours_per_week": Decimal("16"),
            "contract_type": ContractType.BANK,
            "postcode": "LS14 2EN",
            "place": "Seacroft, Leeds",
        },
    ),
    (
        RIVERSIDE,
        "Work placement: shadowing a home care round",
        Status.PUBLISHED,
        10,
        {
            "kind": VacancyKind.WORK_PLACEMENT,
            "hours_per_week": Decimal("16"),
            "contract_type": ContractType.PLACEMENT,
            "pay_period": PayPeriod.UNPAID,
            "pay_amount": None,
            "places": 4,
            "ring_fence": True,
        },
    ),
    (
        RIVERSIDE,
        "Senior care worker",
        Status.SUBMITTED,
        28,
        {"job_role": JobRole.SENIOR_CARE_WORKER, "hours_per_week": Decimal("37.5"), "pay_amount": Decimal("13.40")},
    ),
    (
        RIVERSIDE,
        "Care apprenticeship (Level 2 Adult Care Worker)",
        Status.DRAFT,
        35,
        {
            "kind": VacancyKind.APPRENTICESHIP,
            "contract_type": ContractType.APPRENTICESHIP,
            "hours_per_week": Decimal("30"),
            "pay_amount": Decimal("7.55"),
        },
    ),
    (
        RIVERSIDE,
        "Companion volunteer",
        Status.REJECTED,
        30,
        {
            "kind": VacancyKind.VOLUNTEERING,
            "job_role": JobRole.COMMUNITY_SUPPORT,
            "contract_type": ContractType.VOLUNTARY,
            "pay_period": PayPeriod.UNPAID,
            "pay_amount": None,
            "hours_per_week": Decimal("4"),
            "reason": "Please say which days and times volunteers are needed, and that travel expenses are paid.",
        },
    ),
    (
        RIVERSIDE,
        "Home care worker, nights",
        Status.CLOSED,
        -5,
        {"hours_per_week": Decimal("36"), "pay_amount": Decimal("13.10"), "reason": "The closing date passed."},
    ),
    (
        RIVERSIDE,
        "Home care worker, Beeston round",
        Status.FILLED,
        7,
        {"postcode": "LS11 5DT", "place": "Beeston, Leeds", "places": 1, "reason": "Every place was offered."},
    ),
    (
        OAKWOOD,
        "Nursing assistant, days",
        Status.PUBLISHED,
        18,
        {"job_role": JobRole.NURSING_ASSISTANT, "hours_per_week": Decimal("37.5"), "pay_amount": Decimal("12.85")},
    ),
    (
        OAKWOOD,
        "Activities co-ordinator",
        Status.PUBLISHED,
        25,
        {
            "job_role": JobRole.ACTIVITIES_WORKER,
            "hours_per_week": Decimal("20"),
            "pay_amount": Decimal("12.40"),
            "postcode": "PL5 1HE",
            "place": "St Budeaux, Plymouth",
        },
    ),
    (
        OAKWOOD,
        "Befriending volunteer",
        Status.PUBLISHED,
        40,
        {
            "kind": VacancyKind.VOLUNTEERING,
            "job_role": JobRole.COMMUNITY_SUPPORT,
            "contract_type": ContractType.VOLUNTARY,
            "pay_period": PayPeriod.UNPAID,
            "pay_amount": None,
            "hours_per_week": Decimal("3"),
            "postcode": "PL2 3JD",
            "place": "Devonport, Plymouth",
        },
    ),
    (
        OAKWOOD,
        "Kitchen assistant",
        Status.SUBMITTED,
        20,
        {"job_role": JobRole.ANCILLARY, "hours_per_week": Decimal("24"), "pay_amount": Decimal("12.21")},
    ),
]

DEFAULTS: dict[str, dict[str, Any]] = {
    RIVERSIDE: {"postcode": "LS9 8AB", "place": "Harehills, Leeds"},
    OAKWOOD: {"postcode": "PL4 6QT", "place": "Mount Gould, Plymouth"},
}
DESCRIPTIONS = {
    VacancyKind.JOB: (
        "You will support people in their own homes or in our home with washing, dressing, meals and "
        "medication, and above all with company and respect. Full training, paid shadow shifts and the "
        "Care Certificate are included. No experience needed: we look for kindness and reliability."
    ),
    VacancyKind.WORK_PLACEMENT: (
        "Four days alongside an experienced care worker on a real round, to see what the job is like. "
        "Lunch and travel are paid by the academy. A good placement often leads to an interview."
    ),
    VacancyKind.APPRENTICESHIP: (
        "Earn while you learn the Level 2 Adult Care Worker apprenticeship over 12 to 18 months, "
        "with a day of study a week and a mentor on the team."
    ),
    VacancyKind.VOLUNTEERING: (
        "Spend a few hours a week with an older person who would welcome a chat, a walk or a game of cards. "
        "Travel expenses are paid and training is given."
    ),
}


def _history(vacancy: Vacancy, status: str, at: dt.datetime, actor: User | None, reason: str) -> None:
    """The steps that led to `status`, as the services would have written them."""
    steps: list[str] = [Status.DRAFT]
    if status != Status.DRAFT:
        steps.append(Status.SUBMITTED)
    if status == Status.REJECTED:
        steps.append(Status.REJECTED)
    if status in (Status.PUBLISHED, Status.CLOSED, Status.FILLED):
        steps.append(Status.PUBLISHED)
    if status in (Status.CLOSED, Status.FILLED):
        steps.append(status)
    previous = ""
    for number, step in enumerate(steps):
        VacancyStatusChange.objects.create(
            vacancy=vacancy,
            from_status=previous,
            to_status=step,
            reason=reason if step in (Status.REJECTED, Status.CLOSED, Status.FILLED) else "",
            changed_by=actor if step in (Status.PUBLISHED, Status.REJECTED) else vacancy.created_by,
            changed_at=at + dt.timedelta(days=number),
        )
        previous = step


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    today = timezone.localdate(now)
    staff = User.objects.filter(email="staff@demo.academy").first()
    cohort = Cohort.objects.filter(name=RING_FENCE_COHORT).first()
    for provider_name, title, status, closes_in, details in SPECS:
        provider = Provider.objects.filter(name=provider_name).first()
        if provider is None or Vacancy.objects.filter(provider=provider, title=title).exists():
            continue
        fields: dict[str, Any] = {
            "kind": VacancyKind.JOB,
            "job_role": JobRole.CARE_WORKER,
            "contract_type": ContractType.PERMANENT,
            "pay_period": PayPeriod.HOUR,
            "pay_amount": Decimal("12.21"),
            "places": 1,
            "hours_per_week": Decimal("30"),
            **DEFAULTS[provider_name],
            **details,
        }
        reason = fields.pop("reason", "")
        ring_fence = fields.pop("ring_fence", False)
        fields["postcode"] = postcode_format(fields["postcode"])
        location = postcode_locate(fields["postcode"])
        closing = today + dt.timedelta(days=closes_in)
        created_at = now - dt.timedelta(days=20 if closes_in > 0 else 40)
        author = provider.memberships.select_related("user").first()
        vacancy = Vacancy.objects.create(
            provider=provider,
            title=title,
            description=DESCRIPTIONS[fields["kind"]],
            closing_date=closing,
            start_date=closing + dt.timedelta(days=21) if fields["kind"] == VacancyKind.JOB else None,
            status=status,
            status_reason=reason,
            easting=location.easting if location else None,
            northing=location.northing if location else None,
            ring_fenced_cohort=cohort if ring_fence else None,
            places_filled=fields["places"] if status == Status.FILLED else 0,
            published_at=created_at + dt.timedelta(days=2)
            if status in (Status.PUBLISHED, Status.CLOSED, Status.FILLED)
            else None,
            created_by=author.user if author else None,
            created_at=created_at,
            **fields,
        )
        _history(vacancy, status, created_at, staff, reason)
    published = Vacancy.objects.filter(status=Status.PUBLISHED).count()
    return f"{Vacancy.objects.count()} vacancies ({published} on the job board)"
