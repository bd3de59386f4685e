"""The issue's "done when", with the clock moved forward a day at a time: chases on the right days, once each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from academy.models import User
from candidates.models import Candidate, DbsCheck, DbsReminder
from candidates.services import dbs as dbs_services
from candidates.services.dbs_retention import dbs_purge_certificate_details
from tests.candidates.factories_dbs_reminders import Sweeper, eight_am, sent_to

pytestmark = pytest.mark.django_db

LEARNER, STAFF = "learner@example.org", "staff@example.org"


def test_learner_and_staff_receive_the_chases_on_the_right_days_once_each(
    candidate: Candidate, staff: User, time_machine, django_capture_on_commit_callbacks
) -> None:
    candidate.owner = staff
    candidate.save(update_fields=["owner"])
    sweep = Sweeper(time_machine, django_capture_on_commit_callbacks)
    received: dict[int, list[tuple[str, str]]] = {}

    def days(first: int, last: int) -> None:
        """Run the daily sweep on days `first` to `last` after the start, noting what each sent."""
        for n in range(first, last + 1):
            before = len(mail.outbox)
            sweep(start + timedelta(days=n))
            if len(mail.outbox) > before:
                received[n] = sent_to(mail.outbox[before:])

    start = date(2026, 3, 2)
    time_machine.move_to(eight_am(start), tick=False)
    check = dbs_services.dbs_check_start(
        candidate=candidate,
        actor=staff,
        level=DbsCheck.Level.ENHANCED_ADULTS,
        workforce=DbsCheck.Workforce.ADULT,
        paid_by=DbsCheck.PaidBy.ACADEMY,
        started_on=start,
    )
    days(0, 6)
    check = dbs_services.dbs_check_verify_id(check=check, actor=staff, id_verified_on=start + timedelta(days=6))
    days(7, 7)
    check = dbs_services.dbs_check_submit(
        check=check, actor=staff, submitted_on=start + timedelta(days=7), application_reference="E001234567"
    )
    days(8, 50)
    time_machine.move_to(eight_am(start + timedelta(days=50)), tick=False)
    check = dbs_services.dbs_check_certificate_issued(
        check=check,
        actor=staff,
        certificate_number="0012 3456 7890",
        certificate_issued_on=start + timedelta(days=48),
    )
    check = dbs_services.dbs_check_original_seen(check=check, actor=staff)
    check = dbs_services.dbs_check_clear(check=check, actor=staff, decision_on=start + timedelta(days=50))
    days(51, 80)

    assert received == {
        5: [(LEARNER, "Please finish your DBS application")],
        21: [(LEARNER, "Has your DBS certificate arrived?")],
        35: [(LEARNER, "Your DBS certificate: we are chasing it"), (STAFF, "DBS certificate overdue: Lena Learner")],
    }
    assert DbsReminder.objects.exclude(status=DbsReminder.Status.SENT).count() == 0

    # Six months after the decision the certificate number goes; the decision stays.
    assert check.decision_on == date(2026, 4, 21)
    assert dbs_purge_certificate_details(today=date(2026, 10, 21)) == 0
    assert dbs_purge_certificate_details(today=date(2026, 10, 22)) == 1
    check.refresh_from_db()
    assert (check.certificate_number, check.application_reference, check.original_seen_by) == ("", "", None)
    assert (check.decision, check.decision_by, check.certificate_issued_on) == (
        DbsCheck.Decision.SUITABLE,
        staff,
        start + timedelta(days=48),
    )
