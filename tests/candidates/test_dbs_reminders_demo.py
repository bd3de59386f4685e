"""The demo's reminder history (candidates/demo_dbs_reminders.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from academy.models import User
from candidates.demo_dbs_reminders import seed_dbs_reminders
from candidates.models import Candidate, DbsCheck, DbsReminder
from tests.candidates.factories_dbs_reminders import DbsCheckFactory, cleared_check, submitted_check

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def test_demo_reminders_have_a_history_an_overdue_chase_and_purged_details(
    candidate: Candidate,
    walk_in: Candidate,
    other_candidate: Candidate,
    staff: User,
    django_capture_on_commit_callbacks,
) -> None:
    submitted_check(candidate, on=TODAY - timedelta(days=40))  # chased long ago
    DbsCheckFactory.create(candidate=walk_in, started_on=TODAY - timedelta(days=5))  # chase due today
    old = cleared_check(other_candidate, decided_on=TODAY - timedelta(days=200), decided_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        seed_dbs_reminders(today=TODAY)
        seed_dbs_reminders(today=TODAY)

    assert sorted(DbsReminder.objects.values_list("kind", "status")) == [
        (DbsReminder.Kind.APPLICATION_INCOMPLETE, DbsReminder.Status.PENDING),
        (DbsReminder.Kind.CERTIFICATE_SECOND_CHASE, DbsReminder.Status.SENT),
        (DbsReminder.Kind.CERTIFICATE_SECOND_CHASE, DbsReminder.Status.SKIPPED),  # nobody owns the record
    ]
    assert mail.outbox == []  # demo data sends nothing
    old.refresh_from_db()
    assert old.certificate_number == "" and old.decision == DbsCheck.Decision.SUITABLE
