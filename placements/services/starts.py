"""The ready-to-start checklist's manual items and the confirmed job start.

Confirming a start takes one of the vacancy's places under the vacancy's row lock (the same
order as offers: vacancy, then application), moves the application to STARTED and the person
to the "in work" milestone. Staff can also record a start found outside the academy's vacancies.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, Milestone
from candidates.services.pipeline import candidate_advance_to_milestone
from placements.models import MAX_WEEKLY_HOURS, JobApplication, JobStart
from placements.services import vacancies
from placements.services.job_applications import job_application_move
from placements.services.offers import lock_application, lock_vacancy
from placements.services.starts_notify import learner_send, provider_emails, send

Status = JobApplication.Status

# Applications whose checklist items can be marked: offered (the folder may already be with the provider) or accepted.
CHECKLIST_OPEN = (Status.OFFERED, Status.ACCEPTED)
# How far ahead a start recorded by staff may be.
LATEST_START_AHEAD = dt.timedelta(days=366)


@transaction.atomic
def checklist_mark_training(
    *, application: JobApplication, actor: User, met: bool, now: dt.datetime | None = None
) -> JobApplication:
    """Confirm (or undo) that the learner has done the provider's mandatory training."""
    application = JobApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in CHECKLIST_OPEN:
        raise ValidationError(
            f"The checklist cannot be changed: this application is {application.get_status_display().lower()}."
        )
    application.mandatory_training_met_at = (now or timezone.now()) if met else None
    application.save(update_fields=["mandatory_training_met_at", "updated_at"])
    audit_log(actor=actor, action="checklist.training", obj=application, data={"met": met})
    return application


@transaction.atomic
def checklist_agree_start_date(*, application: JobApplication, actor: User, start_date: dt.date) -> JobApplication:
    """Record the start date the provider and the learner agreed (not before the offer)."""
    application = JobApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in CHECKLIST_OPEN:
        raise ValidationError(
            f"The checklist cannot be changed: this application is {application.get_status_display().lower()}."
        )
    _check_not_before_offer(application, start_date)
    application.start_date_agreed = start_date
    application.save(update_fields=["start_date_agreed", "updated_at"])
    audit_log(actor=actor, action="checklist.start_date", obj=application, data={"start_date": start_date.isoformat()})
    return application


def _check_not_before_offer(application: JobApplication, start_date: dt.date) -> None:
    offered_on = timezone.localdate(application.offered_at) if application.offered_at else None
    if offered_on is not None and start_date < offered_on:
        raise ValidationError(
            {"start_date": f"The start date cannot be before the offer, made on {offered_on:%-d %B %Y}"}
        )


def _check_hours(hours_per_week: Decimal) -> None:
    if not Decimal("0.5") <= hours_per_week <= MAX_WEEKLY_HOURS:
        raise ValidationError({"hours_per_week": f"Hours per week must be between 0.5 and {MAX_WEEKLY_HOURS}"})


@transaction.atomic
def job_start_confirm(
    *,
    application: JobApplication,
    actor: User,
    job_role: str,
    hours_per_week: Decimal,
    contract_type: str,
    start_date: dt.date,
    now: dt.datetime | None = None,
) -> JobStart:
    """Confirm the learner started with the provider: JobStart, STARTED, a place taken, "in work", emails."""
    now = now or timezone.now()
    vacancy = lock_vacancy(application.vacancy)
    application = lock_application(application, vacancy)
    if application.status != Status.ACCEPTED:
        raise ValidationError(
            "A start can only be confirmed once the learner has accepted the offer. "
            f"This application is {application.get_status_display().lower()}."
        )
    _check_hours(hours_per_week)
    _check_not_before_offer(application, start_date)
    job_start = JobStart.objects.create(
        candidate=application.candidate,
        application=application,
        provider=vacancy.provider,
        employer_name=vacancy.provider.name,
        job_role=job_role,
        hours_per_week=hours_per_week,
        contract_type=contract_type,
        start_date=start_date,
        confirmed_by=actor,
        confirmed_at=now,
    )
    job_application_move(application, Status.STARTED, actor=actor, at=now, notify=False)
    vacancies.vacancy_fill_place(vacancy, actor=actor)
    _after_start(job_start, actor)
    send(
        "job_start_confirmed",
        provider_emails(vacancy.provider),
        {"job_start": job_start, "candidate": application.candidate, "for_learner": False},
    )
    return job_start


@transaction.atomic
def job_start_record(
    *,
    candidate: Candidate,
    actor: User,
    employer_name: str,
    job_role: str,
    hours_per_week: Decimal,
    contract_type: str,
    start_date: dt.date,
    now: dt.datetime | None = None,
) -> JobStart:
    """Staff record a start with an employer outside the academy's vacancies (no application)."""
    now = now or timezone.now()
    if not employer_name.strip():
        raise ValidationError({"employer_name": "Enter the employer's name"})
    _check_hours(hours_per_week)
    if start_date > timezone.localdate(now) + LATEST_START_AHEAD:
        raise ValidationError({"start_date": "The start date must be within the next year"})
    job_start = JobStart.objects.create(
        candidate=candidate,
        employer_name=employer_name.strip(),
        job_role=job_role,
        hours_per_week=hours_per_week,
        contract_type=contract_type,
        start_date=start_date,
        confirmed_by=actor,
        confirmed_at=now,
    )
    _after_start(job_start, actor)
    return job_start


def _after_start(job_start: JobStart, actor: User) -> None:
    candidate = job_start.candidate
    audit_log(
        actor=actor,
        action="job_start.confirm",
        obj=job_start,
        data={"employer": job_start.employer_name, "start_date": job_start.start_date.isoformat()},
    )
    candidate_advance_to_milestone(
        candidate=candidate,
        milestone=Milestone.IN_WORK,
        actor=actor,
        note=f"Started work at {job_start.employer_name}.",
    )
    learner_send(
        "job_start_confirmed",
        candidate,
        {"job_start": job_start, "candidate": candidate, "for_learner": True},
    )
