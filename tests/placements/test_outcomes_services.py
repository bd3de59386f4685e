"""Outcomes and follow-ups: recording, refusing bad input, job starts, several streams, answers, leaving."""

from __future__ import annotations

import datetime as dt
import smtplib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry
from placements.models import FollowUp, FollowUpReminder, LeavingReason, Outcome
from placements.selectors.outcomes import retention, stream_outcome_figures
from placements.services import follow_ups
from placements.services.follow_ups import follow_up_reminder_send, follow_ups_sweep
from placements.services.outcomes import (
    follow_up_answer,
    follow_ups_plan_for_candidate,
    outcome_from_job_start,
    outcome_record,
    outcome_record_leaving,
)
from tests.factories import CandidateFactory
from tests.placements.factories_outcomes import FundingStreamFactory, JobStartFactory, OutcomeFactory, attribute

pytestmark = pytest.mark.django_db

Kind = Outcome.Kind


def _record(candidate, staff, **overrides):
    fields = {
        "candidate": candidate,
        "actor": staff,
        "kind": Kind.PAID_JOB_CARE,
        "start_date": timezone.localdate(),
        "evidence": Outcome.Evidence.PAYSLIP,
        "employer_name": "Sunrise Homes",
        "hours_per_week": Decimal("30"),
    }
    return outcome_record(**{**fields, **overrides})


def test_recording_an_outcome_plans_each_streams_follow_ups_and_is_audited(staff):
    person = CandidateFactory.create()
    attribute(person, FundingStreamFactory.create(follow_up_weeks=[4, 13, 26]))
    attribute(person, FundingStreamFactory.create(follow_up_weeks=[13, 52], sustained_after_weeks=13))
    attribute(person, FundingStreamFactory.create(follow_up_weeks=[]))
    outcome = _record(person, staff)
    assert sorted(outcome.follow_ups.values_list("week", flat=True)) == [4, 13, 13, 26, 52]
    assert AuditEntry.objects.filter(action="outcome.record", object_id=str(outcome.pk)).exists()
    # Planning again (a new attribution, the daily sweep) adds nothing twice.
    assert follow_ups_plan_for_candidate(candidate=person) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": dt.date(2000, 1, 1)}, "start_date", "on or after"),
        ({"hours_per_week": Decimal("-1")}, "hours_per_week", "cannot be negative"),
        ({"hours_per_week": Decimal("61")}, "hours_per_week", "60 or fewer"),
        ({"employer_name": ""}, "employer_name", "employer"),
        ({"kind": Kind.APPRENTICESHIP}, "levy_status", "levy"),
        ({"kind": Kind.APPRENTICESHIP, "levy_status": "non_levy"}, "co_investment_percent", "co-investment"),
        ({"levy_status": "levy_payer"}, "levy_status", "apprenticeships only"),
    ],
)
def test_impossible_outcomes_are_refused_and_nothing_is_saved(staff, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        _record(CandidateFactory.create(), staff, **overrides)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Outcome.objects.exists()


def test_an_apprenticeship_records_levy_status_and_co_investment(staff):
    outcome = _record(
        CandidateFactory.create(),
        staff,
        kind=Kind.APPRENTICESHIP,
        levy_status=Outcome.LevyStatus.NON_LEVY,
        co_investment_percent=Decimal("5"),
    )
    assert (outcome.levy_status, outcome.co_investment_percent) == ("non_levy", Decimal("5"))


def test_a_job_start_creates_one_outcome_however_often_asked(provider_a):
    person = CandidateFactory.create()
    attribute(person, FundingStreamFactory.create(follow_up_weeks=[4]))
    start = JobStartFactory.create(candidate=person, provider=provider_a)
    outcome = Outcome.objects.get(job_start=start)  # the receiver made it
    assert outcome_from_job_start(start) == outcome
    assert Outcome.objects.count() == 1
    assert (outcome.kind, outcome.provider, outcome.follow_ups.count()) == (Kind.PAID_JOB_CARE, provider_a, 1)


def _due_outcome(provider, streams, *, weeks_ago=4, owner=None):
    today = timezone.localdate()
    person = CandidateFactory.create(owner=owner)
    for stream in streams:
        attribute(person, stream)
    start = JobStartFactory.create(
        candidate=person, provider=provider, start_date=today - dt.timedelta(weeks=weeks_ago)
    )
    return Outcome.objects.get(job_start=start)


def test_several_streams_asking_the_same_day_ask_the_employer_once_and_one_answer_closes_both(
    provider_a, provider_user, staff, django_capture_on_commit_callbacks
):
    provider_a.contact_email = "jobs@a.example.org"
    provider_a.save()
    first = FundingStreamFactory.create(start_date=timezone.localdate() - dt.timedelta(days=100), follow_up_weeks=[4])
    second = FundingStreamFactory.create(
        start_date=timezone.localdate() - dt.timedelta(days=100), follow_up_weeks=[4, 8]
    )
    outcome = _due_outcome(provider_a, [first, second], owner=staff)
    with django_capture_on_commit_callbacks(execute=True):
        follow_ups_sweep(today=timezone.localdate())
    assert FollowUpReminder.objects.count() == 2  # employer and owner, once for both streams
    assert len(mail.outbox) == 2
    follow_up_answer(follow_up=outcome.follow_ups.filter(stream=first).get(), actor=provider_user, still_employed=True)
    assert list(outcome.follow_ups.order_by("week").values_list("week", "result")) == [
        (4, "still_employed"),
        (4, "still_employed"),
        (8, "pending"),
    ]


def test_answers_are_refused_twice_early_or_with_a_bad_leaving_date(provider_a, provider_user):
    stream = FundingStreamFactory.create(
        start_date=timezone.localdate() - dt.timedelta(days=100), follow_up_weeks=[4, 13]
    )
    outcome = _due_outcome(provider_a, [stream])
    four, thirteen = outcome.follow_ups.order_by("week")
    with pytest.raises(ValidationError, match="not due until"):
        follow_up_answer(follow_up=thirteen, actor=provider_user, still_employed=True)
    with pytest.raises(ValidationError) as caught:
        follow_up_answer(
            follow_up=four,
            actor=provider_user,
            still_employed=False,
            left_on=outcome.start_date - dt.timedelta(days=1),
            leaving_reason=LeavingReason.RESIGNED,
        )
    assert "on or after the start date" in caught.value.message_dict["left_on"][0]
    left_on = outcome.start_date + dt.timedelta(days=10)
    follow_up_answer(
        follow_up=four, actor=provider_user, still_employed=False, left_on=left_on, leaving_reason="resigned"
    )
    with pytest.raises(ValidationError, match="cannot be answered twice"):
        follow_up_answer(follow_up=four, actor=provider_user, still_employed=True)
    outcome.refresh_from_db()
    assert outcome.left_on == left_on
    # The later follow-up is closed by the leaving date, not asked about.
    assert list(outcome.follow_ups.order_by("week").values_list("result", flat=True)) == ["left", "left"]


def test_leaving_recorded_by_staff_closes_later_follow_ups_and_is_refused_twice(staff):
    stream = FundingStreamFactory.create(
        start_date=timezone.localdate() - dt.timedelta(days=200), follow_up_weeks=[4, 13]
    )
    outcome = _due_outcome(None, [stream], weeks_ago=10)
    outcome_record_leaving(outcome=outcome, actor=staff, left_on=timezone.localdate(), reason="health")
    assert list(outcome.follow_ups.order_by("week").values_list("result", flat=True)) == ["still_employed", "left"]
    with pytest.raises(ValidationError, match="already recorded"):
        outcome_record_leaving(outcome=outcome, actor=staff, left_on=timezone.localdate(), reason="health")


def test_a_reminder_is_sent_once_however_often_it_is_claimed(provider_a, staff):
    stream = FundingStreamFactory.create(start_date=timezone.localdate() - dt.timedelta(days=100), follow_up_weeks=[4])
    _due_outcome(provider_a, [stream], owner=staff)
    follow_ups_sweep(today=timezone.localdate())
    follow_ups_sweep(today=timezone.localdate())
    reminder = FollowUpReminder.objects.get(recipient="staff")
    assert follow_up_reminder_send(reminder_id=reminder.pk) == "sent"
    assert follow_up_reminder_send(reminder_id=reminder.pk) == "not claimed"
    assert len(mail.outbox) == 1
    # The provider has no contact email: set aside with the reason, not retried.
    provider_reminder = FollowUpReminder.objects.get(recipient="provider")
    assert follow_up_reminder_send(reminder_id=provider_reminder.pk) == "skipped"
    assert "no contact email" in FollowUpReminder.objects.get(pk=provider_reminder.pk).error


def test_a_permanent_mail_failure_is_set_aside(provider_a, staff, monkeypatch):
    stream = FundingStreamFactory.create(start_date=timezone.localdate() - dt.timedelta(days=100), follow_up_weeks=[4])
    _due_outcome(None, [stream], owner=staff)
    follow_ups_sweep(today=timezone.localdate())

    def refuse(message):
        raise smtplib.SMTPRecipientsRefused({"staff@example.org": (550, b"No such user")})

    monkeypatch.setattr(follow_ups, "email_deliver_now", refuse)
    reminder = FollowUpReminder.objects.get()
    assert follow_up_reminder_send(reminder_id=reminder.pk) == "failed"
    assert FollowUpReminder.objects.get().status == "failed"


def test_sustained_uses_each_streams_own_rule():
    today = timezone.localdate()
    thirteen = FundingStreamFactory.create(
        start_date=today - dt.timedelta(days=400), follow_up_weeks=[13, 26], sustained_after_weeks=13
    )
    twenty_six = FundingStreamFactory.create(
        start_date=today - dt.timedelta(days=400), follow_up_weeks=[13, 26], sustained_after_weeks=26
    )
    person = CandidateFactory.create()
    attribute(person, thirteen)
    attribute(person, twenty_six)
    outcome = OutcomeFactory.create(candidate=person, start_date=today - dt.timedelta(weeks=14))
    FollowUp.objects.create(outcome=outcome, stream=thirteen, week=13, due_on=today, result="still_employed")
    assert stream_outcome_figures(thirteen).sustained == 1
    assert stream_outcome_figures(twenty_six).sustained == 0
    assert stream_outcome_figures(twenty_six).not_yet_due == 1


def test_retention_counts_distinct_people_and_states_the_denominator():
    today = timezone.localdate()
    stayed = CandidateFactory.create()
    OutcomeFactory.create(candidate=stayed, start_date=today - dt.timedelta(weeks=30))
    OutcomeFactory.create(candidate=stayed, start_date=today - dt.timedelta(weeks=28))  # a second job: still one person
    OutcomeFactory.create(start_date=today - dt.timedelta(weeks=30), left_on=today - dt.timedelta(weeks=25))
    OutcomeFactory.create(start_date=today - dt.timedelta(weeks=2))
    total = retention(outcomes=Outcome.objects.all(), by="provider", today=today).total
    assert total.started == 3
    four, _, twenty_six = total.points
    assert (four.reached, four.in_work) == (2, 2)
    assert (twenty_six.reached, twenty_six.in_work) == (2, 1)


def test_the_daily_sweep_plans_follow_ups_for_an_attribution_made_after_the_start(staff):
    person = CandidateFactory.create()
    outcome = _record(person, staff)
    assert not outcome.follow_ups.exists()
    stream = FundingStreamFactory.create(follow_up_weeks=[4, 13])
    attribute(person, stream)
    FundingStreamFactory.create(follow_up_weeks=[])  # no points: nothing to plan
    result = follow_ups_sweep(today=timezone.localdate())
    assert result.planned == 2
    assert follow_ups_sweep(today=timezone.localdate()).planned == 0
    assert sorted(outcome.follow_ups.values_list("week", flat=True)) == [4, 13]


def test_a_claim_left_by_a_dead_worker_is_released_by_the_next_sweep(staff, django_capture_on_commit_callbacks):
    stream = FundingStreamFactory.create(start_date=timezone.localdate() - dt.timedelta(days=100), follow_up_weeks=[4])
    _due_outcome(None, [stream], owner=staff)
    follow_ups_sweep(today=timezone.localdate())  # queued, but the worker died mid-send:
    FollowUpReminder.objects.update(status="sending", claimed_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        result = follow_ups_sweep(today=timezone.localdate())
    assert result.released == 1
    assert FollowUpReminder.objects.get().status == "sent"
    assert len(mail.outbox) == 1


def test_a_temporary_mail_failure_puts_the_reminder_back_for_a_retry(staff, monkeypatch):
    stream = FundingStreamFactory.create(start_date=timezone.localdate() - dt.timedelta(days=100), follow_up_weeks=[4])
    _due_outcome(None, [stream], owner=staff)
    follow_ups_sweep(today=timezone.localdate())

    def busy(message):
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(follow_ups, "email_deliver_now", busy)
    reminder = FollowUpReminder.objects.get()
    with pytest.raises(OSError):
        follow_up_reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.tries) == ("pending", 1)
    assert "will try again" in reminder.error
    monkeypatch.undo()
    assert follow_up_reminder_send(reminder_id=reminder.pk) == "sent"
