"""Exactly once on PostgreSQL: two morning runs at once (two beats, a redelivered task) send each job alert
once, and the unique constraint on what an alert listed is the second guard when the claim is taken away.
Run by .ci/run with DATABASE_URL (PostgreSQL); deselected in `make test`."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from academy.models import OutboxMessage
from placements.models import JobAlert, JobAlertVacancy
from placements.services import alerts
from placements.services.alerts import job_alerts_sweep
from tests.concurrency import slowed
from tests.factories import CandidateFactory
from tests.placements.factories_vacancies import VacancyFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def in_threads(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
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
    return results, errors


@pytest.fixture
def alert_with_news() -> JobAlert:
    assert connection.vendor == "postgresql"
    alert = JobAlert.objects.create(candidate=CandidateFactory.create(), text="carer")
    for title in ("Home carer", "Night carer"):
        VacancyFactory.create(title=title, published_at=timezone.now() + dt.timedelta(seconds=1))
    return alert


def test_two_runs_at_once_send_the_alert_once(alert_with_news: JobAlert, monkeypatch) -> None:
    # Both runs read the due alerts before either claims one: only the conditional update decides.
    slowed(monkeypatch, alerts, "job_alert_new_vacancies")
    today = timezone.localdate()
    results, errors = in_threads(lambda: job_alerts_sweep(today=today), lambda: job_alerts_sweep(today=today))
    assert errors == []
    assert sorted(r.sent for r in results) == [0, 1]
    assert OutboxMessage.objects.filter(kind=alerts.TEMPLATE).count() == 1
    assert JobAlertVacancy.objects.count() == 2


def test_without_the_claim_the_unique_constraint_still_stops_a_second_message(
    alert_with_news: JobAlert, monkeypatch
) -> None:
    """The control: with no claim, both runs read the same new vacancies; the constraint refuses the second
    run's rows, its transaction rolls back, and its message (written in it) goes too."""
    monkeypatch.setattr(alerts, "_claim", lambda alert_id, today: True)
    slowed(monkeypatch, alerts, "job_alert_new_vacancies")
    today = timezone.localdate()
    run = lambda: alerts.job_alert_run(alert_id=alert_with_news.pk, today=today)  # noqa: E731
    results, errors = in_threads(run, run)
    assert [type(e) for e in errors] == [IntegrityError]
    assert results.count(2) == 1
    assert OutboxMessage.objects.filter(kind=alerts.TEMPLATE).count() == 1
    assert JobAlertVacancy.objects.count() == 2
