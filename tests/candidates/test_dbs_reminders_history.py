"""Staff see each check's reminder history (templates/candidates/dbs/_reminders.html)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, DbsCheck, DbsReminder
from tests.candidates.factories_dbs_reminders import submitted_check

pytestmark = pytest.mark.django_db

Kind = DbsReminder.Kind
Recipient = DbsReminder.Recipient
Status = DbsReminder.Status


@pytest.fixture
def check(candidate: Candidate) -> DbsCheck:
    check = submitted_check(candidate, on=date(2026, 2, 2))
    DbsReminder.objects.bulk_create(
        [
            DbsReminder(
                dbs_check=check,
                kind=Kind.CERTIFICATE_FIRST_CHASE,
                recipient=Recipient.LEARNER,
                due_on=date(2026, 2, 16),
                recipient_email="learner@example.org",
                status=Status.SENT,
                sent_at=timezone.make_aware(datetime.combine(date(2026, 2, 16), time(8, 0, 5))),
                attempts=2,
            ),
            DbsReminder(
                dbs_check=check,
                kind=Kind.CERTIFICATE_SECOND_CHASE,
                recipient=Recipient.LEARNER,
                due_on=date(2026, 3, 2),
                recipient_email="learner@example.org",
                status=Status.PENDING,
                attempts=1,
                last_error="Sending failed, will try again: Connection unexpectedly closed",
            ),
            DbsReminder(
                dbs_check=check,
                kind=Kind.CERTIFICATE_SECOND_CHASE,
                recipient=Recipient.STAFF,
                due_on=date(2026, 3, 2),
                status=Status.SKIPPED,
                last_error="Nobody with an active account owns this record.",
            ),
            DbsReminder(
                dbs_check=check,
                kind=Kind.CERTIFICATE_FIRST_CHASE,
                recipient=Recipient.STAFF,
                due_on=date(2026, 2, 16),
                recipient_email="owner@example.org",
                status=Status.FAILED,
                attempts=1,
                last_error="The mail server rejected it for good (554 Message rejected as spam).",
            ),
        ]
    )
    return check


def test_the_history_lists_each_reminder_with_where_it_went_and_what_happened(check: DbsCheck) -> None:
    html = render_to_string(
        "candidates/dbs/_reminders.html", {"reminders": list(check.reminders.order_by("-due_on", "kind"))}
    )
    assert html.count('<tr class="govuk-table__row">') == 5  # the header and four reminders
    assert "No certificate yet (first chase)" in html
    assert "16 Feb 2026 08:00" in html  # sent at
    assert "2 attempts" in html
    assert "Waiting to send" in html
    assert "Sending failed, will try again: Connection unexpectedly closed" in html
    assert "Not sent" in html
    assert "No email address" in html
    assert "Nobody with an active account owns this record." in html
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in html
    assert "The mail server rejected it for good (554 Message rejected as spam)." in html


def test_an_empty_history_says_so() -> None:
    assert "No reminders have been due about this check." in render_to_string(
        "candidates/dbs/_reminders.html", {"reminders": []}
    )


def test_the_check_page_shows_its_reminders_to_staff(check: DbsCheck, client_for) -> None:
    response = client_for("staff").get(reverse("candidates:dbs-detail", kwargs={"public_id": check.public_id}))
    assert response.status_code == 200
    assert "Waiting to send" in response.content.decode()
    assert [r.pk for r in response.context["reminders"]] == list(
        check.reminders.order_by("-due_on", "kind").values_list("pk", flat=True)
    )
