"""DBS chases keep their own exactly-once claim but are delivered by the notifications layer's deliverer:
GOV.UK Notify when it is chosen (here a fake Notify on loopback), by email only (never a text: DBS is
special category data)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.core import mail

from academy.notifications.backends import DeliveryError
from candidates.models import Candidate, DbsReminder
from candidates.services.dbs_reminders import SENT, dbs_reminder_send, dbs_reminders_sweep
from tests.academy.fake_notify import EMAIL_TEMPLATE_ID, FakeNotify
from tests.candidates.factories_dbs_reminders import eight_am, submitted_check

pytestmark = pytest.mark.django_db
SUBMITTED = date(2026, 3, 2)
CHASE_DAY = SUBMITTED + timedelta(days=14)


@pytest.fixture
def fake_notify(settings) -> Iterator[FakeNotify]:
    with FakeNotify() as server:
        server.use(settings)
        yield server


@pytest.fixture
def reminder(candidate: Candidate, time_machine) -> DbsReminder:
    submitted_check(candidate, on=SUBMITTED)
    time_machine.move_to(eight_am(CHASE_DAY), tick=False)
    dbs_reminders_sweep(today=CHASE_DAY)
    return DbsReminder.objects.get()


def test_a_chase_goes_through_notify_by_email(fake_notify: FakeNotify, reminder: DbsReminder) -> None:
    assert dbs_reminder_send(reminder_id=reminder.pk) == SENT
    [email] = fake_notify.sent("email")
    assert email["json"]["email_address"] == "learner@example.org"
    assert email["json"]["template_id"] == EMAIL_TEMPLATE_ID
    assert email["json"]["personalisation"]["subject"] == "Has your DBS certificate arrived?"
    assert fake_notify.sent("sms") == [] and mail.outbox == []


def test_a_rate_limited_chase_waits_and_is_sent_once(fake_notify: FakeNotify, reminder: DbsReminder) -> None:
    fake_notify.state.rate_limited = 1
    with pytest.raises(DeliveryError, match="429"):  # an OSError: the send task retries it with backoff
        dbs_reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == DbsReminder.Status.PENDING and "429" in reminder.last_error

    assert dbs_reminder_send(reminder_id=reminder.pk) == SENT
    assert len(fake_notify.sent("email")) == 1
