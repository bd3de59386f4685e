"""Retention: certificate details go once the policy's months after the decision have passed."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck, DbsPolicy
from candidates.services import dbs_retention
from candidates.services.dbs_retention import dbs_purge_certificate_details
from candidates.tasks import dbs_purge_certificate_details_task
from tests.candidates.factories_dbs_reminders import DbsCheckFactory, cleared_check, eight_am, submitted_check
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

DECIDED = date(2026, 2, 27)


@pytest.fixture
def check(candidate: Candidate, staff: User) -> DbsCheck:
    return cleared_check(
        candidate,
        decided_on=DECIDED,
        decided_by=staff,
        status=DbsCheck.Status.DECISION_MADE,
        disclosure_notes="Caution in 2009; risk assessment: suitable.",
    )


def test_details_are_kept_until_the_retention_date_and_purged_the_day_after(
    check: DbsCheck, staff: User, time_machine
) -> None:
    assert dbs_purge_certificate_details(today=date(2026, 8, 27)) == 0  # six months after: still kept
    check.refresh_from_db()
    assert check.certificate_number == "001234567890"

    time_machine.move_to(eight_am(date(2026, 8, 28)), tick=False)
    assert dbs_purge_certificate_details(today=date(2026, 8, 28)) == 1

    check.refresh_from_db()
    assert (
        check.certificate_number,
        check.disclosure_notes,
        check.application_reference,
        check.original_seen_by,
        check.original_seen_at,
    ) == ("", "", "", None, None)
    assert check.details_purged_at == timezone.now()
    # The minimal record a decision needs stays.
    assert (check.level, check.certificate_issued_on, check.decision, check.decision_by, check.decision_on) == (
        DbsCheck.Level.ENHANCED_ADULTS,
        date(2026, 2, 17),
        DbsCheck.Decision.SUITABLE,
        staff,
        DECIDED,
    )


def test_each_purge_is_logged_against_its_check_without_the_details(check: DbsCheck) -> None:
    dbs_purge_certificate_details(today=date(2026, 9, 1))

    entry = AuditEntry.objects.get(action="dbs.details_purged")
    assert (entry.object_id, entry.actor_label) == (str(check.pk), "system")
    assert entry.data["reason"] == "retention"
    assert entry.data["retention_months"] == 6
    assert "001234567890" not in str(entry.data)


def test_a_second_run_purges_and_logs_nothing_more(check: DbsCheck) -> None:
    dbs_purge_certificate_details(today=date(2026, 9, 1))
    assert dbs_purge_certificate_details(today=date(2026, 9, 2)) == 0
    assert AuditEntry.objects.filter(action="dbs.details_purged").count() == 1


def test_the_policy_sets_how_long_details_are_kept(check: DbsCheck) -> None:
    DbsPolicy.objects.filter(pk=1).update(retention_months_after_decision=12)
    assert dbs_purge_certificate_details(today=date(2026, 9, 1)) == 0
    assert dbs_purge_certificate_details(today=date(2027, 2, 28)) == 1


def test_a_check_withdrawn_without_a_decision_is_purged_from_the_withdrawal(walk_in: Candidate) -> None:
    withdrawn = submitted_check(walk_in, on=date(2026, 1, 5), status=DbsCheck.Status.WITHDRAWN)
    DbsCheck.objects.filter(pk=withdrawn.pk).update(withdrawn_on=date(2026, 1, 20))
    assert dbs_purge_certificate_details(today=date(2026, 7, 20)) == 0
    assert dbs_purge_certificate_details(today=date(2026, 7, 21)) == 1
    withdrawn.refresh_from_db()
    assert withdrawn.application_reference == ""


def test_checks_still_moving_are_not_purged(walk_in: Candidate) -> None:
    submitted_check(walk_in, on=date(2026, 1, 6), certificate_number="001234567890")
    assert dbs_purge_certificate_details(today=date(2026, 9, 1)) == 0


def test_a_check_abandoned_before_a_decision_is_purged_a_year_after_its_last_step(
    walk_in: Candidate, time_machine
) -> None:
    """No decision and no withdrawal used to mean the certificate number was kept for ever."""
    stalled = submitted_check(
        walk_in, on=date(2024, 11, 4), certificate_issued_on=date(2024, 12, 2), certificate_number="009876543210"
    )
    assert DbsPolicy.current().retention_months_after_last_step == 12

    assert dbs_purge_certificate_details(today=date(2025, 12, 2)) == 0  # twelve months after: still kept
    time_machine.move_to(eight_am(date(2025, 12, 3)), tick=False)
    assert dbs_purge_certificate_details(today=date(2025, 12, 3)) == 1

    stalled.refresh_from_db()
    assert (stalled.certificate_number, stalled.application_reference) == ("", "")
    assert stalled.details_purged_at == timezone.now()
    assert (stalled.status, stalled.certificate_issued_on) == (DbsCheck.Status.SUBMITTED, date(2024, 12, 2))
    entry = AuditEntry.objects.get(action="dbs.details_purged", object_id=str(stalled.pk))
    assert entry.data["reason"] == "abandoned"
    assert entry.data["retention_months"] == 12
    assert "009876543210" not in str(entry.data)


def test_the_policy_sets_how_long_an_abandoned_check_is_kept(walk_in: Candidate) -> None:
    submitted_check(walk_in, on=date(2026, 1, 6))  # the last step: submitted on 6 January
    DbsPolicy.objects.filter(pk=1).update(retention_months_after_last_step=3)
    assert dbs_purge_certificate_details(today=date(2026, 4, 6)) == 0
    assert dbs_purge_certificate_details(today=date(2026, 4, 7)) == 1


def test_many_checks_are_purged_in_batches(staff: User, monkeypatch) -> None:
    monkeypatch.setattr(dbs_retention, "BATCH", 2)
    for _ in range(5):
        cleared_check(CandidateFactory.create(), decided_on=DECIDED, decided_by=staff)
    DbsCheckFactory.create()  # not decided: stays

    assert dbs_purge_certificate_details(today=date(2026, 9, 1)) == 5
    assert DbsCheck.objects.filter(details_purged_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="dbs.details_purged").count() == 5


def test_the_daily_task_purges_as_of_today(check: DbsCheck, time_machine) -> None:
    time_machine.move_to(eight_am(date(2026, 8, 27)), tick=False)
    assert dbs_purge_certificate_details_task.delay().get() == 0
    time_machine.move_to(eight_am(date(2026, 8, 28)), tick=False)
    assert dbs_purge_certificate_details_task.delay().get() == 1
