"""Sending one DBS reminder: claimed once, retried after SMTP failures, released after a crash."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from academy.celery import app as celery_app
from academy.outbox import MAX_ATTEMPTS
from candidates.models import Candidate, DbsCheck, DbsReminder
from candidates.services import dbs_reminders
from candidates.services.dbs_reminders import (
    FAILED,
    LEASE,
    NOT_CLAIMED,
    RELEASED_NOTE,
    SENT,
    SKIPPED,
    dbs_reminder_send,
    dbs_reminders_sweep,
)
from candidates.tasks import dbs_reminders_send_task
from tests.candidates.factories_dbs_reminders import FlakySmtpBackend, Sweeper, eight_am, sent_to, submitted_check

pytestmark = pytest.mark.django_db

Status = DbsReminder.Status
SUBMITTED = date(2026, 3, 2)
CHASE_DAY = SUBMITTED + timedelta(days=14)


@pytest.fixture
def sweep(time_machine, django_capture_on_commit_callbacks) -> Sweeper:
    return Sweeper(time_machine, django_capture_on_commit_callbacks)


@pytest.fixture
def flaky_smtp(settings):
    """An SMTP server that fails as told; eager tasks retry in place, as a worker would retry them.

    (With eager errors propagating, Celery raises its Retry signal instead of running the retry.)
    """
    settings.EMAIL_BACKEND = "tests.candidates.factories_dbs_reminders.FlakySmtpBackend"
    celery_app.conf.task_eager_propagates = False
    FlakySmtpBackend.reset()
    yield FlakySmtpBackend
    FlakySmtpBackend.reset()
    celery_app.conf.task_eager_propagates = settings.CELERY_TASK_EAGER_PROPAGATES


@pytest.fixture
def reminder(candidate: Candidate, time_machine) -> DbsReminder:
    """A first chase created by the sweep on its day and not sent yet (its task not run)."""
    submitted_check(candidate, on=SUBMITTED)
    time_machine.move_to(eight_am(CHASE_DAY), tick=False)
    dbs_reminders_sweep(today=CHASE_DAY)  # inside the test's transaction: the send waits for a commit
    return DbsReminder.objects.get()


def test_a_reminder_is_sent_once_however_often_its_task_runs(reminder: DbsReminder) -> None:
    assert dbs_reminder_send(reminder_id=reminder.pk) == SENT
    assert dbs_reminder_send(reminder_id=reminder.pk) == NOT_CLAIMED
    assert dbs_reminders_send_task.delay([reminder.pk]).get() == {NOT_CLAIMED: 1}

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.sent_at) == (Status.SENT, 1, timezone.now())
    assert sent_to(mail.outbox) == [("learner@example.org", "Has your DBS certificate arrived?")]


def test_the_chase_links_the_learner_to_their_dbs_page(reminder: DbsReminder) -> None:
    dbs_reminder_send(reminder_id=reminder.pk)
    body = mail.outbox[0].body
    assert "sent on 2 March 2026" in body
    assert f"{settings.SITE_URL}/me/dbs/" in body


def test_a_reminder_claimed_by_another_worker_is_left_alone(reminder: DbsReminder) -> None:
    DbsReminder.objects.filter(pk=reminder.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    assert dbs_reminder_send(reminder_id=reminder.pk) == NOT_CLAIMED
    assert mail.outbox == []


def test_an_smtp_failure_is_retried_and_the_reminder_sent_once(reminder: DbsReminder, flaky_smtp) -> None:
    flaky_smtp.reset(failing={1, 2})

    assert dbs_reminders_send_task.delay([reminder.pk]).get() == {SENT: 1}

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == (Status.SENT, 3, "")
    assert flaky_smtp.calls == 3
    assert sent_to(mail.outbox) == [("learner@example.org", "Has your DBS certificate arrived?")]


def test_after_the_last_retry_the_reminder_waits_for_the_next_sweep(
    reminder: DbsReminder, flaky_smtp, sweep: Sweeper
) -> None:
    flaky_smtp.reset(failing={1, 2, 3, 4, 5, 6})  # the first try and all 5 retries

    with pytest.raises(OSError, match="Connection unexpectedly closed"):
        dbs_reminders_send_task.delay([reminder.pk]).get()

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Status.PENDING, 6)
    assert reminder.last_error == "Sending failed, will try again: Connection unexpectedly closed"
    assert mail.outbox == []

    result = sweep(CHASE_DAY + timedelta(days=1))  # the mail server is back

    assert (result.created_ids, result.queued_earlier) == ([], 1)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Status.SENT, 7)
    assert len(mail.outbox) == 1


def test_an_address_the_server_refuses_is_not_tried_again(reminder: DbsReminder, flaky_smtp) -> None:
    flaky_smtp.reset(refuse=True)
    assert dbs_reminders_send_task.delay([reminder.pk]).get() == {FAILED: 1}
    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == (
        Status.FAILED,
        "The mail server rejected it for good (550 No such user).",
    )
    assert flaky_smtp.calls == 1


@pytest.fixture
def batch_of_three(
    candidate: Candidate, walk_in: Candidate, other_candidate: Candidate, time_machine
) -> list[DbsReminder]:
    """Three first chases due together, in the order the sweep queues them (one batch)."""
    for person in (candidate, walk_in, other_candidate):
        submitted_check(person, on=SUBMITTED)
    time_machine.move_to(eight_am(CHASE_DAY), tick=False)
    dbs_reminders_sweep(today=CHASE_DAY)
    return list(DbsReminder.objects.order_by("pk").select_related("dbs_check__candidate"))


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam"), "554 5.7.1 Message rejected as spam"),
        (smtplib.SMTPSenderRefused(553, b"Sender not allowed", "a@b"), "553 Sender not allowed"),
        (smtplib.SMTPRecipientsRefused({"x@y": (550, b"Mailbox unavailable")}), "550 Mailbox unavailable"),
    ],
)
def test_a_message_rejected_for_good_is_marked_failed_and_the_rest_of_the_batch_goes_out(
    batch_of_three: list[DbsReminder], flaky_smtp, sweep: Sweeper, reply: Exception, reason: str
) -> None:
    first, rejected, third = batch_of_three
    flaky_smtp.reset(replies={2: reply})

    assert dbs_reminders_send_task.delay([r.pk for r in batch_of_three]).get() == {SENT: 2, FAILED: 1}

    assert flaky_smtp.calls == 3, "the rejected message is not retried"
    assert sent_to(mail.outbox) == [
        (first.recipient_email, "Has your DBS certificate arrived?"),
        (third.recipient_email, "Has your DBS certificate arrived?"),
    ]
    rejected.refresh_from_db()
    assert (rejected.status, rejected.attempts, rejected.sent_at) == (Status.FAILED, 1, None)
    assert rejected.last_error == f"The mail server rejected it for good ({reason})."

    # Nor does the next daily sweep queue it again.
    assert sweep(CHASE_DAY + timedelta(days=1)).queued_earlier == 0
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "reply",
    [
        smtplib.SMTPDataError(451, b"4.7.1 Greylisted, try again later"),
        smtplib.SMTPRecipientsRefused({"x@y": (450, b"Mailbox busy")}),
    ],
)
def test_a_message_put_off_for_now_is_retried_after_the_rest_of_the_batch(
    batch_of_three: list[DbsReminder], flaky_smtp, reply: Exception
) -> None:
    first, put_off, third = batch_of_three
    flaky_smtp.reset(replies={2: reply})

    # The batch goes on past it; the retry sends it and skips the two already sent.
    assert dbs_reminders_send_task.delay([r.pk for r in batch_of_three]).get() == {NOT_CLAIMED: 2, SENT: 1}

    assert [to for to, _ in sent_to(mail.outbox)] == [
        first.recipient_email,
        third.recipient_email,
        put_off.recipient_email,
    ]
    put_off.refresh_from_db()
    assert (put_off.status, put_off.attempts, put_off.last_error) == (Status.SENT, 2, "")


def test_a_message_put_off_on_every_try_is_given_up_at_last(reminder: DbsReminder, flaky_smtp) -> None:
    DbsReminder.objects.filter(pk=reminder.pk).update(attempts=MAX_ATTEMPTS - 1)
    flaky_smtp.reset(replies={1: smtplib.SMTPDataError(452, b"Mailbox full")})

    assert dbs_reminders_send_task.delay([reminder.pk]).get() == {FAILED: 1}

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Status.FAILED, MAX_ATTEMPTS)
    assert reminder.last_error == f"Gave up after {MAX_ATTEMPTS} tries (452 Mailbox full)."


def test_a_message_that_cannot_be_built_fails_without_stopping_the_batch(
    batch_of_three: list[DbsReminder],
) -> None:
    """An address Django refuses to put in a header (ValueError, not an SMTP error) is that reminder's alone."""
    DbsReminder.objects.filter(pk=batch_of_three[1].pk).update(recipient_email="bad\naddress@example.org")

    assert dbs_reminders_send_task.delay([r.pk for r in batch_of_three]).get() == {SENT: 2, FAILED: 1}

    failed = DbsReminder.objects.get(pk=batch_of_three[1].pk)
    assert failed.status == Status.FAILED
    assert failed.last_error.startswith("Could not be sent: ")


def test_a_reminder_no_longer_due_when_its_turn_comes_is_skipped(reminder: DbsReminder) -> None:
    """The certificate was recorded between the sweep and the send."""
    DbsCheck.objects.update(status=DbsCheck.Status.CERTIFICATE_ISSUED, certificate_issued_on=CHASE_DAY)

    assert dbs_reminder_send(reminder_id=reminder.pk) == SKIPPED

    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == (Status.SKIPPED, "No longer due when it came to be sent.")
    assert mail.outbox == []


def test_a_reminder_left_sending_by_a_killed_worker_is_released_and_sent_once(
    reminder: DbsReminder, sweep: Sweeper
) -> None:
    """The worker claimed it, then died before sending: after the lease the next sweep sends it."""
    killed_at = eight_am(CHASE_DAY)
    DbsReminder.objects.filter(pk=reminder.pk).update(status=Status.SENDING, claimed_at=killed_at, attempts=1)

    # Within the lease the claim may belong to a live worker: it is not touched.
    result = sweep(CHASE_DAY, now=killed_at + LEASE - timedelta(seconds=1))
    assert (result.released, result.queued_earlier) == (0, 0)
    assert mail.outbox == []

    result = sweep(CHASE_DAY + timedelta(days=1))
    assert (result.released, result.queued_earlier) == (1, 1)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Status.SENT, 2)
    assert len(mail.outbox) == 1

    sweep(CHASE_DAY + timedelta(days=2))
    assert len(mail.outbox) == 1


def test_a_released_reminder_says_why_in_its_history(reminder: DbsReminder, time_machine) -> None:
    DbsReminder.objects.filter(pk=reminder.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - LEASE - timedelta(minutes=1)
    )
    dbs_reminders_sweep(today=CHASE_DAY)  # its send waits for a commit that never comes in this test
    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == (Status.PENDING, RELEASED_NOTE)


def test_the_lease_outlasts_any_send_task() -> None:
    """A claim older than the lease cannot belong to a live task: the time limit has killed it."""
    assert LEASE.total_seconds() > settings.CELERY_TASK_TIME_LIMIT
    assert dbs_reminders_send_task.max_retries == 5


def test_a_send_makes_the_same_few_queries(reminder: DbsReminder, django_assert_num_queries) -> None:
    # claim, read it with its check and person, the policy, still due?, mark sent
    with django_assert_num_queries(5):
        dbs_reminder_send(reminder_id=reminder.pk)


def test_a_batch_stopped_by_an_smtp_failure_sends_each_reminder_once_when_retried(
    candidate: Candidate, walk_in: Candidate, other_candidate: Candidate, flaky_smtp, time_machine
) -> None:
    for person in (candidate, walk_in, other_candidate):
        submitted_check(person, on=SUBMITTED)
    time_machine.move_to(eight_am(CHASE_DAY), tick=False)
    dbs_reminders_sweep(today=CHASE_DAY)
    ids = list(DbsReminder.objects.order_by("pk").values_list("pk", flat=True))
    flaky_smtp.reset(failing={2})  # the second reminder's first try

    # The first is sent, the second fails and stops the batch; the retry skips the first.
    assert dbs_reminders_send_task.delay(ids).get() == {NOT_CLAIMED: 1, SENT: 2}

    assert sorted(to for to, _ in sent_to(mail.outbox)) == sorted(
        [candidate.email, walk_in.email, other_candidate.email]
    )
    assert list(DbsReminder.objects.order_by("pk").values_list("attempts", flat=True)) == [1, 2, 1]


def test_the_sweep_queues_reminders_in_batches(
    candidate: Candidate, walk_in: Candidate, monkeypatch, django_capture_on_commit_callbacks, time_machine
) -> None:
    monkeypatch.setattr(dbs_reminders, "SEND_BATCH", 1)
    submitted_check(candidate, on=SUBMITTED)
    submitted_check(walk_in, on=SUBMITTED)
    time_machine.move_to(eight_am(CHASE_DAY), tick=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dbs_reminders_sweep(today=CHASE_DAY)
    assert len(callbacks) == 2
    assert len(mail.outbox) == 2
