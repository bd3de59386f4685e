"""Job applications and referrals: applying, staff referrals and the learner's consent, every status move,
and the guaranteed interview owed to course completers.

Every status change goes through `job_application_move`, which checks the move against TRANSITIONS,
writes the status-change row and the audit entry, and emails whoever needs to hear, all in the
caller's transaction.

Locks: a service that needs the vacancy row locks it first (SELECT ... FOR UPDATE) and the application
second, as the offer service does; `job_application_move` locks only the application, so it fits inside
any caller's locks. Creating an application looks for a live one under the vacancy lock, so two clicks on
"apply" cannot make two; the partial unique constraint `placements_one_live_application_per_vacancy` is the
last guard.

Places are not counted here: the offer service counts the places held (JobApplication.HOLDS_PLACE) under
the vacancy lock, and `Vacancy.places_filled` counts confirmed starts (placements.services.vacancies).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Candidate
from candidates.services.messages import candidate_notify
from courses.models import Enrolment
from placements.models import Cv, Interview, InterviewDue, JobApplication, JobApplicationStatusChange, Vacancy

Status = JobApplication.Status
Reason = JobApplication.NotProgressedReason

# The moves allowed from each status. INTERVIEW, OFFERED, ACCEPTED and STARTED are made by the interviews,
# offers and start services (they call job_application_move); WITHDRAWN is the learner's own choice.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.AWAITING_CONSENT: (Status.REFERRED, Status.WITHDRAWN),
    # A provider may offer without an interview (placements.services.offers.OFFERABLE).
    Status.APPLIED: (Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED, Status.NOT_PROGRESSED, Status.WITHDRAWN),
    Status.REFERRED: (Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED, Status.NOT_PROGRESSED, Status.WITHDRAWN),
    Status.SHORTLISTED: (Status.INTERVIEW, Status.OFFERED, Status.NOT_PROGRESSED, Status.WITHDRAWN),
    Status.INTERVIEW: (Status.OFFERED, Status.NOT_PROGRESSED, Status.WITHDRAWN),
    Status.OFFERED: (Status.ACCEPTED, Status.NOT_PROGRESSED, Status.WITHDRAWN),
    Status.ACCEPTED: (Status.STARTED, Status.NOT_PROGRESSED, Status.WITHDRAWN),
}
# Moves after which the learner gets an email from this module. The interview invitation (with its .ics),
# the offer and the start are emailed by the services that make those moves, with their details.
EMAIL_LEARNER = (Status.REFERRED, Status.SHORTLISTED, Status.NOT_PROGRESSED, Status.WITHDRAWN)
# Moves the provider's users hear about: a new applicant (APPLIED is the first status, emailed by
# job_apply), a referral the learner agreed to, a learner who withdrew after the provider could see them.
EMAIL_PROVIDER = (Status.REFERRED, Status.WITHDRAWN)


# --- who gets emails ------------------------------------------------------------------------------


def _provider_emails(vacancy: Vacancy) -> list[str]:
    """The provider's active users, or its contact address when it has none."""
    provider = vacancy.provider
    emails = sorted(provider.memberships.filter(user__is_active=True).values_list("user__email", flat=True).distinct())
    if not emails and provider.contact_email:
        emails = [provider.contact_email]
    return emails


def _email_context(application: JobApplication) -> dict[str, Any]:
    return {
        "application": application,
        "candidate": application.candidate,
        "vacancy": application.vacancy,
        "provider": application.vacancy.provider,
        "my_path": reverse("placements:my-job-application-detail", kwargs={"public_id": application.public_id}),
        "provider_path": reverse("placements:provider-application-detail", kwargs={"public_id": application.public_id}),
    }


def _email_learner(application: JobApplication, event: str) -> None:
    candidate_notify(
        candidate=application.candidate,
        template=f"placements/email/job_application_{event}",
        context=_email_context(application),
    )


def _email_provider(application: JobApplication, event: str) -> None:
    emails = _provider_emails(application.vacancy)
    if emails:
        email_enqueue(
            email_render(
                template_prefix=f"placements/email/job_application_provider_{event}",
                to=emails,
                context=_email_context(application),
            )
        )


# --- checks ---------------------------------------------------------------------------------------


def _lock_vacancy(vacancy: Vacancy) -> Vacancy:
    return (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("provider", "ring_fenced_cohort__course")
        .get(pk=vacancy.pk)
    )


def _lock_application(application: JobApplication) -> JobApplication:
    return (
        JobApplication.objects.select_for_update(of=("self",))
        .select_related("vacancy__provider", "candidate__user")
        .get(pk=application.pk)
    )


def vacancy_application_problem(*, vacancy: Vacancy, candidate: Candidate | None, today: dt.date | None = None) -> str:
    """Why `candidate` cannot apply to (or be referred to) `vacancy` now, in words for them; "" if they can.

    Refused: a vacancy that is not published, has closed or is filled; a ring-fenced vacancy for someone
    who did not complete that cohort; a second live application to the same vacancy.
    """
    today = today or timezone.localdate()
    if vacancy.status == Vacancy.Status.FILLED or (vacancy.status in Vacancy.OPEN and vacancy.places_left == 0):
        return f"{vacancy.title} at {vacancy.provider.name} has been filled, so it is not taking applications."
    if vacancy.status == Vacancy.Status.CLOSED or (vacancy.status in Vacancy.OPEN and vacancy.closing_date < today):
        return f"{vacancy.title} at {vacancy.provider.name} has closed, so it is not taking applications."
    if vacancy.status not in Vacancy.OPEN:
        return f"{vacancy.title} at {vacancy.provider.name} is not open for applications."
    if candidate is None:
        return ""
    cohort = vacancy.ring_fenced_cohort
    if (
        cohort is not None
        and not Enrolment.objects.filter(cohort=cohort, candidate=candidate, status=Enrolment.Status.COMPLETED).exists()
    ):
        return (
            f"{vacancy.title} is only for people who completed {cohort.course.title} ({cohort.name}), "
            "so this application cannot be made."
        )
    if JobApplication.objects.filter(vacancy=vacancy, candidate=candidate, status__in=_LIVE).exists():
        return f"There is already an application from {candidate.full_name} to {vacancy.title}."
    return ""


# Statuses the one-live-application constraint covers (ACTIVE and STARTED).
_LIVE = (*JobApplication.ACTIVE, Status.STARTED)


def candidate_has_cv(candidate: Candidate) -> bool:
    return Cv.objects.filter(candidate=candidate).exists()


# --- the one move --------------------------------------------------------------------------------


@transaction.atomic
def job_application_move(
    application: JobApplication,
    to_status: str,
    *,
    actor: User | None,
    reason: str = "",
    not_progressed_reason: str = "",
    at: dt.datetime | None = None,
    notify: bool = True,
) -> JobApplication:
    """Move `application` to `to_status` if TRANSITIONS allows it; history, audit and emails in one transaction.

    - NOT_PROGRESSED needs `not_progressed_reason` (a JobApplication.NotProgressedReason); OTHER also needs
      `reason` in words. The learner is emailed the reason.
    - OFFERED stamps offered_at and ACCEPTED accepted_at (if not already set). Counting the vacancy's places
      and locking the vacancy row for the last place are the offer service's job: call this inside its
      transaction, after its checks.
    - Emails: the learner for EMAIL_LEARNER moves, the provider's users for EMAIL_PROVIDER moves; the
      interviews/offers/start services send their own emails for INTERVIEW, OFFERED, ACCEPTED and STARTED
      and pass `notify=False` for the moves whose email they write themselves (an offer declined).
    - `at` is when it happened (default now), for services that stamp several rows with one time.
    Raises ValidationError with a readable message for a move that is not allowed.
    """
    application = _lock_application(application)
    previous = application.status
    if to_status not in Status.values:
        raise ValidationError(f"{to_status!r} is not a status of a job application.")
    if to_status not in TRANSITIONS.get(previous, ()):
        raise ValidationError(
            f"This application is {application.get_status_display().lower()}, so it cannot be moved to "
            f"{Status(to_status).label.lower()}."
        )
    reason = reason.strip()
    if to_status == Status.NOT_PROGRESSED:
        if not_progressed_reason not in Reason.values:
            raise ValidationError({"not_progressed_reason": "Choose why the application is not going further."})
        if not_progressed_reason == Reason.OTHER and not reason:
            raise ValidationError({"reason": "Enter the reason: the learner will see it."})
        application.not_progressed_reason = not_progressed_reason
    now = at or timezone.now()
    if to_status == Status.OFFERED and application.offered_at is None:
        application.offered_at = now
    if to_status == Status.ACCEPTED and application.accepted_at is None:
        application.accepted_at = now
    application.status = to_status
    application.status_reason = reason
    application.save(
        update_fields=["status", "status_reason", "not_progressed_reason", "offered_at", "accepted_at", "updated_at"]
    )
    JobApplicationStatusChange.objects.create(
        application=application,
        from_status=previous,
        to_status=to_status,
        reason=_history_reason(application),
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now,
    )
    audit_log(
        actor=actor,
        action=f"job_application.{to_status}",
        obj=application,
        data={"from": previous, "reason": reason, "not_progressed_reason": application.not_progressed_reason},
    )
    if not notify:
        return application
    if to_status in EMAIL_LEARNER:
        _email_learner(application, to_status)
    # The provider hears of a referral once the learner agrees, and of a withdrawal only if they saw the
    # application (a referral the learner declined stays unknown to them).
    provider_saw_it = previous in JobApplication.VISIBLE_TO_PROVIDER
    if to_status == Status.REFERRED or (to_status in EMAIL_PROVIDER and provider_saw_it):
        _email_provider(application, to_status)
    return application


def _history_reason(application: JobApplication) -> str:
    if application.status == Status.NOT_PROGRESSED:
        label = Reason(application.not_progressed_reason).label
        return f"{label}: {application.status_reason}" if application.status_reason else label
    return application.status_reason


# --- applying and referring ------------------------------------------------------------------------


def _create_once(*, vacancy: Vacancy, candidate: Candidate, **fields: Any) -> JobApplication:
    """Create the application; a live one made at the same moment (the unique constraint) is refused in words."""
    try:
        with transaction.atomic():
            return JobApplication.objects.create(vacancy=vacancy, candidate=candidate, **fields)
    except IntegrityError:
        raise ValidationError(
            f"There is already an application from {candidate.full_name} to {vacancy.title}."
        ) from None


@transaction.atomic
def job_apply(
    *,
    vacancy: Vacancy,
    candidate: Candidate,
    actor: User,
    supporting_statement: str = "",
    attach_cv: bool = False,
    folder_release_consented: bool = False,
) -> JobApplication:
    """The learner applies to a published vacancy, agreeing to share their profile with its provider now.

    Consent is recorded on the application (consented_at, CV attached, folder released on an offer).
    Emails the provider's users and a confirmation to the learner. Refused as vacancy_application_problem says.
    """
    vacancy = _lock_vacancy(vacancy)
    problem = vacancy_application_problem(vacancy=vacancy, candidate=candidate)
    if problem:
        raise ValidationError(problem)
    if attach_cv and not candidate_has_cv(candidate):
        raise ValidationError({"attach_cv": "You have no CV to attach yet. Build one first, or apply without it."})
    now = timezone.now()
    application = _create_once(
        vacancy=vacancy,
        candidate=candidate,
        route=JobApplication.Route.APPLIED,
        status=Status.APPLIED,
        consented_at=now,
        cv_attached=attach_cv,
        folder_release_consented=folder_release_consented,
        supporting_statement=supporting_statement.strip(),
    )
    JobApplicationStatusChange.objects.create(
        application=application, from_status="", to_status=Status.APPLIED, changed_by=actor, changed_at=now
    )
    audit_log(
        actor=actor,
        action="job_application.apply",
        obj=application,
        data={
            "vacancy": str(vacancy.public_id),
            "cv_attached": attach_cv,
            "folder_release_consented": folder_release_consented,
        },
    )
    _email_provider(application, "applied")
    _email_learner(application, "applied")
    return application


@transaction.atomic
def job_refer(*, vacancy: Vacancy, candidate: Candidate, actor: User, note: str) -> JobApplication:
    """Staff refer `candidate` to `vacancy`: the learner is emailed and asked to agree before the provider sees it."""
    vacancy = _lock_vacancy(vacancy)
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Enter why this is a good match: the learner will see it."})
    if not candidate.is_current:
        raise ValidationError("This record is no longer in use.")
    problem = vacancy_application_problem(vacancy=vacancy, candidate=candidate)
    if problem:
        raise ValidationError(problem)
    now = timezone.now()
    application = _create_once(
        vacancy=vacancy,
        candidate=candidate,
        route=JobApplication.Route.REFERRED,
        status=Status.AWAITING_CONSENT,
        referred_by=actor,
        referral_note=note,
    )
    JobApplicationStatusChange.objects.create(
        application=application,
        from_status="",
        to_status=Status.AWAITING_CONSENT,
        reason=note,
        changed_by=actor,
        changed_at=now,
    )
    audit_log(actor=actor, action="job_application.refer", obj=application, data={"vacancy": str(vacancy.public_id)})
    _email_learner(application, "referral")
    return application


@transaction.atomic
def job_referral_agree(
    *,
    application: JobApplication,
    actor: User,
    attach_cv: bool = False,
    folder_release_consented: bool = False,
) -> JobApplication:
    """The learner agrees to a staff referral: their consent is recorded and the provider can now see it."""
    vacancy = _lock_vacancy(application.vacancy)
    application = _lock_application(application)
    if application.status != Status.AWAITING_CONSENT:
        raise ValidationError(
            f"This referral is {application.get_status_display().lower()}: there is nothing to agree to."
        )
    problem = vacancy_application_problem(vacancy=vacancy, candidate=None)
    if problem:
        raise ValidationError(problem)
    if attach_cv and not candidate_has_cv(application.candidate):
        raise ValidationError({"attach_cv": "You have no CV to attach yet. Build one first, or agree without it."})
    application.consented_at = timezone.now()
    application.cv_attached = attach_cv
    application.folder_release_consented = folder_release_consented
    application.save(update_fields=["consented_at", "cv_attached", "folder_release_consented", "updated_at"])
    return job_application_move(application, Status.REFERRED, actor=actor)


@transaction.atomic
def job_referral_decline(*, application: JobApplication, actor: User) -> JobApplication:
    """The learner turns a referral down: it is withdrawn and the provider never sees it."""
    if application.status != Status.AWAITING_CONSENT:
        raise ValidationError(
            f"This referral is {application.get_status_display().lower()}: there is nothing to decline."
        )
    return job_application_move(application, Status.WITHDRAWN, actor=actor, reason="The learner declined the referral.")


@transaction.atomic
def job_application_withdraw(*, application: JobApplication, actor: User) -> JobApplication:
    """The learner withdraws a live application (not one already started); the provider is told."""
    return job_application_move(application, Status.WITHDRAWN, actor=actor, reason="Withdrawn by the learner.")


# --- guaranteed interview --------------------------------------------------------------------------


@transaction.atomic
def interview_due_create(*, enrolment: Enrolment, due_since: dt.date | None = None) -> InterviewDue | None:
    """Record the guaranteed interview a completed enrolment earns, once (the OneToOne makes it idempotent).

    None when the enrolment is not completed or its course promises no interview.
    """
    if enrolment.status != Enrolment.Status.COMPLETED or not enrolment.cohort.course.guaranteed_interview:
        return None
    if due_since is None:
        due_since = timezone.localdate(enrolment.ended_at) if enrolment.ended_at else timezone.localdate()
    due, created = InterviewDue.objects.get_or_create(
        enrolment=enrolment, defaults={"candidate_id": enrolment.candidate_id, "due_since": due_since}
    )
    if created:
        audit_log(actor=None, action="interview_due.create", obj=due, data={"enrolment": str(enrolment.public_id)})
    return due


@transaction.atomic
def interview_due_meet(candidate: Candidate, interview: Interview) -> InterviewDue | None:
    """Mark the candidate's oldest guaranteed interview still owed as met by `interview`; None if none is owed.

    Called by the interviews service when an interview is scheduled. Any interview with a provider meets
    the guarantee, whatever the vacancy. Calling it again for the same interview changes nothing.
    """
    if InterviewDue.objects.filter(met_by=interview).exists():
        return None
    due = (
        InterviewDue.objects.select_for_update()
        .filter(candidate=candidate, met_at__isnull=True)
        .order_by("due_since", "pk")
        .first()
    )
    if due is None:
        return None
    due.met_by = interview
    due.met_at = timezone.now()
    due.save(update_fields=["met_by", "met_at", "updated_at"])
    audit_log(actor=None, action="interview_due.met", obj=due, data={"interview": str(interview.public_id)})
    return due


def interviews_due_backfill() -> int:
    """Create the InterviewDue of every completed enrolment on a guaranteed-interview course that has none.

    Due since the day the enrolment ended (its completion). Returns how many were created.
    """
    enrolments = Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED, cohort__course__guaranteed_interview=True, interview_due__isnull=True
    ).select_related("cohort__course")
    return sum(1 for enrolment in enrolments if interview_due_create(enrolment=enrolment) is not None)
