"""The job applications part of the demo: applications and referrals from course completers to published
vacancies, across statuses, with their history (no emails are queued for demo data).

Idempotent: a (vacancy, person) pair that already has an application is left alone. Uses the vacancies
placements/demo_vacancies.py publishes; without them it publishes two of its own, keyed by title. Also
records the guaranteed interviews owed to completers (interviews_due_backfill), since the courses demo
writes its outcomes directly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from academy import demo
from academy.models import User
from candidates.models import Candidate
from courses.models import Enrolment
from placements.models import JobApplication, JobApplicationStatusChange, Vacancy
from placements.models.choices import ContractType, JobRole
from placements.services.job_applications import interviews_due_backfill
from providers.models import Provider, ProviderMembership

Status = JobApplication.Status
DEMO_STAFF_EMAIL = "staff@demo.academy"
DEMO_DOMAIN = "@demo.academy"
Reason = JobApplication.NotProgressedReason

FALLBACK_VACANCIES = [
    {
        "title": "Home care worker (days)",
        "job_role": JobRole.CARE_WORKER,
        "hours_per_week": Decimal("25"),
        "contract_type": ContractType.PERMANENT,
        "pay_amount": Decimal("12.60"),
        "place": "Leeds",
        "postcode": "LS9 8AB",
        "description": "Visit people in their own homes in east Leeds: personal care, meals and company.",
    },
    {
        "title": "Healthcare assistant",
        "job_role": JobRole.NURSING_ASSISTANT,
        "hours_per_week": Decimal("37.5"),
        "contract_type": ContractType.PERMANENT,
        "pay_amount": Decimal("12.85"),
        "place": "Plymouth",
        "postcode": "PL4 6QT",
        "description": "Support our nurses with residents' care on day shifts, with full training.",
    },
]

# (route, path of statuses after the first, not-progressed reason) for the demo people in turn.
JOURNEYS: list[tuple[str, list[str], str]] = [
    (JobApplication.Route.REFERRED, [Status.AWAITING_CONSENT], ""),
    (JobApplication.Route.APPLIED, [Status.APPLIED], ""),
    (JobApplication.Route.APPLIED, [Status.APPLIED, Status.SHORTLISTED], ""),
    (JobApplication.Route.REFERRED, [Status.AWAITING_CONSENT, Status.REFERRED], ""),
    (JobApplication.Route.APPLIED, [Status.APPLIED, Status.NOT_PROGRESSED], Reason.NOT_SHORTLISTED),
    (JobApplication.Route.APPLIED, [Status.APPLIED, Status.WITHDRAWN], ""),
    (JobApplication.Route.REFERRED, [Status.AWAITING_CONSENT, Status.REFERRED, Status.SHORTLISTED], ""),
]


def _vacancies(today: dt.date, staff: User | None) -> list[Vacancy]:
    published = list(
        Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED, closing_date__gte=today, ring_fenced_cohort=None)
        .select_related("provider")
        .order_by("closing_date", "pk")[:4]
    )
    if published:
        return published
    providers = {p.name: p for p in Provider.objects.filter(name__in=[s["name"] for s in demo.DEMO_PROVIDERS])}
    made = []
    for spec, provider_spec in zip(FALLBACK_VACANCIES, demo.DEMO_PROVIDERS, strict=False):
        provider = providers.get(str(provider_spec["name"]))
        if provider is None:
            continue
        vacancy, _ = Vacancy.objects.get_or_create(
            provider=provider,
            title=spec["title"],
            defaults={
                **spec,
                "status": Vacancy.Status.PUBLISHED,
                "published_at": timezone.now(),
                "closing_date": today + dt.timedelta(days=28),
                "start_date": today + dt.timedelta(days=42),
                "created_by": staff,
            },
        )
        made.append(vacancy)
    return made


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    today = timezone.localdate(now)
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    provider_users: dict[int, User] = {}
    for membership in ProviderMembership.objects.select_related("user").order_by("-pk"):
        provider_users[membership.provider_id] = membership.user
    vacancies = _vacancies(today, staff)
    if not vacancies:
        return ""
    completers = Candidate.objects.current().filter(enrolments__status=Enrolment.Status.COMPLETED).distinct()
    # Demo learners who can sign in come first (by email), so signing in as
    # one shows a referral to answer.
    signed_in = list(completers.filter(user__email__endswith=DEMO_DOMAIN).order_by("user__email")[: len(JOURNEYS)])
    others = list(completers.exclude(user__email__endswith=DEMO_DOMAIN).order_by("last_name", "pk")[: len(JOURNEYS)])
    completers_list = [*signed_in, *others][: len(JOURNEYS)]
    created = 0
    for index, (candidate, (route, path, reason)) in enumerate(zip(completers_list, JOURNEYS, strict=False)):
        vacancy = vacancies[index % len(vacancies)]
        if JobApplication.objects.filter(vacancy=vacancy, candidate=candidate).exists():
            continue
        _create(
            vacancy=vacancy,
            candidate=candidate,
            route=route,
            path=path,
            reason=reason,
            staff=staff,
            provider_user=provider_users.get(vacancy.provider_id),
            start=now - dt.timedelta(days=12 - index),
        )
        created += 1
    owed = interviews_due_backfill()
    return f"{created} job applications, {owed} guaranteed interviews due"


def _create(
    *,
    vacancy: Vacancy,
    candidate: Candidate,
    route: str,
    path: list[str],
    reason: str,
    staff: User | None,
    provider_user: User | None,
    start: dt.datetime,
) -> None:
    referred = route == JobApplication.Route.REFERRED
    agreed = Status.AWAITING_CONSENT not in path[-1:]
    application = JobApplication.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        route=route,
        status=path[-1],
        referred_by=staff if referred else None,
        referral_note=(
            "You finished the course strongly and said you want steady daytime hours close to home." if referred else ""
        ),
        consented_at=(start + dt.timedelta(days=1 if referred else 0)) if agreed else None,
        folder_release_consented=agreed,
        supporting_statement="" if referred else "I cared for my grandmother for two years and want to make it my job.",
        not_progressed_reason=reason,
    )
    JobApplication.objects.filter(pk=application.pk).update(created_at=start)
    previous = ""
    for step, status in enumerate(path):
        by = staff if status == Status.AWAITING_CONSENT else candidate.user
        if status in (Status.SHORTLISTED, Status.NOT_PROGRESSED):
            by = provider_user
        JobApplicationStatusChange.objects.create(
            application=application,
            from_status=previous,
            to_status=status,
            reason=Reason(reason).label if status == Status.NOT_PROGRESSED else "",
            changed_by=by,
            changed_at=start + dt.timedelta(days=step * 2),
        )
        previous = status
