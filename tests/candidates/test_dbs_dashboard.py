"""The staff DBS dashboard: counts and RAG by status, the list, turnaround, chases not sent, renewals; the policy."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck, DbsPolicy, DbsReminder
from candidates.selectors.dbs_dashboard import (
    dbs_dashboard_list,
    dbs_overdue_chases,
    dbs_rechecks_due,
    dbs_renewals_due,
    dbs_status_counts,
    dbs_turnaround,
    last_full_quarter,
    percentile,
)
from candidates.views.dbs_dashboard import DbsDashboardView
from tests.candidates.factories_dbs_records import TODAY, at_status
from tests.factories import CandidateFactory, first_academy_id

pytestmark = pytest.mark.django_db

Status = DbsCheck.Status


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def policy() -> DbsPolicy:
    return DbsPolicy.current()  # first chase 14 days, second 28


def submitted_days_ago(days: int, **extra: Any) -> DbsCheck:
    """A check whose last step (submission) was `days` before TODAY."""
    return at_status(Status.SUBMITTED, started_on=TODAY - timedelta(days=days + 2), **extra)


# --- RAG and counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "rag"), [(0, "green"), (13, "green"), (14, "amber"), (27, "amber"), (28, "red")])
def test_rag_by_days_since_the_last_step(days: int, rag: str, policy: DbsPolicy) -> None:
    check = submitted_days_ago(days)
    row = dbs_dashboard_list(today=TODAY, policy=policy, academy_id=first_academy_id()).get(pk=check.pk)
    assert (row.last_step_on, row.rag) == (TODAY - timedelta(days=days), rag)


def test_rag_follows_the_policy(policy: DbsPolicy) -> None:
    check = submitted_days_ago(10)
    policy.chase_certificate_first_days, policy.chase_certificate_second_days = 5, 10
    assert dbs_dashboard_list(today=TODAY, policy=policy, academy_id=first_academy_id()).get(pk=check.pk).rag == "red"


def test_a_check_waiting_for_a_decision_ages_from_its_certificate(policy: DbsPolicy, staff: User) -> None:
    check = at_status(Status.RISK_ASSESSMENT, staff=staff, certificate_issued_on=TODAY - timedelta(days=20))
    row = dbs_dashboard_list(today=TODAY, policy=policy, academy_id=first_academy_id()).get(pk=check.pk)
    assert row.rag == "amber"


def test_counts_by_status_only_count_current_checks_of_current_records(policy: DbsPolicy, staff: User) -> None:
    person = CandidateFactory.create()
    at_status(Status.WITHDRAWN, candidate=person, started_on=TODAY - timedelta(days=100))
    submitted_days_ago(1, candidate=person)  # the current one
    submitted_days_ago(20)
    submitted_days_ago(40)
    at_status(Status.CLEARED, staff=staff)
    gone = submitted_days_ago(3)
    Candidate.objects.filter(pk=gone.candidate_id).update(anonymised_at=timezone.now())

    counts = {row.status: row for row in dbs_status_counts(today=TODAY, policy=policy, academy_id=first_academy_id())}
    submitted = counts[Status.SUBMITTED]
    assert (submitted.total, submitted.green, submitted.amber, submitted.red) == (3, 1, 1, 1)
    assert counts[Status.CLEARED].total == 1
    assert counts[Status.WITHDRAWN].total == 0
    assert not counts[Status.CLEARED].in_progress
    assert [row.status for row in counts.values()] == list(Status.values)


def test_the_list_is_oldest_first_and_filters(policy: DbsPolicy, staff: User) -> None:
    newer, older = submitted_days_ago(2), submitted_days_ago(30)
    verified = at_status(Status.ID_VERIFIED, started_on=TODAY - timedelta(days=16))
    at_status(Status.CLEARED, staff=staff)
    assert list(dbs_dashboard_list(today=TODAY, policy=policy, academy_id=first_academy_id())) == [
        older,
        verified,
        newer,
    ]
    assert list(
        dbs_dashboard_list(
            today=TODAY, policy=policy, academy_id=first_academy_id(), status=Status.SUBMITTED, rag="red"
        )
    ) == [older]
    assert list(dbs_dashboard_list(today=TODAY, policy=policy, academy_id=first_academy_id(), rag="amber")) == [
        verified
    ]
    assert (
        len(dbs_dashboard_list(today=TODAY, policy=policy, academy_id=first_academy_id(), status=Status.CLEARED)) == 1
    )


# --- turnaround ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 5, 13), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 12, 31), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 4, 1), (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_last_full_quarter(today: date, quarter: tuple[date, date]) -> None:
    assert last_full_quarter(today) == quarter


@pytest.mark.parametrize("values", [[5.0], [1.0, 2.0], [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]])
def test_percentile_interpolates_like_percentile_cont(values: list[float]) -> None:
    ordered = sorted(values)
    assert percentile(ordered, 0.5) == statistics.median(values)
    if len(values) > 1:
        assert percentile(ordered, 0.9) == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[8])


def _turnarounds(days: list[int], issued_on: date) -> None:
    for n in days:
        at_status(
            Status.CERTIFICATE_ISSUED,
            started_on=issued_on - timedelta(days=n + 2),
            submitted_on=issued_on - timedelta(days=n),
            certificate_issued_on=issued_on,
        )


def test_turnaround_for_the_last_full_quarter() -> None:
    _turnarounds([10, 20, 30, 40, 100], issued_on=date(2026, 2, 15))
    _turnarounds([1], issued_on=date(2026, 4, 2))  # this quarter: not counted
    _turnarounds([500], issued_on=date(2025, 12, 31))  # the quarter before: not counted
    figures = dbs_turnaround(today=TODAY)
    assert (figures.start, figures.end, figures.count) == (date(2026, 1, 1), date(2026, 3, 31), 5)
    assert figures.median_days == 30
    assert figures.p90_days == pytest.approx(76)  # 40 + 0.6 * (100 - 40)


def test_turnaround_with_no_certificates() -> None:
    figures = dbs_turnaround(today=TODAY)
    assert (figures.count, figures.median_days, figures.p90_days) == (0, None, None)


def test_turnaround_counts_anonymised_records() -> None:
    _turnarounds([12], issued_on=date(2026, 2, 15))
    Candidate.objects.update(anonymised_at=timezone.now())
    assert dbs_turnaround(today=TODAY).count == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_percentile_cont_agrees_with_the_fallback(monkeypatch) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    _turnarounds([3, 8, 8, 15, 21, 40, 41], issued_on=date(2026, 2, 15))
    in_sql = dbs_turnaround(today=TODAY)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    in_python = dbs_turnaround(today=TODAY)
    assert (in_sql.count, in_sql.median_days) == (in_python.count, in_python.median_days) == (7, 15)
    assert in_sql.p90_days == pytest.approx(in_python.p90_days)


# --- chases and renewals ------------------------------------------------------------------------


def test_overdue_chases_are_reminders_due_before_today_not_sent() -> None:
    check = submitted_days_ago(30)
    make = DbsReminder.objects.create
    stuck = make(dbs_check=check, kind="certificate_chase_1", recipient="learner", due_on=TODAY - timedelta(days=16))
    make(
        dbs_check=check,
        kind="certificate_chase_2",
        recipient="learner",
        due_on=TODAY - timedelta(days=2),
        status="sent",
    )
    make(dbs_check=check, kind="certificate_chase_2", recipient="staff", due_on=TODAY)  # due today: the sweep's job
    chases = dbs_overdue_chases(today=TODAY, academy_id=first_academy_id())
    assert (chases.rows, chases.total, chases.more) == ([stuck], 1, 0)


def test_a_reminder_the_mail_server_rejected_is_a_chase_not_sent_whenever_it_was_due() -> None:
    check = submitted_days_ago(30)
    failed = DbsReminder.objects.create(
        dbs_check=check,
        kind="certificate_chase_2",
        recipient="learner",
        due_on=TODAY,
        status="failed",
        last_error="The mail server rejected it for good (550 No such user).",
    )
    assert dbs_overdue_chases(today=TODAY, academy_id=first_academy_id()).rows == [failed]


def test_renewals_and_rechecks_due_within_notice(policy: DbsPolicy, staff: User) -> None:
    soon = at_status(
        Status.CLEARED,
        staff=staff,
        update_service_id="C0123456789",
        update_service_renewal_due_on=TODAY + timedelta(days=30),
        recheck_due_on=TODAY + timedelta(days=60),
    )
    at_status(
        Status.CLEARED,
        staff=staff,
        update_service_id="C0123456780",
        update_service_renewal_due_on=TODAY + timedelta(days=31),
        recheck_due_on=TODAY + timedelta(days=61),
    )
    assert dbs_renewals_due(today=TODAY, policy=policy, academy_id=first_academy_id()).rows == [soon]
    assert dbs_rechecks_due(today=TODAY, policy=policy, academy_id=first_academy_id()).rows == [soon]


# --- the pages ----------------------------------------------------------------------------------


@pytest.fixture
def on_today(time_machine) -> None:
    time_machine.move_to(timezone.make_aware(datetime.combine(TODAY, time(10, 0))), tick=False)


def _add_checks(n: int, staff: User) -> None:
    for i in range(n):
        check = submitted_days_ago(i * 3)
        DbsReminder.objects.create(
            dbs_check=check, kind="certificate_chase_1", recipient="learner", due_on=TODAY - timedelta(days=1)
        )
        at_status(
            Status.CLEARED,
            staff=staff,
            update_service_id=f"C{i:010d}",
            update_service_renewal_due_on=TODAY + timedelta(days=i),
            recheck_due_on=TODAY + timedelta(days=i),
        )


def test_dashboard_query_count_does_not_grow(
    on_today: None, client_for: Callable[[str], Client], staff: User, django_assert_num_queries
) -> None:
    client = client_for("staff")
    url = reverse("candidates:dbs-dashboard")
    client.get(url)
    _add_checks(2, staff)
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
    _add_checks(20, staff)
    with django_assert_num_queries(14):
        response = client.get(url)
    page = html(response)
    assert "And 12 more." in page  # 22 renewals, the first 10 shown
    assert "the 10 oldest of 22" in page


def test_dashboard_filters_and_paginates(
    on_today: None, client_for: Callable[[str], Client], staff: User, monkeypatch
) -> None:
    monkeypatch.setattr(DbsDashboardView, "paginate_by", 2)
    for days in (1, 20, 30, 40):
        submitted_days_ago(days)
    client = client_for("staff")
    page = html(client.get(reverse("candidates:dbs-dashboard"), {"status": "submitted", "page": "2"}))
    assert 'aria-label="Page 2"' in page
    assert "status=submitted&amp;page=1" in page  # the filter survives a change of page
    assert "Showing <b>3</b> to <b>4</b> of <b>4</b>" in page
    red = html(client.get(reverse("candidates:dbs-dashboard"), {"rag": "red"}))
    assert red.count("Overdue</strong>") == 2
    page = html(client.get(reverse("candidates:dbs-dashboard"), {"status": "cleared"}))
    assert "No checks match" in page


def test_dashboard_empty(on_today: None, client_for: Callable[[str], Client], staff: User) -> None:
    page = html(client_for("staff").get(reverse("candidates:dbs-dashboard")))
    assert "No checks match" in page
    assert "No certificates were issued in that quarter" in page
    assert "Every reminder due has gone out" in page


def test_manager_changes_the_policy(client_for: Callable[[str], Client], manager: User) -> None:
    url = reverse("candidates:dbs-policy")
    client = client_for("manager")
    data = {
        "recheck_interval_months": "24",
        "retention_months_after_decision": "6",
        "retention_months_after_last_step": "18",
        "chase_application_days": "5",
        "chase_certificate_first_days": "14",
        "chase_certificate_second_days": "28",
        "update_service_renewal_notice_days": "30",
        "recheck_notice_days": "60",
    }
    assert 'value="36"' in html(client.get(url))
    response = client.post(url, data)
    assert response.status_code == 302
    assert DbsPolicy.current().recheck_interval_months == 24
    assert DbsPolicy.current().retention_months_after_last_step == 18
    assert AuditEntry.objects.get(action="dbs.policy_update").actor == manager


def test_policy_errors_name_the_field(client_for: Callable[[str], Client], manager: User) -> None:
    response = client_for("manager").post(
        reverse("candidates:dbs-policy"),
        {
            "recheck_interval_months": "three years",
            "retention_months_after_decision": "0",
            "retention_months_after_last_step": "0",
            "chase_application_days": "",
            "chase_certificate_first_days": "14",
            "chase_certificate_second_days": "10",
            "update_service_renewal_notice_days": "30",
            "recheck_notice_days": "60",
        },
    )
    page = html(response)
    assert "<title>Error: DBS policy" in page
    assert "Enter the recheck interval as a whole number of months" in page
    assert "How long certificate details are kept after the decision must be 1 months or more" in page
    assert "How long certificate details are kept when a check stalls must be 1 months or more" in page
    assert "Enter when to chase an application not completed in days" in page
    response = client_for("manager").post(
        reverse("candidates:dbs-policy"),
        {
            "recheck_interval_months": "36",
            "retention_months_after_decision": "6",
            "retention_months_after_last_step": "12",
            "chase_application_days": "5",
            "chase_certificate_first_days": "14",
            "chase_certificate_second_days": "10",
            "update_service_renewal_notice_days": "30",
            "recheck_notice_days": "60",
        },
    )
    assert "The second chase must come after the first chase" in html(response)


def test_a_notice_over_a_year_is_refused_with_the_reason(client_for: Callable[[str], Client], manager: User) -> None:
    data = {
        "recheck_interval_months": "36",
        "retention_months_after_decision": "6",
        "chase_application_days": "5",
        "chase_certificate_first_days": "14",
        "chase_certificate_second_days": "28",
        "update_service_renewal_notice_days": "30",
        "recheck_notice_days": "400",
    }
    response = client_for("manager").post(reverse("candidates:dbs-policy"), data)

    page = html(response)
    assert response.status_code == 200 and "<title>Error: DBS policy" in page
    assert "The notice before a recheck must be between 1 and 365 days" in page
    assert DbsPolicy.current().recheck_notice_days == 60
