"""How an enrolment ends (completed, withdrawn, did not complete) and the certificates it earns.

Completing moves the learner on in the pipeline (to the "completed course" milestone);
withdrawing frees their seat, which goes to the waiting list. Certificates' files are checked
exactly like candidate documents (candidates.services.documents) and stored under a random name
that no URL serves: the download view checks permission and audits each download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Milestone, PipelineStage
from candidates.services.documents import document_clean_name, document_validate_file
from candidates.services.pipeline import candidate_advance_to_milestone
from courses.models import Application, Certificate, Cohort, Course, Enrolment
from courses.selectors.attendance import session_is_held
from courses.services.applications import cohort_offer_freed_seats
from courses.services.history import enrolment_history_record

Status = Enrolment.Status

# The outcomes staff record; paused is G1's (delivery) business, enrolled is where everyone starts.
OUTCOMES = (Status.COMPLETED, Status.WITHDRAWN, Status.DID_NOT_COMPLETE)
NEEDS_REASON: dict[str, str] = {
    Status.WITHDRAWN: "Enter why they withdrew",
    Status.DID_NOT_COMPLETE: "Enter why they did not complete the course",
}
# From which status each outcome may be recorded. An outcome recorded by mistake can be corrected;
# someone paused who will not come back can be withdrawn.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    Status.COMPLETED: (Status.ENROLLED, Status.WITHDRAWN, Status.DID_NOT_COMPLETE),
    Status.WITHDRAWN: (Status.ENROLLED, Status.PAUSED, Status.COMPLETED, Status.DID_NOT_COMPLETE),
    Status.DID_NOT_COMPLETE: (Status.ENROLLED, Status.COMPLETED, Status.WITHDRAWN),
}
MAX_STANDARDS = 16


@dataclass(frozen=True)
class OutcomeRecorded:
    """What recording an outcome did, so the page can say so."""

    enrolment: Enrolment
    moved_to: PipelineStage | None = None
    offered: list[Application] = field(default_factory=list)
    # Why the learner could not be moved on in the pipeline (a stage switched off), or "".
    move_problem: str = ""


def completion_too_early(cohort: Cohort, *, now: dt.datetime) -> str:
    """Why completing a learner on `cohort` now is early (a warning for staff), or "" once the course is over.

    Over means its last session has ended; a cohort without sessions is over on its end date.
    """
    last = cohort.sessions.order_by("-date", "-end_time").first()
    if last is not None:
        if session_is_held(last, now):
            return ""
        return (
            f"The course's last session is on {last.date:%A %-d %B %Y} and has not happened yet: "
            "completing someone now counts them as completed before the course is over."
        )
    if timezone.localtime(now).date() >= cohort.end_date:
        return ""
    return (
        f"The course ends on {cohort.end_date:%A %-d %B %Y}: "
        "completing someone now counts them as completed before the course is over."
    )


def _check_outcome(
    enrolment: Enrolment, *, status: str, reason: str, standards: int, course: Course, today: dt.date
) -> None:
    if status not in OUTCOMES:
        raise ValidationError({"status": "Select how the course ended for this learner."})
    if (
        enrolment.status == status
        and enrolment.status_reason == reason
        and (enrolment.care_certificate_standards == standards)
    ):
        raise ValidationError(
            f"{enrolment.candidate.full_name} is already recorded as {enrolment.get_status_display().lower()}."
        )
    if enrolment.status != status and enrolment.status not in ALLOWED_FROM[status]:
        raise ValidationError(
            {
                "status": f"{enrolment.candidate.full_name} is {enrolment.get_status_display().lower()}: "
                f"they cannot be marked as {Status(status).label.lower()}. "
                "Someone paused rejoins a later cohort, or is withdrawn."
            }
        )
    if status in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": NEEDS_REASON[status]})
    if status == Status.COMPLETED and today < enrolment.cohort.start_date:
        raise ValidationError(
            {
                "status": f"The course starts on {enrolment.cohort.start_date:%-d %B %Y}: "
                "nobody can complete it before then."
            }
        )
    if not 0 <= standards <= MAX_STANDARDS:
        raise ValidationError(
            {"care_certificate_standards": f"Standards achieved must be between 0 and {MAX_STANDARDS}."}
        )
    if standards and course.kind != Course.Kind.CARE_CERTIFICATE:
        raise ValidationError(
            {"care_certificate_standards": "Only Care Certificate courses record standards achieved."}
        )


@transaction.atomic
def enrolment_record_outcome(
    *,
    enrolment: Enrolment,
    actor: User,
    status: str,
    reason: str = "",
    care_certificate_standards: int = 0,
    early_reason: str = "",
) -> OutcomeRecorded:
    """Record how the learner's course ended (completed, withdrawn with a reason, or did not complete).

    Completing before the course is over (completion_too_early) needs `early_reason`, which is
    audited; without one it is refused with the warning. Completing moves the candidate to the
    "completed course" milestone unless they are already further on or closed (or says why it
    could not, in `move_problem`), and emails them an
    invitation to give feedback. Withdrawing someone who held a seat offers the freed seat to the
    waiting list. Audited.
    """
    # Lock order as in courses.services.applications: the cohort first, then the row.
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=enrolment.cohort_id)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=enrolment.pk)
    enrolment.cohort = cohort
    reason = reason.strip() if status in NEEDS_REASON else ""
    _check_outcome(
        enrolment,
        status=status,
        reason=reason,
        standards=care_certificate_standards,
        course=cohort.course,
        today=timezone.localdate(),
    )
    early_reason = early_reason.strip()
    early = ""
    if status == Status.COMPLETED and enrolment.status != Status.COMPLETED:
        early = completion_too_early(cohort, now=timezone.now())
        if early and not early_reason:
            raise ValidationError({"early_reason": f"{early} Confirm, and say why they have completed early."})
    previous = enrolment.status
    enrolment.status = status
    enrolment.status_reason = reason
    enrolment.care_certificate_standards = care_certificate_standards
    if previous != status or enrolment.ended_at is None:
        enrolment.ended_at = timezone.now()
    enrolment.save(update_fields=["status", "status_reason", "care_certificate_standards", "ended_at", "updated_at"])
    audit_log(
        actor=actor,
        action="enrolment.outcome",
        obj=enrolment,
        data={
            "from": previous,
            "to": status,
            "reason": reason,
            "standards": care_certificate_standards,
            **({"completed_early": early_reason} if early else {}),
        },
    )
    if previous != status:
        # A corrected reason or standards count is audited but is not a change of status.
        enrolment_history_record(
            enrolment=enrolment, from_status=previous, actor=actor, reason=reason, at=enrolment.ended_at
        )
    moved_to: PipelineStage | None = None
    move_problem = ""
    offered: list[Application] = []
    if status == Status.COMPLETED and previous != status:
        move = candidate_advance_to_milestone(
            candidate=enrolment.candidate,
            milestone=Milestone.COMPLETED_COURSE,
            actor=actor,
            note=f"Completed {cohort}.",
        )
        moved_to, move_problem = move.moved_to, move.problem
        _email_completed(enrolment)
    if previous == Status.ENROLLED and status != Status.COMPLETED:
        # Only someone who was taking part held a seat (see courses.selectors.applications).
        offered = cohort_offer_freed_seats(cohort=cohort, actor=actor)
    return OutcomeRecorded(enrolment=enrolment, moved_to=moved_to, offered=offered, move_problem=move_problem)


def _email_completed(enrolment: Enrolment) -> None:
    """Congratulate the learner and ask for their feedback (after commit); nothing without an email."""
    candidate = enrolment.candidate
    if not candidate.email or not candidate.user_id:
        return
    message = email_render(
        template_prefix="courses/email/enrolment_completed",
        to=[candidate.email],
        context={
            "candidate": candidate,
            "cohort": enrolment.cohort,
            "course": enrolment.cohort.course,
            "feedback_path": reverse("courses:feedback-create", kwargs={"public_id": enrolment.public_id}),
            "my_courses_path": reverse("courses:my-enrolments"),
        },
    )
    email_enqueue(message)


# --- certificates ---


@transaction.atomic
def certificate_create(
    *, enrolment: Enrolment, actor: User, title: str, issued_on: dt.date, file: UploadedFile | None = None
) -> Certificate:
    """Record a certificate the learner earned, with an optional scan checked like a document; audited."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the certificate's title."})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": "The date issued must be today or in the past."})
    if enrolment.candidate.anonymised_at is not None:
        raise ValidationError("This learner's record has been anonymised: certificates cannot be added to it.")
    certificate = Certificate(enrolment=enrolment, title=title, issued_on=issued_on, recorded_by=actor)
    if file is not None:
        try:
            file_type = document_validate_file(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        certificate.original_name = document_clean_name(file.name or "")
        certificate.content_type = file_type.content_type
        certificate.file.save("upload", file, save=False)
    stored_name = certificate.file.name
    # The file is written before the row: if saving the row fails, remove the file again.
    try:
        certificate.save()
        audit_log(
            actor=actor,
            action="certificate.create",
            obj=enrolment,
            data={"certificate": str(certificate.public_id), "title": title, "file": bool(stored_name)},
        )
    except Exception:
        if stored_name:
            certificate.file.storage.delete(stored_name)
        raise
    return certificate


def certificate_record_download(*, certificate: Certificate, actor: User) -> None:
    """Call for every download: who fetched which certificate is in the audit log."""
    audit_log(
        actor=actor,
        action="certificate.download",
        obj=certificate.enrolment,
        data={"certificate": str(certificate.public_id)},
    )


@transaction.atomic
def certificate_delete(*, certificate: Certificate, actor: User) -> None:
    """Delete a certificate recorded by mistake and, once that is committed, its file; audited."""
    storage, name = certificate.file.storage, certificate.file.name
    audit_log(
        actor=actor,
        action="certificate.delete",
        obj=certificate.enrolment,
        data={"certificate": str(certificate.public_id), "title": certificate.title},
    )
    certificate.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
