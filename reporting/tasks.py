"""Background work for reports: thin tasks that call one service each."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from reporting.impact import services
from reporting.impact.services import BUILD_TIME_LIMIT_SECONDS


# acks_late and reject_on_worker_lost: a worker that dies mid-build leaves the message unacknowledged, so it
# is delivered again with the same task id, which takes its own claim back and finishes (services docstring).
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=BUILD_TIME_LIMIT_SECONDS,
    soft_time_limit=BUILD_TIME_LIMIT_SECONDS - 30,
)
def impact_report_build_task(self: Task[Any, Any], report_id: int) -> str:
    """Build one impact report by its id (claimed, so a report already ready or being built is left alone)."""
    return services.impact_report_build(report_id=report_id, task_id=str(self.request.id or ""))


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=90)
def impact_reports_schedule_task() -> dict[str, Any]:
    """First day of each quarter: one report per academy for the quarter just ended (once, however often run)."""
    result = services.impact_reports_schedule(today=timezone.localdate())
    return {"quarter": result.quarter.label, "created": len(result.created_ids), "skipped": result.skipped}


@shared_task
def impact_reports_sweep_task() -> dict[str, int]:
    """Every ten minutes: queue again builds whose worker died or whose message never reached the broker."""
    return asdict(services.impact_reports_sweep())
