"""Interviews: scheduling, rescheduling, cancelling, outcomes and the day-before reminders.

Every invitation carries an .ics file (placements.ics) with the interview's stable UID and its
SEQUENCE, bumped on each change, so calendars update the event they hold. Reminders are claimed by
a conditional update on `reminder_claimed_at` in the transaction that writes their emails, so two
sweeps (or a retry) never send one twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.services.messages import candidate_notify
from placements.ics import CANCEL, REQUEST, interview_calendar_attachment
from placements.models import Interview, JobApplication
from placements.services.job_applications import interview_due_meet, job_application_move
from placements.services.starts_notify import learner_send, provider_emails, send

Status = JobApplication.Status
Outcome = Interview.Outcome

# Applications an interview can be arranged for.
INTERVIEWABLE = (Status.APPLIED, Status.REFERRED, Status.SHORTLISTED, Status.INTERVIEW)
# An interview this close when it is (re)arranged needs no separate reminder: the invitation is one.
REMINDER_AHEAD = dt.timedelta(hours=24)
NOT_PROGRESSED_BY_OUTCOME = {
    Outcome.UNSUCCESSFUL: JobApplication.NotProgressedReason.UNSUCCESSFUL_INTERVIEW,
    Outcome.DID_NOT_ATTEND: JobApplication.NotProgressedReason.DID_NOT_ATTEND,
}


def _lock_application(application: JobApplication) -> JobApplication:
    return (
        JobApplication.objects.select_for_update(of=("self",))
        .select_related("vacancy__provider", "candidate__user")
        .get(pk=application.pk)
    )


def _lock_interview(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__vacancy__provider", "application__candidate__user")
        .get(pk=interview.pk)
    )


def _check_when_and_where(
    *, starts_at: dt.datetime, duration_minutes: int, location: str, video_link: str, now: dt.datetime
) -> None:
    errors: dict[str, str] = {}
    if starts_at <= now:
        errors["date"] = "The interview must be in the future: choose a later date or time"
    if not 10 <= duration_minutes <= 480:
        errors["duration_minutes"] = "The interview must last between 10 minutes and 8 hours"
    if not location.strip() and not video_link.strip():
        errors["location"] = "Enter where the interview is, or a video link"
    if errors:
        raise ValidationError(errors)


def _reminder_claim(starts_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    return now if starts_at - now <= REMINDER_AHEAD else None


@transaction.atomic
def interview_schedule(
    *,
    application: JobApplication,
    actor: User,
    starts_at: dt.datetime,
    duration_minutes: int = 45,
    location: str = "",
    video_link: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> Interview:
    """Arrange an interview; the application moves to INTERVIEW and both sides get an invitation with an .ics."""
    now = now or timezone.now()
    application = _lock_application(application)
    if application.status not in INTERVIEWABLE:
        raise ValidationError(
            f"An interview cannot be arranged: this application is {application.get_status_display().lower()}."
        )
    _check_when_and_where(
        starts_at=starts_at, duration_minutes=duration_minutes, location=location, video_link=video_link, now=now
    )
    interview = Interview.objects.create(
        application=application,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        video_link=video_link.strip(),
        notes=notes.strip(),
        scheduled_by=actor,
        reminder_claimed_at=_reminder_claim(starts_at, now),
    )
    audit_log(actor=actor, action="interview.schedule", obj=interview, data={"starts_at": starts_at.isoformat()})
    if application.status != Status.INTERVIEW:
        job_application_move(application, Status.INTERVIEW, actor=actor, at=now, notify=False)
    interview_due_meet(application.candidate, interview)
    _invite(interview, "interview_invitation", REQUEST, now)
    return interview


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    actor: User,
    starts_at: dt.datetime,
    duration_minutes: int,
    location: str = "",
    video_link: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> Interview:
    """Change an interview not yet held; the invitation is sent again with a higher SEQUENCE."""
    now = now or timezone.now()
    interview = _lock_interview(interview)
    if interview.outcome != Outcome.PENDING:
        raise ValidationError(f"This interview cannot be changed: it is {interview.get_outcome_display().lower()}.")
    _check_when_and_where(
        starts_at=starts_at, duration_minutes=duration_minutes, location=location, video_link=video_link, now=now
    )
    before = interview.starts_at
    interview.starts_at = starts_at
    interview.duration_minutes = duration_minutes
    interview.location = location.strip()
    interview.video_link = video_link.strip()
    interview.notes = notes.strip()
    interview.sequence += 1
    interview.reminder_claimed_at = _reminder_claim(starts_at, now)
    interview.save(
        update_fields=[
            "starts_at",
            "duration_minutes",
            "location",
            "video_link",
            "notes",
            "sequence",
            "reminder_claimed_at",
            "updated_at",
        ]
    )
    audit_log(
        actor=actor,
        action="interview.reschedule",
        obj=interview,
        data={"from": before.isoformat(), "to": starts_at.isoformat(), "sequence": interview.sequence},
    )
    _invite(interview, "interview_changed", REQUEST, now)
    return interview


@transaction.atomic
def interview_cancel(
    *, interview: Interview, actor: User, reason: str = "", now: dt.datetime | None = None
) -> Interview:
    """Call off an interview not yet held; both sides get a cancellation (METHOD:CANCEL) for their calendars.

    The application stays at the interview stage, so another interview can be arranged.
    """
    now = now or timezone.now()
    interview = _lock_interview(interview)
    if interview.outcome != Outcome.PENDING:
        raise ValidationError(f"This interview cannot be cancelled: it is {interview.get_outcome_display().lower()}.")
    interview.outcome = Outcome.CANCELLED
    interview.outcome_notes = reason.strip()
    interview.sequence += 1
    interview.save(update_fields=["outcome", "outcome_notes", "sequence", "updated_at"])
    audit_log(actor=actor, action="interview.cancel", obj=interview, data={"reason": interview.outcome_notes})
    _invite(interview, "interview_cancelled", CANCEL, now)
    return interview


@transaction.atomic
def interview_record_outcome(
    *, interview: Interview, actor: User, outcome: str, notes: str = "", now: dt.datetime | None = None
) -> Interview:
    """Record how an interview went. Unsuccessful or did not attend: the application is not progressed."""
    now = now or timezone.now()
    if outcome not in (Outcome.SUCCESSFUL, Outcome.UNSUCCESSFUL, Outcome.DID_NOT_ATTEND):
        raise ValidationError({"outcome": "Select how the interview went"})
    application = _lock_application(interview.application)
    interview = _lock_interview(interview)
    if interview.outcome != Outcome.PENDING:
        raise ValidationError(
            f"The outcome of this interview is already recorded: {interview.get_outcome_display().lower()}."
        )
    if interview.starts_at > now:
        raise ValidationError(
            f"This interview is on {timezone.localtime(interview.starts_at):%-d %B %Y at %H:%M}: "
            "record its outcome after it has taken place."
        )
    interview.outcome = outcome
    interview.outcome_notes = notes.strip()
    interview.save(update_fields=["outcome", "outcome_notes", "updated_at"])
    audit_log(actor=actor, action="interview.outcome", obj=interview, data={"outcome": outcome})
    reason = NOT_PROGRESSED_BY_OUTCOME.get(Outcome(outcome))
    if reason is not None and application.status == Status.INTERVIEW:
        job_application_move(
            application,
            Status.NOT_PROGRESSED,
            actor=actor,
            reason=interview.outcome_notes,
            not_progressed_reason=reason,
            at=now,
            notify=False,
        )
        learner_send(
            "interview_not_progressed",
            application.candidate,
            {"interview": interview, "application": application, "vacancy": application.vacancy},
        )
    interview.application = application
    return interview


# --- reminders --------------------------------------------------------------------------------


def interviews_remind(*, now: dt.datetime | None = None) -> int:
    """Send the day-before reminder of each interview starting within REMINDER_AHEAD; returns how many sent.

    Interviews of applications no longer in progress (withdrawn, not progressed) are not reminded.
    Safe to run as often as wanted: each interview is claimed by a conditional update before its
    emails are written, in one transaction, so it is reminded once however many sweeps run.
    """
    now = now or timezone.now()
    due = Interview.objects.filter(
        outcome=Outcome.PENDING,
        application__status__in=JobApplication.ACTIVE,
        reminder_claimed_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    return sum(_remind_one(pk, now) for pk in list(due))


@transaction.atomic
def _remind_one(interview_id: int, now: dt.datetime) -> int:
    claimed = Interview.objects.filter(
        pk=interview_id,
        outcome=Outcome.PENDING,
        application__status__in=JobApplication.ACTIVE,
        reminder_claimed_at__isnull=True,
    ).update(reminder_claimed_at=now)
    if claimed != 1:
        return 0
    interview = Interview.objects.select_related("application__vacancy__provider", "application__candidate__user").get(
        pk=interview_id
    )
    audit_log(actor=None, action="interview.reminder", obj=interview)
    _invite(interview, "interview_reminder", REQUEST, now, attach=False)
    return 1


# --- emails -----------------------------------------------------------------------------------


def _invite(interview: Interview, template: str, method: str, now: dt.datetime, *, attach: bool = True) -> None:
    """Tell the learner (by their channels) and email the provider's users about `interview`, with the calendar file."""
    application = interview.application
    attachments = [interview_calendar_attachment(interview=interview, method=method, now=now)] if attach else None
    context = {
        "interview": interview,
        "application": application,
        "vacancy": application.vacancy,
        "provider": application.vacancy.provider,
        "candidate": application.candidate,
        "starts_at": timezone.localtime(interview.starts_at),
        "interview_path": reverse("placements:interview-detail", kwargs={"public_id": interview.public_id}),
    }
    # The learner by their channels (a text has the essentials and the link; the email has the calendar file).
    candidate_notify(
        candidate=application.candidate,
        template=f"placements/email/{template}",
        context={**context, "for_learner": True},
        attachments=attachments,
        now=now,
    )
    send(template, provider_emails(application.vacancy.provider), {**context, "for_learner": False}, attachments)
