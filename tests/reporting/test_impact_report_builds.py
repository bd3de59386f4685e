"""Asking for, scheduling and building impact reports: versions, exactly once, crashes and retries."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.models import Academy, AuditEntry, User
from academy.periods import Quarter
from reporting import tasks
from reporting.impact import services
from reporting.impact.services import (
    ALREADY_READY,
    FAILED,
    LEASE,
    NOT_CLAIMED,
    READY,
    impact_report_build,
    impact_report_request,
    impact_reports_schedule,
    impact_reports_sweep,
)
from reporting.models import ImpactReport, ImpactReportStatusChange

pytestmark = pytest.mark.django_db

QUARTER = Quarter.numbered(2026, 2)  # July to September 2026
FIRST_DAY_AFTER = date(2026, 10, 1)


@pytest.fixture
def academy() -> Academy:
    return Academy.objects.default()


@pytest.fixture
def second_academy() -> Academy:
    return Academy.objects.create(name="Fylde Care Academy", slug="fylde")


def files_of(report: ImpactReport) -> list[Path]:
    folder = Path(report.file.storage.path(f"reports/{report.public_id}"))
    return sorted(folder.iterdir()) if folder.exists() else []


def stored_bytes(report: ImpactReport) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def test_asking_queues_a_version_and_the_worker_builds_it(
    figures_known, academy: Academy, manager: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    assert len(callbacks) == 1  # one build queued, after commit
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY
    assert report.requested_by == manager
    assert report.quarter_label == QUARTER.label
    assert (report.period_start, report.period_end) == (QUARTER.start, QUARTER.end)
    assert report.filters["academy_ids"] == [academy.pk]
    data = stored_bytes(report)
    assert data.startswith(b"%PDF-")
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.size == len(data)
    assert report.page_count and report.page_count >= 2
    history = list(report.status_changes.order_by("changed_at", "id").values_list("from_status", "to_status"))
    assert history == [("", "queued"), ("queued", "running"), ("running", "ready")]
    assert AuditEntry.objects.filter(action="impact_report.queued", actor=manager, object_id=str(report.pk)).exists()


def test_asking_again_adds_a_version_and_keeps_the_old_one(figures_known, academy: Academy, manager: User) -> None:
    first = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    impact_report_build(report_id=first.pk, task_id="t1")
    second = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    impact_report_build(report_id=second.pk, task_id="t2")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.status == second.status == ImpactReport.Status.READY
    assert first.file.name != second.file.name
    assert first.file.storage.exists(first.file.name)
    # Another quarter starts its own numbering.
    other = impact_report_request(actor=manager, academy=academy, quarter=QUARTER.previous(), today=FIRST_DAY_AFTER)
    assert other.version == 1


def test_a_quarter_that_has_not_started_cannot_be_asked_for(academy: Academy, manager: User) -> None:
    with pytest.raises(ValidationError, match="not started"):
        impact_report_request(actor=manager, academy=academy, quarter=QUARTER.next().next(), today=FIRST_DAY_AFTER)


def test_a_ready_report_is_not_built_again(figures_known, academy: Academy, manager: User) -> None:
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    assert impact_report_build(report_id=report.pk, task_id="t1") == READY
    report.refresh_from_db()
    changes = report.status_changes.count()
    assert impact_report_build(report_id=report.pk, task_id="t1") == ALREADY_READY
    assert impact_report_build(report_id=report.pk, task_id="t2") == ALREADY_READY
    assert report.status_changes.count() == changes
    assert len(files_of(report)) == 1
    assert len(figures_known) == 1  # the figures were computed once


def test_a_build_being_run_is_not_taken_by_another_task(figures_known, academy: Academy, manager: User) -> None:
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    ImpactReport.objects.filter(pk=report.pk).update(
        status=ImpactReport.Status.RUNNING, claimed_by="busy", claimed_at=timezone.now()
    )
    assert impact_report_build(report_id=report.pk, task_id="another") == NOT_CLAIMED
    assert figures_known == []


class WorkerDied(BaseException):
    """What the worker's death looks like from inside: not an Exception, so nothing handles it."""


def test_a_task_retried_after_its_worker_died_stores_one_version_with_the_right_checksum(
    figures_known, academy: Academy, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    real_save = FileSystemStorage.save

    def save_then_die(self: FileSystemStorage, name: str, content: Any, max_length: int | None = None) -> str:
        real_save(self, name, content, max_length=max_length)  # the file is written ...
        raise WorkerDied  # ... and the worker is killed before the report is marked ready

    with monkeypatch.context() as patched, pytest.raises(WorkerDied):
        patched.setattr(FileSystemStorage, "save", save_then_die)
        impact_report_build(report_id=report.pk, task_id="task-1")
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.RUNNING
    assert len(files_of(report)) == 1  # the dead worker's file

    # The broker delivers the same message again (acks_late, reject_on_worker_lost): same task id.
    assert impact_report_build(report_id=report.pk, task_id="task-1") == READY
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY
    files = files_of(report)
    assert len(files) == 1
    assert Path(report.file.path) == files[0]
    assert report.sha256 == hashlib.sha256(files[0].read_bytes()).hexdigest()
    assert ImpactReport.objects.count() == 1
    assert report.attempts == 2
    assert report.status_changes.filter(to_status="running", reason__startswith="Started again").count() == 1


def test_the_sweep_queues_again_a_build_whose_worker_died_after_the_lease(
    figures_known, academy: Academy, manager: User, django_capture_on_commit_callbacks
) -> None:
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    claimed_at = timezone.now()
    ImpactReport.objects.filter(pk=report.pk).update(
        status=ImpactReport.Status.RUNNING, claimed_by="dead", claimed_at=claimed_at
    )
    # Within the lease the claim is the dead worker's still: nothing is released.
    assert impact_reports_sweep(now=claimed_at + LEASE - timedelta(seconds=1)).released == 0
    with django_capture_on_commit_callbacks(execute=True):
        result = impact_reports_sweep(now=claimed_at + LEASE + timedelta(seconds=1))
    assert result.released == 1
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY
    assert len(files_of(report)) == 1


def test_a_build_killed_every_time_is_failed_rather_than_queued_for_ever(
    academy: Academy, manager: User, django_capture_on_commit_callbacks
) -> None:
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    claimed_at = timezone.now()
    ImpactReport.objects.filter(pk=report.pk).update(
        status=ImpactReport.Status.RUNNING, claimed_by="dead", claimed_at=claimed_at, attempts=services.MAX_ATTEMPTS
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        result = impact_reports_sweep(now=claimed_at + LEASE + timedelta(seconds=1))
    assert (result.released, queued) == (0, [])
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.FAILED
    assert "could not be built in time" in report.error


def test_a_failed_build_says_so_and_can_be_asked_for_again(
    academy: Academy, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(scope: object) -> object:
        raise RuntimeError("database went away")

    monkeypatch.setattr("reporting.figures.report_figures", broken, raising=False)
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    assert impact_report_build(report_id=report.pk, task_id="t1") == FAILED
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.FAILED
    assert "Ask for it again" in report.error
    assert "database went away" not in report.error
    assert not report.file
    assert files_of(report) == []


def test_the_schedule_makes_one_report_per_academy_for_the_quarter_just_ended(
    figures_known, academy: Academy, second_academy: Academy, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = impact_reports_schedule(today=FIRST_DAY_AFTER)
    assert first.quarter == QUARTER
    assert len(first.created_ids) == 2
    reports = ImpactReport.objects.order_by("academy__name")
    assert [(r.academy, r.scheduled, r.requested_by, r.status) for r in reports] == [
        (academy, True, None, ImpactReport.Status.READY),
        (second_academy, True, None, ImpactReport.Status.READY),
    ]


def test_beat_firing_twice_makes_one_report_per_academy(
    figures_known, academy: Academy, second_academy: Academy, django_capture_on_commit_callbacks, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 10, 1, 6, 0, tzinfo=ZoneInfo("Europe/London")))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.impact_reports_schedule_task.delay()
        tasks.impact_reports_schedule_task.delay()
    assert ImpactReport.objects.filter(period_start=QUARTER.start, scheduled=True).count() == 2
    assert ImpactReport.objects.filter(status=ImpactReport.Status.READY).count() == 2
    assert len(figures_known) == 2
    # A manager's own request that quarter is a version beside the scheduled one, not refused.
    assert ImpactReport.objects.filter(academy=academy).get().version == 1


def test_the_database_refuses_a_second_scheduled_report_for_the_same_quarter(academy: Academy) -> None:
    """The control: the constraint, not the check before the insert, is what makes it once."""
    fields = {
        "academy": academy,
        "scope_key": f"academy:{academy.pk}",
        "period_start": QUARTER.start,
        "period_end": QUARTER.end,
        "quarter_label": QUARTER.label,
        "scheduled": True,
    }
    ImpactReport.objects.create(version=1, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImpactReport.objects.create(version=2, **fields)


def test_the_schedule_skips_when_the_check_before_the_insert_misses_a_concurrent_one(
    figures_known, academy: Academy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two beats at once: both pass the existence check, the second insert hits the constraint and is skipped."""
    impact_reports_schedule(today=FIRST_DAY_AFTER)
    real_filter = ImpactReport.objects.filter

    class Blind:
        def __init__(self, qs: object) -> None:
            self.qs = qs

        def filter(self, *args: object, **kwargs: object) -> object:
            result = self.qs.filter(*args, **kwargs)  # type: ignore[attr-defined]
            return result.none() if kwargs.get("scheduled") else Blind(result)

        def __getattr__(self, name: str) -> object:
            return getattr(self.qs, name)

    monkeypatch.setattr(
        services.ImpactReport.objects, "filter", lambda *a, **k: Blind(real_filter(*a, **k)), raising=False
    )
    result = impact_reports_schedule(today=FIRST_DAY_AFTER)
    assert result.created_ids == []
    assert result.skipped == 1
    monkeypatch.undo()
    assert ImpactReport.objects.filter(scheduled=True).count() == 1


def test_status_history_rows_belong_to_their_report(figures_known, academy: Academy, manager: User) -> None:
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    impact_report_build(report_id=report.pk, task_id="t1")
    assert ImpactReportStatusChange.objects.filter(report=report).count() == 3


def test_a_report_whose_message_was_lost_is_queued_again(
    academy: Academy, manager: User, django_capture_on_commit_callbacks
) -> None:
    report = impact_report_request(actor=manager, academy=academy, quarter=QUARTER, today=FIRST_DAY_AFTER)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert impact_reports_sweep(now=report.requested_at + timedelta(minutes=1)).requeued == 0
    assert queued == []
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert impact_reports_sweep(now=report.requested_at + services.QUEUED_GRACE * 2).requeued == 1
    assert len(queued) == 1


def test_the_build_task_survives_a_dead_worker_and_has_time_limits() -> None:
    task = tasks.impact_report_build_task
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.time_limit == services.BUILD_TIME_LIMIT_SECONDS
    assert task.soft_time_limit is not None and task.soft_time_limit < task.time_limit
    assert services.LEASE.total_seconds() > services.BUILD_TIME_LIMIT_SECONDS


def test_beat_runs_the_schedule_on_the_first_day_of_each_quarter(settings) -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE["reporting-impact-reports-schedule"]
    assert schedule["task"] == "reporting.tasks.impact_reports_schedule_task"
    assert schedule["schedule"].day_of_month == {1}
    assert schedule["schedule"].month_of_year == {1, 4, 7, 10}
