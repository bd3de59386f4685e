"""Running a cohort: pausing a learner, rejoining a later cohort, and messaging the whole cohort.

Services that take a seat or free one lock the cohort row first (as courses.services.applications
does), so seat counts are never read while someone else is changing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from academy.notifications.recipients import EMAIL
from candidates.models import Candidate, ContactLog, Milestone
from candidates.services.messages import candidate_notify
from candidates.services.pipeline import candidate_advance_to_milestone
from courses.models import Application, Cohort, Enrolment
from courses.permissions import can_run_cohorts
from courses.selectors.applications import PENDING, cohort_seats_taken
from courses.selectors.delivery import REJOINABLE, CohortAudience, cohort_message_audience
from courses.services.applications import TAKES_OFFERS, cohort_offer_freed_seats
from courses.services.history import enrolment_history_record

Status = Enrolment.Status
MESSAGE_TEMPLATE = "courses/email/cohort_message"
REJOINED_TEMPLATE = "courses/email/enrolment_rejoined"


def _lock_cohort(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("candidate").get(pk=enrolment.pk)


@transaction.atomic
def enrolment_pause(*, enrolment: Enrolment, actor: User, reason: str) -> Enrolment:
    """Pause a learner's enrolment (e.g. illness, childcare); their seat goes to the waiting list.

    The enrolment stays on their record as paused; they can rejoin a later cohort of the course
    (enrolment_rejoin). Their marks so far are kept; sessions after today no longer expect them.
    """
    cohort = _lock_cohort(enrolment.cohort)
    enrolment = _lock_enrolment(enrolment)
    enrolment.cohort = cohort
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the learner is pausing, for example illness or childcare"})
    if enrolment.status != Status.ENROLLED:
        raise ValidationError(
            f"{enrolment.candidate.full_name} cannot be paused: "
            f"their enrolment status is “{enrolment.get_status_display()}”."
        )
    enrolment.status = Status.PAUSED
    enrolment.status_reason = reason
    enrolment.ended_at = timezone.now()
    enrolment.save(update_fields=["status", "status_reason", "ended_at", "updated_at"])
    audit_log(actor=actor, action="enrolment.pause", obj=enrolment, data={"cohort": str(cohort.public_id)})
    enrolment_history_record(
        enrolment=enrolment, from_status=Status.ENROLLED, actor=actor, reason=reason, at=enrolment.ended_at
    )
    cohort_offer_freed_seats(cohort=cohort, actor=actor)
    return enrolment


@transaction.atomic
def enrolment_rejoin(*, enrolment: Enrolment, cohort: Cohort, actor: User, today: dt.date | None = None) -> Enrolment:
    """Enrol a paused learner on a later cohort of the same course; both enrolments stay on their record.

    Refused unless the enrolment is paused and `cohort` is a later, current cohort of the same
    course with a seat free (counted under a lock on its row) that the learner is not already on.
    Emails the learner their new dates.
    """
    today = today or timezone.localdate()
    cohort = _lock_cohort(cohort)
    enrolment = _lock_enrolment(enrolment)
    name = enrolment.candidate.full_name
    if enrolment.status != Status.PAUSED:
        raise ValidationError(
            "Only a paused learner can rejoin a later cohort: "
            f"the enrolment status of {name} is “{enrolment.get_status_display()}”."
        )
    paused_on = enrolment.cohort
    if cohort.course_id != paused_on.course_id:
        raise ValidationError({"cohort": f"Choose a cohort of {paused_on.course.title}."})
    if cohort.start_date <= paused_on.start_date or cohort.status not in REJOINABLE or cohort.end_date < today:
        raise ValidationError({"cohort": f"{cohort.name} is not a later cohort that is still to run or running."})
    if Enrolment.objects.filter(cohort=cohort, candidate_id=enrolment.candidate_id).exists():
        raise ValidationError({"cohort": f"{name} is already on {cohort.name}."})
    if Application.objects.filter(
        cohort=cohort, candidate_id=enrolment.candidate_id, status=Application.Status.OFFERED
    ).exists():
        raise ValidationError(
            {"cohort": f"{name} already has an offer of a place on {cohort.name}: they can accept it."}
        )
    if cohort_seats_taken(cohort) >= cohort.capacity:
        raise ValidationError({"cohort": f"There are no seats left on {cohort.name}. Choose another cohort."})
    rejoined = Enrolment.objects.create(cohort=cohort, candidate=enrolment.candidate, status=Status.ENROLLED)
    audit_log(
        actor=actor,
        action="enrolment.rejoin",
        obj=rejoined,
        data={"from_enrolment": str(enrolment.public_id), "cohort": str(cohort.public_id)},
    )
    audit_log(actor=actor, action="enrolment.rejoined_later", obj=enrolment, data={"to": str(rejoined.public_id)})
    enrolment_history_record(enrolment=rejoined, from_status="", actor=actor, at=rejoined.created_at)
    _email_rejoined(rejoined)
    return rejoined


def enrolment_add_problem(*, cohort: Cohort, candidate: Candidate, today: dt.date) -> str:
    """Why staff cannot put `candidate` on `cohort` directly (a sentence naming them), or "" if they can.

    Read under the lock enrolment_add takes on the cohort, so the seat count cannot change meanwhile.
    """
    name = candidate.full_name or "This person"
    if cohort.status not in TAKES_OFFERS or cohort.end_date < today:
        return f"{cohort.name} is {cohort.get_status_display().lower()}, so nobody can be added to it."
    if candidate.anonymised_at is not None or candidate.merged_into_id is not None:
        return f"{name}'s record is closed to changes (merged or anonymised)."
    if Enrolment.objects.filter(cohort=cohort, candidate=candidate).exists():
        return f"{name} is already on {cohort.name}."
    application = Application.objects.filter(cohort=cohort, candidate=candidate).first()
    if application is not None and application.status in (*PENDING, Application.Status.OFFERED):
        return (
            f"{name} has an application for {cohort.name} that is {application.get_status_display().lower()}: "
            "decide on it from the application instead."
        )
    if cohort_seats_taken(cohort) >= cohort.capacity:
        return f"There are no seats left on {cohort.name} (all {cohort.capacity} are taken)."
    return ""


@transaction.atomic
def enrolment_add(*, cohort: Cohort, candidate: Candidate, actor: User, today: dt.date | None = None) -> Enrolment:
    """Staff put a candidate on a cohort directly (no application), if a seat is free; audited.

    Capacity is counted under a lock on the cohort row, taken first as every service that takes a
    seat does (courses.services.applications), so two people filling the last seat are served one
    after the other. Moves the candidate to the "on course" milestone as accepting a place does
    (a move that cannot happen is audited on their record, candidate_advance_to_milestone).
    """
    today = today or timezone.localdate()
    cohort = _lock_cohort(cohort)
    problem = enrolment_add_problem(cohort=cohort, candidate=candidate, today=today)
    if problem:
        raise ValidationError(problem)
    enrolment = Enrolment.objects.create(cohort=cohort, candidate=candidate, status=Status.ENROLLED)
    audit_log(actor=actor, action="enrolment.add", obj=enrolment, data={"cohort": str(cohort.public_id)})
    enrolment_history_record(enrolment=enrolment, from_status="", actor=actor, at=enrolment.created_at)
    candidate_advance_to_milestone(
        candidate=candidate, milestone=Milestone.ON_COURSE, actor=actor, note=f"Added to {cohort}."
    )
    return enrolment


@dataclass(frozen=True)
class CohortAddResult:
    """Who a bulk "add to cohort" put on the cohort, and who it did not, each with the reason."""

    cohort: Cohort
    added: list[Candidate]
    not_added: list[tuple[Candidate, str]]


@transaction.atomic
def cohort_add_candidates(*, cohort: Cohort, candidates: Sequence[Candidate], actor: User) -> CohortAddResult:
    """Put each candidate on the cohort (enrolment_add), in order, until the seats run out; audited.

    Not all or nothing: each person is added or not on their own (a savepoint each), and the result
    says why for each one not added. The cohort stays locked until the end, so the seats counted
    for the first person are still right for the last. One summary audit entry besides each enrolment's.
    """
    if not can_run_cohorts(actor, cohort):
        raise ValidationError("Only academy staff can add people to a cohort.")
    today = timezone.localdate()
    added: list[Candidate] = []
    not_added: list[tuple[Candidate, str]] = []
    for candidate in candidates:
        try:
            with transaction.atomic():
                enrolment_add(cohort=cohort, candidate=candidate, actor=actor, today=today)
        except ValidationError as exc:
            not_added.append((candidate, " ".join(exc.messages)))
        else:
            added.append(candidate)
    audit_log(
        actor=actor,
        action="cohort.bulk_add",
        obj=cohort,
        data={
            "added": [str(c.public_id) for c in added],
            "not_added": {str(c.public_id): reason for c, reason in not_added},
        },
    )
    return CohortAddResult(cohort=cohort, added=added, not_added=not_added)


def _email_rejoined(enrolment: Enrolment) -> None:
    candidate = enrolment.candidate
    address = candidate.email or (candidate.user.email if candidate.user_id and candidate.user else "")
    if not address:
        return
    email_enqueue(
        email_render(
            template_prefix=REJOINED_TEMPLATE,
            to=[address],
            context={
                "candidate": candidate,
                "cohort": enrolment.cohort,
                "course": enrolment.cohort.course,
                "home_path": reverse("academy:home"),
            },
        )
    )


def cohort_message_render(
    *, cohort: Cohort, first_name: str, address: str, actor: User, subject: str, body: str
) -> dict[str, object]:
    """The email one learner gets (also the preview shown before sending)."""
    return email_render(
        template_prefix=MESSAGE_TEMPLATE,
        to=[address],
        context={
            "first_name": first_name,
            "cohort": cohort,
            "course": cohort.course,
            "subject": subject,
            "body": body,
            "sender": actor,
        },
    )


@transaction.atomic
def cohort_message_send(*, cohort: Cohort, actor: User, subject: str, body: str) -> CohortAudience:
    """Email every learner on the cohort who can be emailed (cohort_message_audience); returns who got it.

    One email task per learner, sent after commit, so nobody sees anyone else's address; each
    email is also written to the learner's contact log, so their record shows what they were sent.
    """
    subject, body = subject.strip(), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = "Enter a subject"
    if not body:
        errors["body"] = "Enter a message"
    if errors:
        raise ValidationError(errors)
    audience = cohort_message_audience(cohort)
    if not audience.recipients:
        raise ValidationError("Nobody on this cohort can be emailed, so the message was not sent.")
    for candidate, _address in audience.recipients:
        # Email only: staff's own words may say anything, and texts must never carry special category data.
        candidate_notify(
            candidate=candidate,
            template=MESSAGE_TEMPLATE,
            context={"cohort": cohort, "course": cohort.course, "subject": subject, "body": body, "sender": actor},
            channels=(EMAIL,),
        )
    ContactLog.objects.bulk_create(
        ContactLog(candidate=candidate, kind=ContactLog.Kind.EMAIL, summary=f"{subject}\n\n{body}", created_by=actor)
        for candidate, _ in audience.recipients
    )
    audit_log(
        actor=actor,
        action="cohort.message",
        obj=cohort,
        data={
            "subject": subject,
            "sent": len(audience.recipients),
            "skipped_no_email": len(audience.no_email),
            "skipped_opted_out": len(audience.opted_out),
        },
    )
    return audience
