"""Background work for placements: thin tasks that call one service each."""

from __future__ import annotations

from celery import shared_task

from placements.services import interviews


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def interviews_remind_task() -> int:
    """Hourly: the day-before reminder of each interview in the next 24 hours, sent once (claimed)."""
    return interviews.interviews_remind()
