"""Recording what a learner went on to (an outcome), its leaving, and the follow-ups each funding stream asks for.

Follow-ups: when a paid outcome starts, each funding stream the learner counts for (StreamAttribution)
that has follow-up points gets one FollowUp per point. Several streams may ask on the same day: the
reminders are distinct per outcome and day (see follow_ups.py), and one answer closes every stream's
follow-up of that day. Whether a job was sustained is never typed in: each stream's figure derives it
from the answers and its own rule (placements.selectors.outcomes).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, Milestone, StreamAttribution
from candidates.services.pipeline import candidate_advance_to_milestone
from placements.models import MAX_WEEKLY_HOURS, ContractType, FollowUp, JobStart, Outcome
from providers.models import Provider

Result = FollowUp.Result
Kind = Outcome.Kind
OPEN_RESULTS = (Result.PENDING, Result.UNKNOWN)


def _registered_on(candidate: Candidate) -> date:
    return timezone.localdate(candidate.created_at)


def outcome_check(
    *,
    candidate: Candidate,
    kind: str,
    provider: Provider | None,
    employer_name: str,
    start_date: date,
    hours_per_week: Decimal | None,
    levy_status: str,
    co_investment_percent: Decimal | None,
    today: date,
) -> None:
    """Raise ValidationError (by field) for an outcome that cannot be true."""
    errors: dict[str, list[str]] = {}
    registered = _registered_on(candidate)
    if start_date < registered:
        errors.setdefault("start_date", []).append(
            f"The start date must be on or after {registered:%-d %B %Y}, when {candidate.full_name} registered."
        )
    if start_date > today + timedelta(days=366):
        errors.setdefault("start_date", []).append("The start date must be within a year from today.")
    if hours_per_week is not None and hours_per_week < 0:
        errors.setdefault("hours_per_week", []).append("Hours per week cannot be negative.")
    if hours_per_week is not None and hours_per_week > MAX_WEEKLY_HOURS:
        errors.setdefault("hours_per_week", []).append(f"Hours per week must be {MAX_WEEKLY_HOURS} or fewer.")
    if kind in Outcome.PAID_KINDS and provider is None and not employer_name.strip():
        errors.setdefault("employer_name", []).append("Choose the provider or enter the employer's name.")
    if kind in Outcome.PAID_KINDS and hours_per_week is None:
        errors.setdefault("hours_per_week", []).append("Enter the hours per week of this job.")
    if kind == Kind.APPRENTICESHIP:
        if not levy_status:
            errors.setdefault("levy_status", []).append("Say whether the employer pays the apprenticeship levy.")
        if levy_status == Outcome.LevyStatus.NON_LEVY and co_investment_percent is None:
            errors.setdefault("co_investment_percent", []).append(
                "Enter the employer's co-investment share, as a percentage (for example 5)."
            )
    elif levy_status or co_investment_percent is not None:
        errors.setdefault("levy_status", []).append("The levy status and co-investment are for apprenticeships only.")
    if co_investment_percent is not None and not Decimal("0") <= co_investment_percent <= Decimal("100"):
        errors.setdefault("co_investment_percent", []).append("The co-investment share must be from 0 to 100 per cent.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def outcome_record(
    *,
    candidate: Candidate,
    actor: User,
    kind: str,
    start_date: date,
    evidence: str,
    provider: Provider | None = None,
    employer_name: str = "",
    role: str = "",
    hours_per_week: Decimal | None = None,
    contract_type: str = "",
    levy_status: str = "",
    co_investment_percent: Decimal | None = None,
) -> Outcome:
    """Record an outcome staff learned of; plans the follow-ups of the streams the learner counts for.

    A paid outcome moves the learner forward to "in work" (where a stage carries it).
    """
    if candidate.anonymised_at is not None or candidate.merged_into_id is not None:
        raise ValidationError(
            "This record was merged or anonymised: record the outcome on the person's current record."
        )
    outcome_check(
        candidate=candidate,
        kind=kind,
        provider=provider,
        employer_name=employer_name,
        start_date=start_date,
        hours_per_week=hours_per_week,
        levy_status=levy_status,
        co_investment_percent=co_investment_percent,
        today=timezone.localdate(),
    )
    outcome = Outcome.objects.create(
        candidate=candidate,
        kind=kind,
        provider=provider,
        employer_name="" if provider is not None else employer_name.strip(),
        role=role.strip(),
        start_date=start_date,
        hours_per_week=hours_per_week,
        contract_type=contract_type,
        evidence=evidence,
        levy_status=levy_status,
        co_investment_percent=co_investment_percent,
        recorded_by=actor,
    )
    audit_log(actor=actor, action="outcome.record", obj=outcome, data={"kind": kind, "start_date": str(start_date)})
    follow_ups_plan(outcome=outcome)
    if outcome.is_paid:
        candidate_advance_to_milestone(candidate=candidate, milestone=Milestone.IN_WORK, actor=actor)
    return outcome


EDITABLE = (
    "provider",
    "employer_name",
    "role",
    "hours_per_week",
    "contract_type",
    "evidence",
    "levy_status",
    "co_investment_percent",
)


@transaction.atomic
def outcome_update(*, outcome: Outcome, actor: User, **changes: Any) -> Outcome:
    """Correct an outcome's employer, role, hours, contract, evidence or apprenticeship terms.

    The kind, person and start date stay: the follow-ups were planned from them (record a new outcome
    instead). Only the fields in EDITABLE may be given; the audit entry names those that changed.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    values = {field: getattr(outcome, field) for field in EDITABLE} | changes
    if values["provider"] is not None:
        values["employer_name"] = ""
    values["employer_name"] = values["employer_name"].strip()
    values["role"] = values["role"].strip()
    outcome_check(
        candidate=outcome.candidate,
        kind=outcome.kind,
        provider=values["provider"],
        employer_name=values["employer_name"],
        start_date=outcome.start_date,
        hours_per_week=values["hours_per_week"],
        levy_status=values["levy_status"],
        co_investment_percent=values["co_investment_percent"],
        today=max(timezone.localdate(), outcome.start_date),
    )
    changed = [field for field in EDITABLE if getattr(outcome, field) != values[field]]
    if not changed:
        return outcome
    for field in changed:
        setattr(outcome, field, values[field])
    outcome.save(update_fields=[*changed, "updated_at"])
    audit_log(actor=actor, action="outcome.update", obj=outcome, data={"changed": changed})
    return outcome


def _kind_of_start(job_start: JobStart) -> str:
    if job_start.contract_type == ContractType.APPRENTICESHIP:
        return Kind.APPRENTICESHIP
    if job_start.contract_type == ContractType.VOLUNTARY:
        return Kind.VOLUNTEERING
    if job_start.contract_type == ContractType.PLACEMENT:
        return Kind.WORK_EXPERIENCE
    return Kind.PAID_JOB_CARE


def outcome_from_job_start(job_start: JobStart) -> Outcome:
    """The outcome of a confirmed job start, created once (the OneToOne decides); plans its follow-ups.

    Idempotent: called by the starts service and by the post_save receiver, a start has one outcome.
    An apprenticeship's levy status is not known from the start: staff add it on the outcome.
    """
    existing = Outcome.objects.filter(job_start=job_start).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            outcome = Outcome.objects.create(
                candidate_id=job_start.candidate_id,
                kind=_kind_of_start(job_start),
                provider_id=job_start.provider_id,
                employer_name="" if job_start.provider_id else job_start.employer_name,
                role=job_start.get_job_role_display(),
                start_date=job_start.start_date,
                hours_per_week=job_start.hours_per_week,
                contract_type=job_start.contract_type,
                evidence=Outcome.Evidence.PROVIDER_CONFIRMATION,
                job_start=job_start,
                recorded_by_id=job_start.confirmed_by_id,
            )
            audit_log(
                actor=job_start.confirmed_by,
                action="outcome.from_job_start",
                obj=outcome,
                data={"job_start": str(job_start.public_id)},
            )
            follow_ups_plan(outcome=outcome)
    except IntegrityError:
        # Created meanwhile by the other caller (the receiver and the service, or two workers).
        return Outcome.objects.get(job_start=job_start)
    return outcome


def _follow_ups_for(outcome: Outcome, streams: list[Any]) -> list[FollowUp]:
    rows = []
    for stream in streams:
        if not stream.start_date <= outcome.start_date <= stream.end_date:
            continue
        for week in sorted({int(w) for w in stream.follow_up_weeks or [] if int(w) > 0}):
            due_on = outcome.start_date + timedelta(weeks=week)
            left = outcome.left_on is not None and outcome.left_on < due_on
            rows.append(
                FollowUp(
                    outcome=outcome,
                    stream=stream,
                    week=week,
                    due_on=due_on,
                    result=Result.LEFT if left else Result.PENDING,
                    left_on=outcome.left_on if left else None,
                    leaving_reason=outcome.leaving_reason if left else "",
                )
            )
    return rows


def follow_ups_plan(*, outcome: Outcome) -> int:
    """Create the follow-ups the learner's streams ask for about this paid outcome; how many were new.

    For each stream the learner counts for whose dates include the start and that has follow-up
    points, one follow-up per point (start + weeks). Idempotent: the unique (outcome, stream, week)
    constraint skips those that exist, so it may run again after a new attribution.
    """
    if not outcome.is_paid:
        return 0
    streams = [
        a.stream for a in StreamAttribution.objects.filter(candidate_id=outcome.candidate_id).select_related("stream")
    ]
    rows = _follow_ups_for(outcome, streams)
    before = FollowUp.objects.filter(outcome=outcome).count()
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
    return FollowUp.objects.filter(outcome=outcome).count() - before


def follow_ups_plan_for_candidate(*, candidate: Candidate) -> int:
    """Plan the follow-ups of every paid outcome of `candidate` (after they were attributed to a stream)."""
    return sum(follow_ups_plan(outcome=o) for o in Outcome.objects.paid().filter(candidate=candidate))


def follow_ups_plan_missing() -> int:
    """Plan follow-ups for paid outcomes attributed to a stream (with points, whose dates include the start)
    that has no follow-up of that outcome yet: attributions made after the start (the daily sweep)."""
    unplanned = (
        StreamAttribution.objects.filter(
            candidate=OuterRef("candidate"),
            stream__start_date__lte=OuterRef("start_date"),
            stream__end_date__gte=OuterRef("start_date"),
        )
        .exclude(stream__follow_up_weeks=[])
        .exclude(Exists(FollowUp.objects.filter(outcome=OuterRef(OuterRef("pk")), stream=OuterRef("stream"))))
    )
    missing = Outcome.objects.paid().filter(Exists(unplanned)).order_by("pk")
    return sum(follow_ups_plan(outcome=o) for o in missing)


def _close_open_follow_ups(outcome: Outcome, *, left_on: date, reason: str, actor: User | None, today: date) -> None:
    """After a leaving date is known: open follow-ups due after it are "left"; those due on or before it
    (and already due) were in work at their point, so "still employed"."""
    now = timezone.now()
    open_ = FollowUp.objects.filter(outcome=outcome, result__in=OPEN_RESULTS)
    open_.filter(due_on__gt=left_on).update(
        result=Result.LEFT, left_on=left_on, leaving_reason=reason, answered_at=now, answered_by=actor, updated_at=now
    )
    open_.filter(due_on__lte=min(left_on, today)).update(
        result=Result.STILL_EMPLOYED, answered_at=now, answered_by=actor, updated_at=now
    )


def _check_leaving(outcome: Outcome, left_on: date | None, reason: str, today: date) -> date:
    errors: dict[str, str] = {}
    if left_on is None:
        raise ValidationError({"left_on": "Enter the date they left."})
    if left_on < outcome.start_date:
        errors["left_on"] = f"The leaving date must be on or after the start date, {outcome.start_date:%-d %B %Y}."
    elif left_on > today:
        errors["left_on"] = "The leaving date cannot be in the future."
    if not reason:
        errors["leaving_reason"] = "Choose why they left."
    if errors:
        raise ValidationError(errors)
    return left_on


@transaction.atomic
def outcome_record_leaving(
    *, outcome: Outcome, actor: User, left_on: date | None, reason: str, note: str = ""
) -> Outcome:
    """Record that the person left this job; open follow-ups after the date become "left"."""
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if outcome.left_on is not None:
        raise ValidationError(
            f"Leaving was already recorded: left on {outcome.left_on:%-d %B %Y} "
            f"({outcome.get_leaving_reason_display()})."
        )
    today = timezone.localdate()
    left_on = _check_leaving(outcome, left_on, reason, today)
    outcome.left_on, outcome.leaving_reason, outcome.leaving_note = left_on, reason, note.strip()
    outcome.save(update_fields=["left_on", "leaving_reason", "leaving_note", "updated_at"])
    _close_open_follow_ups(outcome, left_on=left_on, reason=reason, actor=actor, today=today)
    audit_log(actor=actor, action="outcome.left", obj=outcome, data={"left_on": str(left_on), "reason": reason})
    return outcome


@transaction.atomic
def follow_up_answer(
    *,
    follow_up: FollowUp,
    actor: User,
    still_employed: bool,
    left_on: date | None = None,
    leaving_reason: str = "",
) -> FollowUp:
    """Answer a due follow-up: still employed, or left on a date for a reason. Refused if already answered.

    "Still employed" also answers the other streams' follow-ups of the same outcome due that day or
    before. "Left" records the leaving on the outcome, and closes its open follow-ups by the date.
    A follow-up given up as "unknown" may still be answered when the answer comes late.
    """
    # Lock the outcome first (the order every writer of an outcome's follow-ups takes).
    outcome = Outcome.objects.select_for_update().get(pk=follow_up.outcome_id)
    follow_up = FollowUp.objects.select_for_update(of=("self",)).select_related("answered_by").get(pk=follow_up.pk)
    if follow_up.result not in OPEN_RESULTS:
        by = f" by {follow_up.answered_by.get_full_name()}" if follow_up.answered_by else ""
        when = f" on {timezone.localtime(follow_up.answered_at):%-d %B %Y}" if follow_up.answered_at else ""
        raise ValidationError(
            f"This follow-up was already answered{when}{by}: {follow_up.get_result_display().lower()}. "
            "It cannot be answered twice."
        )
    today = timezone.localdate()
    if follow_up.due_on > today:
        raise ValidationError(f"This follow-up is not due until {follow_up.due_on:%-d %B %Y}.")
    now = timezone.now()
    if still_employed:
        if outcome.left_on is not None and outcome.left_on < follow_up.due_on:
            raise ValidationError(
                f"The job is recorded as left on {outcome.left_on:%-d %B %Y}, before this follow-up's date."
            )
        FollowUp.objects.filter(outcome=outcome, result__in=OPEN_RESULTS, due_on__lte=follow_up.due_on).update(
            result=Result.STILL_EMPLOYED, answered_at=now, answered_by=actor, updated_at=now
        )
        audit_log(actor=actor, action="follow_up.still_employed", obj=follow_up, data={"week": follow_up.week})
    else:
        left = _check_leaving(outcome, left_on, leaving_reason, today)
        if outcome.left_on is None:
            outcome.left_on, outcome.leaving_reason = left, leaving_reason
            outcome.save(update_fields=["left_on", "leaving_reason", "updated_at"])
        # This follow-up is the one asked: it takes the answer even when the date falls after its point.
        FollowUp.objects.filter(pk=follow_up.pk).update(
            result=Result.LEFT if left < follow_up.due_on else Result.STILL_EMPLOYED,
            left_on=left if left < follow_up.due_on else None,
            leaving_reason=leaving_reason if left < follow_up.due_on else "",
            answered_at=now,
            answered_by=actor,
            updated_at=now,
        )
        _close_open_follow_ups(outcome, left_on=left, reason=leaving_reason, actor=actor, today=today)
        audit_log(
            actor=actor,
            action="follow_up.left",
            obj=follow_up,
            data={"week": follow_up.week, "left_on": str(left), "reason": leaving_reason},
        )
    follow_up.refresh_from_db()
    return follow_up
