"""Interviews: arranging (with .ics invitations), changing, cancelling, outcomes and exactly-once reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, OutboxMessage, User
from academy.outbox import outbox_send
from candidates.models import Candidate
from placements.models import Interview, InterviewDue, JobApplication, JobApplicationStatusChange
from placements.services import interviews as service
from providers.models import Provider
from tests.courses.factories import EnrolmentFactory
from tests.placements.factories_starts import InterviewFactory, application_for

Status = JobApplication.Status
Outcome = Interview.Outcome
pytestmark = pytest.mark.django_db


def _later(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _outbox(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=f"placements/email/{kind}").order_by("pk"))


def test_schedule_moves_to_interview_and_invites_both_sides_with_a_calendar(
    provider_user: User, provider_a: Provider, walk_in: Candidate
) -> None:
    application = application_for(provider_a, walk_in)
    interview = service.interview_schedule(
        application=application, actor=provider_user, starts_at=_later(), duration_minutes=30, location="Oak House"
    )
    application.refresh_from_db()
    assert application.status == Status.INTERVIEW
    change = JobApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.SHORTLISTED,
        Status.INTERVIEW,
        provider_user,
    )
    assert AuditEntry.objects.filter(action="interview.schedule", object_id=str(interview.pk)).exists()
    assert AuditEntry.objects.filter(action="job_application.interview").exists()
    sent = _outbox("interview_invitation")
    assert sorted(m.to[0] for m in sent) == ["provider.a@example.org", "wendy@example.org"]
    for message in sent:
        (attachment,) = message.attachments
        assert attachment["method"] == "REQUEST"
        assert f"UID:interview-{interview.public_id}@" in attachment["content"]
        assert "SEQUENCE:0" in attachment["content"]


def test_the_invitation_reaches_the_mail_server_with_its_ics(
    provider_user: User, provider_a: Provider, walk_in: Candidate
) -> None:
    service.interview_schedule(
        application=application_for(provider_a, walk_in), actor=provider_user, starts_at=_later(), location="Oak House"
    )
    message = _outbox("interview_invitation")[0]
    assert outbox_send(message_id=message.pk) == "sent"
    (email,) = mail.outbox
    (part,) = email.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "interview.ics"
    assert "BEGIN:VEVENT" in part.get_payload(decode=True).decode()
    message.refresh_from_db()
    assert message.attachments == []  # cleared once sent, as the body is


def test_schedule_refuses_the_past_and_nowhere(provider_user: User, provider_a: Provider) -> None:
    application = application_for(provider_a)
    with pytest.raises(ValidationError) as past:
        service.interview_schedule(
            application=application,
            actor=provider_user,
            starts_at=timezone.now() - dt.timedelta(minutes=5),
            location="x",
        )
    assert "future" in str(past.value)
    with pytest.raises(ValidationError) as nowhere:
        service.interview_schedule(application=application, actor=provider_user, starts_at=_later())
    assert "video link" in str(nowhere.value)
    assert not Interview.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_schedule_refuses_an_application_that_is_not_progressing(staff: User, provider_a: Provider) -> None:
    application = application_for(provider_a, status=Status.NOT_PROGRESSED)
    with pytest.raises(ValidationError, match="not progressed"):
        service.interview_schedule(application=application, actor=staff, starts_at=_later(), location="x")


def test_schedule_meets_an_owed_guaranteed_interview(staff: User, provider_a: Provider, walk_in: Candidate) -> None:
    enrolment = EnrolmentFactory.create(candidate=walk_in)
    owed = InterviewDue.objects.create(candidate=walk_in, enrolment=enrolment, due_since=timezone.localdate())
    interview = service.interview_schedule(
        application=application_for(provider_a, walk_in),
        actor=staff,
        starts_at=_later(),
        video_link="https://meet.example.com/a",
    )
    owed.refresh_from_db()
    assert owed.met_by == interview and owed.met_at is not None


def test_reschedule_bumps_the_sequence_and_keeps_the_uid(provider_user: User) -> None:
    interview = InterviewFactory.create()
    uid = f"UID:interview-{interview.public_id}@"
    service.interview_reschedule(
        interview=interview, actor=provider_user, starts_at=_later(5), duration_minutes=60, location="Elm Court"
    )
    interview.refresh_from_db()
    assert interview.sequence == 1 and interview.location == "Elm Court"
    content = _outbox("interview_changed")[0].attachments[0]["content"]
    assert uid in content and "SEQUENCE:1" in content and "METHOD:REQUEST" in content


def test_cancel_sends_a_calendar_cancellation(provider_user: User) -> None:
    interview = InterviewFactory.create()
    service.interview_cancel(interview=interview, actor=provider_user, reason="The manager is ill")
    interview.refresh_from_db()
    assert interview.outcome == Outcome.CANCELLED and interview.sequence == 1
    attachment = _outbox("interview_cancelled")[0].attachments[0]
    assert attachment["method"] == "CANCEL"
    assert "METHOD:CANCEL" in attachment["content"] and "STATUS:CANCELLED" in attachment["content"]
    with pytest.raises(ValidationError, match="cancelled"):
        service.interview_cancel(interview=interview, actor=provider_user)


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        (Outcome.UNSUCCESSFUL, JobApplication.NotProgressedReason.UNSUCCESSFUL_INTERVIEW),
        (Outcome.DID_NOT_ATTEND, JobApplication.NotProgressedReason.DID_NOT_ATTEND),
    ],
)
def test_an_unsuccessful_or_missed_interview_is_not_progressed(provider_user: User, outcome: str, reason: str) -> None:
    interview = InterviewFactory.create(starts_at=timezone.now() - dt.timedelta(hours=2))
    service.interview_record_outcome(interview=interview, actor=provider_user, outcome=outcome, notes="Feedback")
    application = JobApplication.objects.get(pk=interview.application_id)
    assert application.status == Status.NOT_PROGRESSED
    assert application.not_progressed_reason == reason
    assert len(_outbox("interview_not_progressed")) == 1


def test_a_successful_interview_stays_at_interview_and_the_outcome_waits_for_the_interview(provider_user: User) -> None:
    upcoming = InterviewFactory.create()
    with pytest.raises(ValidationError, match="after it has taken place"):
        service.interview_record_outcome(interview=upcoming, actor=provider_user, outcome=Outcome.SUCCESSFUL)
    held = InterviewFactory.create(starts_at=timezone.now() - dt.timedelta(hours=1))
    service.interview_record_outcome(interview=held, actor=provider_user, outcome=Outcome.SUCCESSFUL)
    assert JobApplication.objects.get(pk=held.application_id).status == Status.INTERVIEW
    with pytest.raises(ValidationError, match="already recorded"):
        service.interview_record_outcome(interview=held, actor=provider_user, outcome=Outcome.UNSUCCESSFUL)


# --- reminders ----------------------------------------------------------------------------------


def test_two_sweeps_send_each_reminder_once(provider_a: Provider, provider_user: User) -> None:
    now = timezone.now()
    due = InterviewFactory.create(
        application=application_for(provider_a, status=Status.INTERVIEW), starts_at=now + dt.timedelta(hours=20)
    )
    assert service.interviews_remind(now=now) == 1
    assert service.interviews_remind(now=now + dt.timedelta(hours=1)) == 0
    reminders = _outbox("interview_reminder")
    assert sorted(m.to[0] for m in reminders) == sorted([due.application.candidate.email, provider_user.email])
    due.refresh_from_db()
    assert due.reminder_claimed_at == now


def test_a_claimed_interview_is_skipped_even_if_it_was_listed_as_due(provider_a: Provider) -> None:
    """Two sweeps that both listed it: the second's conditional update changes no row, so it sends nothing."""
    now = timezone.now()
    interview = InterviewFactory.create(starts_at=now + dt.timedelta(hours=3))
    assert service._remind_one(interview.pk, now) == 1
    assert service._remind_one(interview.pk, now) == 0
    assert AuditEntry.objects.filter(action="interview.reminder").count() == 1


def test_no_reminder_too_early_for_cancelled_or_past_interviews() -> None:
    now = timezone.now()
    InterviewFactory.create(starts_at=now + dt.timedelta(hours=30))
    InterviewFactory.create(starts_at=now + dt.timedelta(hours=5), outcome=Outcome.CANCELLED)
    InterviewFactory.create(starts_at=now - dt.timedelta(hours=1))
    assert service.interviews_remind(now=now) == 0


def test_an_interview_arranged_for_tomorrow_needs_no_second_reminder(staff: User, provider_a: Provider) -> None:
    soon = timezone.now() + dt.timedelta(hours=18)
    service.interview_schedule(application=application_for(provider_a), actor=staff, starts_at=soon, location="x")
    assert service.interviews_remind() == 0


def test_rescheduling_a_reminded_interview_to_a_later_day_reminds_again(staff: User) -> None:
    now = timezone.now()
    interview = InterviewFactory.create(starts_at=now + dt.timedelta(hours=10))
    assert service.interviews_remind(now=now) == 1
    service.interview_reschedule(
        interview=interview,
        actor=staff,
        starts_at=now + dt.timedelta(days=4),
        duration_minutes=45,
        location="x",
        now=now,
    )
    assert service.interviews_remind(now=now + dt.timedelta(days=3, hours=6)) == 1


def test_no_reminder_once_the_application_stopped(provider_a: Provider) -> None:
    now = timezone.now()
    interview = InterviewFactory.create(starts_at=now + dt.timedelta(hours=5))
    JobApplication.objects.filter(pk=interview.application_id).update(status=Status.WITHDRAWN)
    assert service.interviews_remind(now=now) == 0
    assert service._remind_one(interview.pk, now) == 0


def test_erasing_the_learner_drops_the_calendar_file_naming_them_from_unsent_emails(
    provider_user: User, provider_a: Provider, walk_in: Candidate, manager: User
) -> None:
    from candidates.services.privacy import candidate_anonymise

    service.interview_schedule(
        application=application_for(provider_a, walk_in), actor=provider_user, starts_at=_later(), location="Oak House"
    )
    candidate_anonymise(candidate=walk_in, actor=manager)
    (left,) = _outbox("interview_invitation")  # the learner's own invitation is dropped
    assert left.to == ["provider.a@example.org"]
    assert left.attachments == []
    assert "Wendy" not in left.body and "Walkin" not in left.subject + left.body
