"""Applying to a cohort, staff decisions, offers and the waiting list.

Capacity is enforced inside the transaction that makes an offer: the cohort row is locked
(SELECT ... FOR UPDATE) before the seats are counted, so two people offering the last seat at the
same moment are served one after the other and the second sees the cohort full. Every service
that frees or takes a seat locks the cohort first and the application second, always in that
order, so they cannot deadlock each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, Milestone
from candidates.services.messages import candidate_notify
from candidates.services.pipeline import candidate_advance_to_milestone
from courses.models import Application, Cohort, Enrolment, ScreeningQuestion
from courses.selectors.applications import PENDING, cohort_seats_taken, offer_expires_on
from courses.services.history import application_history_record, enrolment_history_record

Status = Application.Status

# Cohorts that take applications (and only before they start).
TAKES_APPLICATIONS = (Cohort.Status.OPEN,)
# Cohorts on which a place can still be offered (until their end date).
TAKES_OFFERS = (Cohort.Status.OPEN, Cohort.Status.CLOSED, Cohort.Status.RUNNING)
# What staff may decide from each status.
DECISIONS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (Status.SHORTLISTED, Status.OFFERED, Status.WAITING_LIST, Status.DECLINED),
    Status.SHORTLISTED: (Status.OFFERED, Status.WAITING_LIST, Status.DECLINED),
    Status.WAITING_LIST: (Status.OFFERED, Status.DECLINED),
    # Withdrawing an offer made by mistake frees the seat for the waiting list.
    Status.OFFERED: (Status.DECLINED,),
}


# --- capacity ---------------------------------------------------------------------------------


def _lock_cohort(cohort: Cohort) -> Cohort:
    """Lock the cohort row until the transaction ends; everyone counting its seats waits here."""
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("candidate").get(pk=application.pk)


def _check_can_offer(cohort: Cohort, today: dt.date) -> None:
    if cohort.status not in TAKES_OFFERS:
        raise ValidationError(
            f"Places on {cohort.name} cannot be offered: it is {cohort.get_status_display().lower()}."
        )
    if cohort.end_date < today:
        raise ValidationError(f"Places on {cohort.name} cannot be offered: it ended on {cohort.end_date:%-d %B %Y}.")


def _check_seat_free(cohort: Cohort) -> None:
    taken = cohort_seats_taken(cohort)
    if taken >= cohort.capacity:
        raise ValidationError(
            f"There are no seats left on {cohort.name}: all {cohort.capacity} are taken. "
            "Put the applicant on the waiting list instead: they will be offered the next seat that is freed."
        )


# --- applying -----------------------------------------------------------------------------------


def cohort_application_problem(*, cohort: Cohort, today: dt.date | None = None) -> str:
    """Why `cohort` cannot take an application now (a sentence for the applicant), or "" if it can."""
    today = today or timezone.localdate()
    if cohort.status == Cohort.Status.CANCELLED:
        return f"{cohort.name} has been cancelled, so it is not taking applications."
    if cohort.status == Cohort.Status.PLANNED:
        return f"Applications for {cohort.name} are not open yet. Check back later or choose another date."
    if cohort.status not in TAKES_APPLICATIONS or cohort.start_date < today:
        return f"Applications for {cohort.name} have closed. Choose another date for this course."
    if cohort_seats_taken(cohort) >= cohort.capacity:
        return f"{cohort.name} is full. Choose another date for this course."
    return ""


def _clean_answers(questions: list[ScreeningQuestion], answers: Mapping[str, Any]) -> dict[str, str]:
    """Answers keyed by question id; a missing required answer or an unknown choice is refused."""
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in questions:
        answer = str(answers.get(str(question.pk), "") or "").strip()
        if not answer:
            if question.required:
                errors[f"question_{question.pk}"] = f"Answer the question: {question.text}"
            continue
        if question.kind == ScreeningQuestion.Kind.CHOICE and answer not in question.choice_list:
            errors[f"question_{question.pk}"] = f"Choose one of the answers to: {question.text}"
            continue
        cleaned[str(question.pk)] = answer
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def application_submit(*, cohort: Cohort, candidate: Candidate, actor: User, answers: Mapping[str, Any]) -> Application:
    """Apply `candidate` to `cohort` with answers {question id: answer}; emails a confirmation.

    Refused when the cohort is not open, has started, is full, or the candidate already applied.
    """
    cohort = _lock_cohort(cohort)
    problem = cohort_application_problem(cohort=cohort)
    if problem:
        raise ValidationError(problem)
    if Application.objects.filter(cohort=cohort, candidate=candidate).exists():
        raise ValidationError(
            f"You have already applied for {cohort.name}. You can see your application on your applications page."
        )
    questions = list(ScreeningQuestion.objects.filter(course_id=cohort.course_id))
    application = Application.objects.create(
        cohort=cohort, candidate=candidate, answers=_clean_answers(questions, answers)
    )
    audit_log(actor=actor, action="application.submit", obj=application, data={"cohort": str(cohort.public_id)})
    application_history_record(application=application, from_status="", actor=actor, at=application.created_at)
    _notify(application, "submitted")
    return application


# --- staff decisions ----------------------------------------------------------------------------


@transaction.atomic
def application_decide(*, application: Application, actor: User, decision: str, reason: str = "") -> Application:
    """Shortlist, offer a place, put on the waiting list or decline (with a reason); emails the applicant.

    Offering checks the cohort's capacity under a lock on the cohort row (see the module docstring).
    Declining an offer already made frees the seat for the waiting list.
    """
    cohort = _lock_cohort(application.cohort)
    application = _lock_application(application)
    application.cohort = cohort
    allowed = DECISIONS.get(application.status, ())
    if decision not in allowed:
        label = Status(decision).label.lower() if decision in Status.values else decision
        raise ValidationError(
            f"This application is {application.get_status_display().lower()}, so it cannot be changed to {label}."
        )
    reason = reason.strip()
    if decision == Status.DECLINED and not reason:
        raise ValidationError({"reason": "Enter the reason for declining the application: the applicant will see it."})
    now = timezone.now()
    was_offered = application.status == Status.OFFERED
    if decision == Status.OFFERED:
        _check_can_offer(cohort, timezone.localdate())
        _check_seat_free(cohort)
        application.offered_at = now
    if decision == Status.WAITING_LIST:
        application.waiting_since = now
    previous = application.status
    application.status = decision
    application.decision_reason = reason if decision == Status.DECLINED else ""
    application.decided_by = actor
    application.save(
        update_fields=["status", "decision_reason", "offered_at", "waiting_since", "decided_by", "updated_at"]
    )
    audit_log(
        actor=actor,
        action=f"application.{decision}",
        obj=application,
        data={"from": previous, "reason": application.decision_reason},
    )
    application_history_record(
        application=application, from_status=previous, actor=actor, reason=application.decision_reason, at=now
    )
    _notify(application, decision)
    if was_offered:
        cohort_offer_freed_seats(cohort=cohort, actor=actor)
    return application


@transaction.atomic
def cohort_offer_freed_seats(*, cohort: Cohort, actor: User | None) -> list[Application]:
    """Offer the cohort's free seats to its waiting list in order (waiting_since); emails each learner.

    Call it whenever a seat may have been freed (an offer declined or expired, an enrolment paused
    or withdrawn). Only before the cohort starts: after that, staff decide whether a late start works.
    Returns the applications offered a place (often none).
    """
    cohort = _lock_cohort(cohort)
    today = timezone.localdate()
    if cohort.status not in TAKES_OFFERS or cohort.start_date <= today:
        return []
    free = cohort.capacity - cohort_seats_taken(cohort)
    if free <= 0:
        return []
    waiting = list(
        Application.objects.select_for_update()
        .filter(cohort=cohort, status=Status.WAITING_LIST)
        .order_by("waiting_since", "created_at", "pk")[:free]
    )
    now = timezone.now()
    for application in waiting:
        application.cohort = cohort
        application.status = Status.OFFERED
        application.offered_at = now
        application.decided_by = actor
        application.save(update_fields=["status", "offered_at", "decided_by", "updated_at"])
        audit_log(actor=actor, action="application.offered", obj=application, data={"from": "waiting_list"})
        application_history_record(application=application, from_status=Status.WAITING_LIST, actor=actor, at=now)
        _notify(application, Status.OFFERED)
    return waiting


# --- the learner's answer -----------------------------------------------------------------------


@transaction.atomic
def application_accept(*, application: Application, actor: User) -> Enrolment:
    """The learner accepts an offered place: enrols them and moves them to the "on course" milestone if earlier.

    If that stage is switched off the place is still accepted; the missed move is audited on the
    record (candidate_advance_to_milestone) for staff to see.
    """
    cohort = _lock_cohort(application.cohort)
    application = _lock_application(application)
    application.cohort = cohort
    if application.status != Status.OFFERED:
        raise ValidationError(
            f"You can only accept a place that has been offered. This application is "
            f"{application.get_status_display().lower()}."
        )
    if cohort.status not in TAKES_OFFERS or cohort.end_date < timezone.localdate():
        raise ValidationError(
            f"{cohort.name} is {cohort.get_status_display().lower()}, so the place cannot be accepted."
        )
    now = timezone.now()
    application.status = Status.ACCEPTED
    application.responded_at = now
    application.save(update_fields=["status", "responded_at", "updated_at"])
    enrolment, created = Enrolment.objects.get_or_create(
        cohort=cohort, candidate=application.candidate, defaults={"application": application}
    )
    if not created and enrolment.application_id is None:
        # Staff had enrolled them directly: link the two rather than enrol twice.
        enrolment.application = application
        enrolment.save(update_fields=["application", "updated_at"])
    audit_log(actor=actor, action="application.accepted", obj=application, data={"enrolment": str(enrolment.public_id)})
    application_history_record(application=application, from_status=Status.OFFERED, actor=actor, at=now)
    if created:
        enrolment_history_record(enrolment=enrolment, from_status="", actor=actor, at=enrolment.created_at)
    candidate_advance_to_milestone(
        candidate=application.candidate,
        milestone=Milestone.ON_COURSE,
        actor=actor,
        note="Accepted a place on a course.",
    )
    _notify(application, Status.ACCEPTED)
    return enrolment


@transaction.atomic
def application_decline_offer(*, application: Application, actor: User) -> Application:
    """The learner turns down an offered place; the seat goes to the waiting list."""
    cohort = _lock_cohort(application.cohort)
    application = _lock_application(application)
    application.cohort = cohort
    if application.status != Status.OFFERED:
        raise ValidationError(
            f"There is no offer to decline: this application is {application.get_status_display().lower()}."
        )
    application.status = Status.LEARNER_DECLINED
    application.responded_at = timezone.now()
    application.save(update_fields=["status", "responded_at", "updated_at"])
    audit_log(actor=actor, action="application.learner_declined", obj=application)
    application_history_record(
        application=application, from_status=Status.OFFERED, actor=actor, at=application.responded_at
    )
    _notify(application, Status.LEARNER_DECLINED)
    cohort_offer_freed_seats(cohort=cohort, actor=actor)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User) -> Application:
    """The learner withdraws an application that has no offer yet (submitted, shortlisted, waiting)."""
    application = _lock_application(application)
    if application.status not in PENDING:
        raise ValidationError(
            f"This application is {application.get_status_display().lower()}, so it cannot be withdrawn here."
        )
    previous = application.status
    application.status = Status.WITHDRAWN
    application.responded_at = timezone.now()
    application.save(update_fields=["status", "responded_at", "updated_at"])
    audit_log(actor=actor, action="application.withdrawn", obj=application, data={"from": previous})
    application_history_record(application=application, from_status=previous, actor=actor, at=application.responded_at)
    _notify(application, Status.WITHDRAWN)
    return application


# --- expiry -------------------------------------------------------------------------------------


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Expire offers not answered within COURSE_OFFER_VALID_DAYS and offer their seats on. Idempotent.

    Each offer is claimed with a conditional update, so a retry or a second worker never expires
    (or emails about) the same offer twice. Returns the number of offers expired.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.COURSE_OFFER_VALID_DAYS)
    cohort_ids = (
        Application.objects.filter(status=Status.OFFERED, offered_at__lt=cutoff)
        .order_by()
        .values_list("cohort_id", flat=True)
        .distinct()
    )
    expired = 0
    for cohort in Cohort.objects.filter(pk__in=list(cohort_ids)):
        expired += _cohort_offers_expire(cohort=cohort, cutoff=cutoff, now=now)
    return expired


@transaction.atomic
def _cohort_offers_expire(*, cohort: Cohort, cutoff: dt.datetime, now: dt.datetime) -> int:
    cohort = _lock_cohort(cohort)
    stale = list(
        Application.objects.filter(cohort=cohort, status=Status.OFFERED, offered_at__lt=cutoff).select_related(
            "candidate"
        )
    )
    expired = 0
    for application in stale:
        claimed = Application.objects.filter(pk=application.pk, status=Status.OFFERED).update(
            status=Status.OFFER_EXPIRED, responded_at=now, updated_at=now
        )
        if claimed != 1:
            continue
        application.status = Status.OFFER_EXPIRED
        application.cohort = cohort
        audit_log(actor=None, action="application.offer_expired", obj=application)
        application_history_record(application=application, from_status=Status.OFFERED, actor=None, at=now)
        _notify(application, Status.OFFER_EXPIRED)
        expired += 1
    if expired:
        cohort_offer_freed_seats(cohort=cohort, actor=None)
    return expired


# --- emails -------------------------------------------------------------------------------------


def _notify(application: Application, event: str) -> None:
    """Tell the applicant about `event` (a status) by their channels, after commit; an offer may go by text."""
    cohort = application.cohort
    candidate_notify(
        candidate=application.candidate,
        template=f"courses/email/application_{event}",
        context={
            "application": application,
            "cohort": cohort,
            "course": cohort.course,
            "offer_expires_on": offer_expires_on(application),
            "my_applications_path": reverse("courses:my-applications"),
            "respond_path": reverse("courses:application-respond", kwargs={"public_id": application.public_id}),
        },
    )
