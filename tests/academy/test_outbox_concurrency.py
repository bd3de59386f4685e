"""Exactly once against PostgreSQL: the send task, a redelivery and the sweep racing for one outbox message.

Run by .ci/run with DATABASE_URL (PostgreSQL); deselected in `make test`.
"""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from academy.emails import email_enqueue, email_render
from academy.models import Invitation, OutboxMessage, Role
from academy.outbox import NOT_CLAIMED, SENT, outbox_send, outbox_sweep
from tests.candidates.test_dbs_reminders_reliability import SlowSmtpBackend, in_threads

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def message() -> OutboxMessage:
    assert connection.vendor == "postgresql"
    invitation = Invitation(email="once@example.org", role=Role.STAFF)
    with mock.patch("academy.outbox._enqueue"):  # committed, its task not run: the threads race for it
        email_enqueue(
            email_render(
                template_prefix="academy/email/invitation",
                to=["once@example.org"],
                context={"invitation": invitation, "accept_url": "https://academy.example.org/x/"},
            )
        )
    return OutboxMessage.objects.get()


def test_workers_starting_together_send_the_message_once(message: OutboxMessage) -> None:
    together = threading.Barrier(4, timeout=30)

    def worker() -> str:
        together.wait()
        return outbox_send(message_id=message.pk)

    results = in_threads(worker, worker, worker, worker)

    assert sorted(results) == [NOT_CLAIMED, NOT_CLAIMED, NOT_CLAIMED, SENT]
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)


def test_the_sweep_leaves_a_message_another_worker_is_sending(message: OutboxMessage, settings) -> None:
    settings.EMAIL_BACKEND = "tests.candidates.test_dbs_reminders_reliability.SlowSmtpBackend"
    SlowSmtpBackend.entered.clear()
    SlowSmtpBackend.release.clear()

    def sweep_meanwhile() -> int:
        assert SlowSmtpBackend.entered.wait(timeout=30)  # the task is talking to the SMTP server
        try:
            return outbox_sweep().sent
        finally:
            SlowSmtpBackend.release.set()

    results = in_threads(lambda: outbox_send(message_id=message.pk), sweep_meanwhile)

    assert results == [SENT, 0]
    assert len(mail.outbox) == 1
