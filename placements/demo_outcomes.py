"""Demo outcomes and follow-ups for `seed_demo`, across the last four quarters, after the job starts.

Job starts from the starts demo have their outcomes (placements.receivers; any the starts demo
bulk-created get theirs here). Demo completers with no outcome yet get one, by a random generator
seeded by their enrolment so the demo always shows the same figures, starting two to ten weeks after
their cohort ended: without the starts demo, most a paid job in care (some at a demo provider), some
an apprenticeship, further learning or volunteering; with it, only learning or volunteering (the
jobs are the starts demo's). Where no funding stream
exists yet (the funding demo adds two or three), one is created and the completers are attributed to
it. Follow-ups are then planned for every attributed paid outcome, and those already past are
answered as an employer would: mostly still employed, some left, a few never answered ("unknown").
Idempotent: outcomes are only added for completers without one, follow-ups only where missing, and
only pending answers are filled in. Rows are written directly: no emails, no audit entries.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from academy.models import FundingStream, User
from candidates.models import StreamAttribution
from courses.models import Enrolment
from placements.models import ContractType, FollowUp, JobStart, LeavingReason, Outcome
from placements.services.outcomes import follow_ups_plan_missing, outcome_from_job_start
from providers.models import Provider

Kind = Outcome.Kind
STAFF = "staff@demo.academy"
QUARTERS = 4


def _outcome_for(
    enrolment: Enrolment, providers: list[Provider], staff: User | None, *, unpaid_only: bool
) -> Outcome | None:
    rng = random.Random(f"outcome-{enrolment.pk}")  # noqa: S311 - demo data, not security
    roll = rng.random()
    if unpaid_only:
        # The starts demo placed people in jobs: others may have gone into learning or volunteering.
        roll = 0.68 + roll * 0.32 if roll < 0.3 else 1.0
    if roll > 0.85:
        return None  # still looking for work
    end = enrolment.cohort.end_date
    start = end + dt.timedelta(weeks=rng.randint(2, 10))
    if start > timezone.localdate():
        return None
    kind = (
        Kind.PAID_JOB_CARE
        if roll < 0.6
        else Kind.APPRENTICESHIP
        if roll < 0.68
        else Kind.LEARNING
        if roll < 0.76
        else Kind.VOLUNTEERING
    )
    provider = rng.choice(providers) if providers and kind in Outcome.PAID_KINDS and rng.random() < 0.7 else None
    paid = kind in Outcome.PAID_KINDS
    return Outcome(
        candidate=enrolment.candidate,
        kind=kind,
        provider=provider,
        employer_name="" if provider else rng.choice(["Hillside Home Care", "Oak Lodge", "City College", "Food Bank"]),
        role="Care worker" if paid else ("Level 2 Diploma in Care" if kind == Kind.LEARNING else "Volunteer"),
        start_date=start,
        hours_per_week=Decimal(rng.choice([16, 22.5, 30, 37.5])) if paid else None,
        contract_type=ContractType.APPRENTICESHIP
        if kind == Kind.APPRENTICESHIP
        else (ContractType.PERMANENT if paid else ""),
        evidence=rng.choice(list(Outcome.Evidence.values)),
        levy_status=Outcome.LevyStatus.NON_LEVY if kind == Kind.APPRENTICESHIP else "",
        co_investment_percent=Decimal("5") if kind == Kind.APPRENTICESHIP else None,
        recorded_by=staff,
    )


def _demo_stream(today: dt.date) -> FundingStream:
    return FundingStream.objects.create(
        name="Care Careers Pathway (demo)",
        funder="Demo Combined Authority",
        code="DEMO-CCP",
        start_date=today - dt.timedelta(days=QUARTERS * 92 + 30),
        end_date=today + dt.timedelta(days=180),
        budget=Decimal("150000.00"),
        target_job_starts=60,
        target_sustained_jobs=40,
        follow_up_weeks=[4, 13, 26],
        sustained_after_weeks=26,
    )


def _answer(today: dt.date, staff: User | None, now: dt.datetime) -> int:
    """Fill in past-due pending follow-ups as the employers did, outcome by outcome."""
    answered = 0
    max_attempts = settings.FOLLOW_UP_MAX_ATTEMPTS
    pending = FollowUp.objects.filter(result=FollowUp.Result.PENDING, due_on__lt=today - dt.timedelta(days=3))
    for follow_up in pending.select_related("outcome").order_by("outcome_id", "due_on"):
        rng = random.Random(f"follow-up-{follow_up.outcome_id}-{follow_up.due_on}")  # noqa: S311
        outcome = follow_up.outcome
        roll = rng.random()
        if outcome.left_on is not None and outcome.left_on < follow_up.due_on:
            follow_up.result, follow_up.left_on, follow_up.leaving_reason = (
                "left",
                outcome.left_on,
                outcome.leaving_reason,
            )
        elif roll < 0.08:
            left_on = follow_up.due_on - dt.timedelta(days=rng.randint(3, 20))
            left_on = max(left_on, outcome.start_date)
            reason = rng.choice(list(LeavingReason.values))
            Outcome.objects.filter(pk=outcome.pk, left_on__isnull=True).update(left_on=left_on, leaving_reason=reason)
            outcome.left_on, outcome.leaving_reason = left_on, reason
            follow_up.result, follow_up.left_on, follow_up.leaving_reason = "left", left_on, reason
        elif roll < 0.14:
            follow_up.result, follow_up.attempts = "unknown", max_attempts
            follow_up.last_attempt_on = follow_up.due_on + dt.timedelta(days=7 * (max_attempts - 1))
        else:
            follow_up.result, follow_up.answered_by = "still_employed", staff
            follow_up.attempts, follow_up.last_attempt_on = 1, follow_up.due_on
        if follow_up.result != "unknown":
            follow_up.answered_at = now
        follow_up.save()
        answered += 1
    return answered


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    today = timezone.localdate(now)
    staff = User.objects.filter(email=STAFF).first()
    providers = list(Provider.objects.order_by("name")[:6])
    since = today - dt.timedelta(days=QUARTERS * 92)
    completers = (
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, cohort__end_date__gte=since)
        .exclude(candidate__outcomes__isnull=False)
        .select_related("cohort", "candidate")
        .order_by("pk")
    )
    # Job starts from the starts demo have their outcome (the receiver; bulk-created ones get it here).
    from_starts = [outcome_from_job_start(start) for start in JobStart.objects.filter(outcome__isnull=True)]
    unpaid_only = JobStart.objects.exists()
    new = [o for o in (_outcome_for(e, providers, staff, unpaid_only=unpaid_only) for e in completers) if o]
    # A person completing two cohorts gets one outcome.
    unique: dict[int, Outcome] = {}
    for outcome in new:
        unique.setdefault(outcome.candidate_id, outcome)
    Outcome.objects.bulk_create(list(unique.values()))
    if not FundingStream.objects.exists():
        stream = _demo_stream(today)
        people = Outcome.objects.values_list("candidate_id", flat=True).distinct()
        StreamAttribution.objects.bulk_create(
            [StreamAttribution(candidate_id=pk, stream=stream, attributed_on=stream.start_date) for pk in people],
            ignore_conflicts=True,
        )
    planned = follow_ups_plan_missing()
    answered = _answer(today, staff, now)
    return (
        f"{len(unique) + len(from_starts)} outcomes ({len(from_starts)} from job starts), "
        f"{planned} follow-ups planned, {answered} answered"
    )
