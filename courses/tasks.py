"""Background work for courses: thin tasks that call one service each."""

from __future__ import annotations

from celery import shared_task

from courses.services import applications, cohort_status


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def offers_expire_task() -> int:
    """Daily: expire course offers not answered in time and offer the seats to the waiting lists."""
    return applications.offers_expire()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def cohorts_advance_status_task() -> int:
    """Daily, after midnight: close full cohorts, start the ones starting today, finish the ones that ended."""
    return cohort_status.cohorts_advance_status().total
