"""The email outbox: written with the change, sent once by id, retried by the sweep, never lost to a broker outage."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from celery.app.task import Task
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from academy import services
from academy.celery import broker_pause_reset
from academy.emails import email_enqueue, email_render
from academy.models import Invitation, OutboxMessage, Role, User
from academy.outbox import (
    FAILED,
    KEEP,
    LEASE,
    MAX_ATTEMPTS,
    NOT_CLAIMED,
    RETRY,
    SENT,
    outbox_send,
    outbox_sweep,
)
from tests.candidates.factories_dbs_reminders import FlakySmtpBackend

Status = OutboxMessage.Status


@contextmanager
def broker_down() -> Iterator[mock.MagicMock]:
    """Every task publish fails as it does when Redis is unreachable; then the broker is back."""
    down = OperationalError("Error 111 connecting to redis")
    try:
        with mock.patch.object(Task, "apply_async", side_effect=down) as publish:
            yield publish
    finally:
        broker_pause_reset()


def link_in(body: object) -> str:
    match = re.search(r"https?://\S+(/invitations/accept/\S+/)", str(body))
    assert match, body
    return match.group(1)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.candidates.factories_dbs_reminders.FlakySmtpBackend"
    FlakySmtpBackend.reset()
    yield FlakySmtpBackend
    FlakySmtpBackend.reset()


def _pending_message(to: str = "someone@example.org") -> OutboxMessage:
    """A message written outside any task run (its on-commit send captured and dropped)."""
    with mock.patch("academy.outbox._enqueue"):
        email_enqueue(email_render(template_prefix="academy/email/invitation", to=[to], context=_context()))
    return OutboxMessage.objects.latest("pk")


def _context() -> dict[str, object]:
    invitation = Invitation(email="someone@example.org", role=Role.STAFF, expires_at=timezone.now())
    return {"invitation": invitation, "accept_url": "https://academy.example.org/invitations/accept/t/"}


@pytest.mark.django_db(transaction=True)
def test_a_resend_while_the_broker_is_down_succeeds_and_the_sweep_sends_the_new_link(manager: User, client_for) -> None:
    """Today's code replaced the token, queued nothing and answered 500."""
    invitation = services.invitation_create(actor=manager, email="late@example.org", role=Role.STAFF)
    old_link = link_in(mail.outbox[-1].body)
    client = client_for("manager")

    with broker_down():
        response = client.post(reverse("academy:invitation-resend", kwargs={"public_id": invitation.public_id}))

    assert response.status_code == 302
    assert "A new invitation link has been sent" in client.get(response.url).content.decode()
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert invitation.email_message is not None
    assert invitation.email_message.status == Status.PENDING
    assert len(mail.outbox) == 1, "nothing reached a worker"

    result = outbox_sweep()  # the broker is back; beat runs the sweep

    assert result.sent == 1
    assert len(mail.outbox) == 2
    assert Client().get(link_in(mail.outbox[-1].body)).status_code == 200
    assert Client().get(old_link).status_code == 410
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


@pytest.mark.django_db
def test_after_one_broker_error_a_bulk_email_does_not_wait_for_the_broker_once_per_recipient(
    django_capture_on_commit_callbacks,
) -> None:
    with broker_down() as publish, django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            email_enqueue(
                email_render(template_prefix="academy/email/invitation", to=[f"p{i}@x.org"], context=_context())
            )
    assert publish.call_count == 1
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_broker_carries_only_the_message_id(manager: User) -> None:
    with mock.patch("academy.tasks.outbox_send_task.delay") as delay:
        invitation = services.invitation_create(actor=manager, email="private@example.org", role=Role.STAFF)
    delay.assert_called_once_with(invitation.email_message_id)
    assert invitation.email_message is not None
    row = invitation.email_message
    assert (row.kind, row.to, row.status) == ("academy/email/invitation", ["private@example.org"], Status.PENDING)
    assert "/invitations/accept/" in row.body


@pytest.mark.django_db(transaction=True)
def test_an_email_exists_only_if_its_change_commits(manager: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invitation_create(actor=manager, email="never@example.org", role=Role.STAFF)
        raise RuntimeError("the rest of the change failed")
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_is_sent_once_and_then_forgets_its_content() -> None:
    row = _pending_message()

    assert outbox_send(message_id=row.pk) == SENT
    assert outbox_send(message_id=row.pk) == NOT_CLAIMED

    assert [m.to for m in mail.outbox] == [["someone@example.org"]]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at is not None) == (Status.SENT, 1, True)
    assert (row.to, row.subject, row.body, row.html) == ([], "", "", "")


@pytest.mark.django_db
def test_a_temporary_failure_waits_with_backoff_and_the_sweep_sends_it(flaky_smtp, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    row = _pending_message()
    flaky_smtp.reset(failing={1, 2})

    assert outbox_send(message_id=row.pk) == RETRY
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at == timezone.now() + timedelta(minutes=1)
    assert row.last_error == "Sending failed, will try again: Connection unexpectedly closed"

    assert outbox_sweep().retry == 0, "not due yet"
    time_machine.shift(timedelta(minutes=1))
    assert outbox_sweep().retry == 1
    row.refresh_from_db()
    assert row.next_attempt_at == timezone.now() + timedelta(minutes=2), "the wait doubles"

    time_machine.shift(timedelta(minutes=2))
    assert outbox_sweep().sent == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_permanent_rejection_is_marked_failed_and_not_tried_again(flaky_smtp) -> None:
    row = _pending_message()
    flaky_smtp.reset(replies={1: smtplib.SMTPDataError(554, b"Message rejected")})

    assert outbox_send(message_id=row.pk) == FAILED

    row.refresh_from_db()
    assert (row.status, row.last_error) == (
        Status.FAILED,
        "The mail server rejected it for good (554 Message rejected).",
    )
    assert outbox_sweep(now=timezone.now() + timedelta(hours=1)).sent == 0
    assert flaky_smtp.calls == 1


@pytest.mark.django_db
def test_a_message_put_off_every_time_is_given_up(flaky_smtp) -> None:
    row = _pending_message()
    OutboxMessage.objects.filter(pk=row.pk).update(attempts=MAX_ATTEMPTS - 1)
    flaky_smtp.reset(replies={1: smtplib.SMTPRecipientsRefused({"someone@example.org": (452, b"Mailbox full")})})

    assert outbox_send(message_id=row.pk) == FAILED

    row.refresh_from_db()
    assert row.last_error == f"Gave up after {MAX_ATTEMPTS} tries (452 Mailbox full)."


@pytest.mark.django_db
def test_the_sweep_stops_at_a_server_failure_but_not_at_one_rejected_message(flaky_smtp) -> None:
    rows = [_pending_message(f"p{i}@example.org") for i in range(3)]
    flaky_smtp.reset(replies={1: smtplib.SMTPDataError(554, b"No")})
    assert outbox_sweep().sent == 2, "one rejected message does not hold up the rest"

    for row in rows:
        OutboxMessage.objects.filter(pk=row.pk).update(status=Status.PENDING)
    flaky_smtp.reset(failing={1, 2, 3})
    result = outbox_sweep()
    assert (result.retry, flaky_smtp.calls) == (1, 1), "the server is down: the others wait"


@pytest.mark.django_db
def test_the_sweep_releases_a_dead_worker_claim_and_deletes_old_rows(time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    stuck, old = _pending_message("stuck@example.org"), _pending_message("old@example.org")
    OutboxMessage.objects.filter(pk=stuck.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    outbox_send(message_id=old.pk)

    assert outbox_sweep().released == 0, "within the lease the claim may be a live worker's"
    time_machine.shift(LEASE + timedelta(seconds=1))
    result = outbox_sweep()
    assert (result.released, result.sent) == (1, 1)
    assert [m.to for m in mail.outbox] == [["old@example.org"], ["stuck@example.org"]]

    time_machine.shift(KEEP + timedelta(seconds=1))
    assert outbox_sweep().deleted == 2
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_sweep_makes_a_fixed_number_of_queries_per_message(django_assert_num_queries) -> None:
    _pending_message()
    _pending_message()
    # release, select due, then per message: claim, read, mark sent; delete old rows
    with django_assert_num_queries(9):
        assert outbox_sweep().sent == 2


@pytest.mark.django_db(transaction=True)
def test_managers_see_when_an_invitation_email_could_not_be_delivered(manager: User, client_for, flaky_smtp) -> None:
    flaky_smtp.reset(replies={1: smtplib.SMTPRecipientsRefused({"gone@example.org": (550, b"No such user")})})
    services.invitation_create(actor=manager, email="gone@example.org", role=Role.STAFF)

    page = client_for("manager").get(reverse("academy:invitation-list")).content.decode()

    assert "but the email could not be delivered: The mail server rejected it for good (550 No such user)." in page
