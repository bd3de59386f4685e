"""Exactly once against the real servers: concurrent sweeps and sends on PostgreSQL, a real worker via Redis.

Run by .ci/run with DATABASE_URL (PostgreSQL) and REDIS_URL set; deselected in `make test`.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from academy.celery import app as celery_app
from academy.models import User
from candidates.models import DbsReminder
from candidates.services import dbs_reminders
from candidates.services.dbs_reminders import NOT_CLAIMED, SENT, dbs_reminder_send, dbs_reminders_sweep
from tests.candidates.factories_dbs_reminders import DbsCheckFactory, eight_am, submitted_check
from tests.factories import CandidateFactory

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 3, 30)

# serialized_rollback: each test starts with the rows migrations create (pipeline stages, the policy),
# which flushing after an earlier transactional test removes.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def in_threads(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread (its own database connection); their results, or raise the first error."""
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def due_reminders(staff: User, time_machine) -> int:
    """Ten people with a reminder due on DAY (one of them to their owner too): 11 reminders."""
    time_machine.move_to(eight_am(DAY), tick=False)
    for _ in range(9):
        DbsCheckFactory.create(candidate=CandidateFactory.create(owner=staff), started_on=DAY - timedelta(days=5))
    submitted_check(CandidateFactory.create(owner=staff), on=DAY - timedelta(days=28))
    return 11


def test_two_sweeps_at_once_create_and_send_each_reminder_once(due_reminders: int, monkeypatch) -> None:
    assert connection.vendor == "postgresql"
    # Both sweeps reach their first INSERT ... SELECT together, each having seen no reminders yet:
    # the unique constraints have to decide.
    together = threading.Barrier(2, timeout=30)
    first_insert = threading.local()
    insert = dbs_reminders._insert_returning_ids

    def insert_together(rows: Any) -> list[int]:
        if not getattr(first_insert, "done", False):
            first_insert.done = True
            together.wait()
        return insert(rows)

    monkeypatch.setattr(dbs_reminders, "_insert_returning_ids", insert_together)

    first, second = in_threads(lambda: dbs_reminders_sweep(today=DAY), lambda: dbs_reminders_sweep(today=DAY))

    assert DbsReminder.objects.count() == due_reminders
    assert sorted(first.created_ids + second.created_ids) == sorted(DbsReminder.objects.values_list("pk", flat=True))
    assert set(DbsReminder.objects.values_list("status", flat=True)) == {DbsReminder.Status.SENT}
    sent = [(message.to[0], message.subject) for message in mail.outbox]
    assert len(sent) == len(set(sent)) == due_reminders


class SlowSmtpBackend(EmailBackend):
    """The locmem backend behind an SMTP server that holds each message until the test lets it go."""

    entered: ClassVar[threading.Event] = threading.Event()
    release: ClassVar[threading.Event] = threading.Event()

    def send_messages(self, email_messages: Any) -> int:
        SlowSmtpBackend.entered.set()
        assert SlowSmtpBackend.release.wait(timeout=30)
        return super().send_messages(email_messages)


def test_two_workers_sending_the_same_reminder_send_it_once(due_reminders: int, settings) -> None:
    """One worker is mid-send (SMTP slow) when a second copy of the task arrives: it is not claimed."""
    dbs_reminders_sweep(today=DAY)  # the sends ran at commit...
    reminder = DbsReminder.objects.filter(recipient=DbsReminder.Recipient.LEARNER).first()
    assert reminder is not None
    DbsReminder.objects.filter(pk=reminder.pk).update(status=DbsReminder.Status.PENDING, sent_at=None)
    mail.outbox.clear()  # ...so put one back as if it had not been sent yet
    settings.EMAIL_BACKEND = "tests.candidates.test_dbs_reminders_reliability.SlowSmtpBackend"
    SlowSmtpBackend.entered.clear()
    SlowSmtpBackend.release.clear()

    def second_worker() -> str:
        assert SlowSmtpBackend.entered.wait(timeout=30)  # the first is talking to the SMTP server
        try:
            return dbs_reminder_send(reminder_id=reminder.pk)
        finally:
            SlowSmtpBackend.release.set()

    results = in_threads(lambda: dbs_reminder_send(reminder_id=reminder.pk), second_worker)

    assert results == [SENT, NOT_CLAIMED]
    assert len(mail.outbox) == 1


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker on the test database, its output unbuffered so the test can read it as it comes."""
    assert settings.REDIS_URL, "REDIS_URL must point at the local Redis for this test"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.base",
        "DJANGO_DEBUG": "1",
        # The worker must read the test database that pytest-django created, not the real one.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
    }
    celery_app.control.purge()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "academy", "worker", "--pool=solo", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        bufsize=0,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def not_eager() -> Iterator[None]:
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def read_until(process: subprocess.Popen[bytes], text: str, timeout: float = 60) -> str:
    """The process's output up to the first line containing `text`; blocks on the pipe, never sleeps."""
    assert process.stdout is not None
    output = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in output:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([process.stdout], [], [], max(remaining, 0))
        chunk = os.read(process.stdout.fileno(), 65536) if ready else b""
        if not chunk:
            raise AssertionError(f"no {text!r} from the worker within {timeout} s:\n{output.decode(errors='replace')}")
        output += chunk
    return output.decode(errors="replace")


def test_a_real_worker_sends_a_reminder_queued_by_the_sweep_through_redis(worker, not_eager, staff: User) -> None:
    assert connection.vendor == "postgresql"
    today = timezone.localdate()  # the worker runs on the real clock: the reminder is due today
    DbsCheckFactory.create(
        candidate=CandidateFactory.create(email="real.worker@example.org"), started_on=today - timedelta(days=5)
    )

    result = dbs_reminders_sweep(today=today)

    assert (len(result.created_ids), result.queued_new) == (1, 1)
    output = read_until(worker, "succeeded")
    assert "Subject: Please finish your DBS application" in output
    assert "To: real.worker@example.org" in output
    assert "{'sent': 1}" in output
    reminder = DbsReminder.objects.get()
    assert (reminder.status, reminder.attempts) == (DbsReminder.Status.SENT, 1)
