"""The demo's reminder history (candidates/demo_dbs_reminders.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from academy.models import Role, User
from candidates.demo import seed_candidates
from candidates.demo_dbs import seed_dbs
from candidates.demo_dbs_reminders import seed_dbs_reminders
from candidates.models import Candidate, DbsCheck, DbsReminder
from candidates.selectors.dbs_dashboard import dbs_overdue_chases
from candidates.services.dbs_reminders import dbs_reminders_sweep
from candidates.services.records import candidate_for_learner
from tests.candidates.factories_dbs_reminders import DbsCheckFactory, cleared_check, submitted_check
from tests.factories import ProviderFactory, UserFactory, first_academy_id

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


def test_with_the_demo_checks_it_adds_what_the_sweep_would_and_keeps_their_chases_waiting(staff: User) -> None:
    ProviderFactory.create(name="Riverside Home Care")
    for n in range(1, 6):
        candidate_for_learner(UserFactory.create(email=f"learner{n}@demo.academy", role=Role.LEARNER))
    seed_candidates(owners=[staff])
    seed_dbs(today=TODAY)
    before = set(DbsReminder.objects.values_list("pk", "status"))

    seed_dbs_reminders(today=TODAY)
    seed_dbs_reminders(today=TODAY)

    after = set(DbsReminder.objects.values_list("pk", "status"))
    assert before < after  # seed_dbs's reminders untouched; the renewal and recheck notices added
    assert {kind for (kind,) in DbsReminder.objects.exclude(pk__in=[pk for pk, _ in before]).values_list("kind")} == {
        DbsReminder.Kind.UPDATE_SERVICE_RENEWAL,
        DbsReminder.Kind.RECHECK_DUE,
    }
    assert dbs_overdue_chases(today=TODAY, academy_id=first_academy_id()).total == 3
    assert dbs_reminders_sweep(today=TODAY, dry_run=True).planned == []
