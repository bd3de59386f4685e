"""Two beats, two requests, two workers at the same moment (PostgreSQL, each in its own thread and transaction).

The schedule's check for an existing report is slowed so that both runs read before either inserts: the
partial unique constraint then decides, and the second run skips. Two requests at once take versions 1
and 2. Two workers given the same report build it once (the conditional claim).

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/reporting`.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import date

import pytest
from django.db import connection
from django.db.models import QuerySet

from academy.models import Academy, Role
from academy.periods import Quarter
from reporting.impact import services
from reporting.models import ImpactReport
from tests.concurrency import DONE, at_once
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

QUARTER = Quarter.numbered(2026, 2)
FIRST_DAY_AFTER = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _postgresql_and_no_queue(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    queued: list[int] = []
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, report_id: queued.append(report_id))
    return queued


def test_two_beats_at_once_make_one_report_per_academy(monkeypatch: pytest.MonkeyPatch) -> None:
    Academy.objects.default()
    Academy.objects.create(name="Fylde Care Academy", slug="fylde")
    real_exists = QuerySet.exists
    both_read = threading.Barrier(2, timeout=2.0)

    def slow_exists(self: QuerySet[ImpactReport]) -> bool:
        found = real_exists(self)
        if self.model is ImpactReport:
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait()
        return found

    monkeypatch.setattr(QuerySet, "exists", slow_exists)
    outcomes = at_once(
        lambda: services.impact_reports_schedule(today=FIRST_DAY_AFTER),
        lambda: services.impact_reports_schedule(today=FIRST_DAY_AFTER),
    )
    assert outcomes == [DONE, DONE]
    assert ImpactReport.objects.filter(scheduled=True, period_start=QUARTER.start).count() == 2
    assert sorted(ImpactReport.objects.values_list("academy__slug", flat=True)) == sorted(
        Academy.objects.values_list("slug", flat=True)
    )


def test_two_requests_at_once_take_consecutive_versions() -> None:
    academy = Academy.objects.default()
    managers = [UserFactory.create(role=Role.MANAGER), UserFactory.create(role=Role.MANAGER)]
    outcomes = at_once(
        *[
            lambda m=m: services.impact_report_request(actor=m, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
            for m in managers
        ]
    )
    assert outcomes == [DONE, DONE]
    assert sorted(ImpactReport.objects.values_list("version", flat=True)) == [1, 2]


def test_two_workers_given_the_same_report_build_it_once(figures_known) -> None:
    academy = Academy.objects.default()
    manager = UserFactory.create(role=Role.MANAGER)
    report = services.impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    results: list[str] = []
    at_once(
        lambda: results.append(services.impact_report_build(report_id=report.pk, task_id="worker-1")),
        lambda: results.append(services.impact_report_build(report_id=report.pk, task_id="worker-2")),
    )
    assert sorted(results) == [services.NOT_CLAIMED, services.READY]
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY
    assert report.status_changes.filter(to_status="ready").count() == 1
