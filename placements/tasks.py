"""Background work for placements: thin tasks that call one service each."""

from __future__ import annotations

from celery import shared_task

from placements.services import feedback


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def readiness_feedback_sweep_task() -> int:
    """Daily: create the readiness feedback that is due and email each provider once; returns emails claimed."""
    return feedback.readiness_feedback_sweep().requested
