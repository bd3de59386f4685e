"""Background work for placements: thin tasks that call one service each."""

from __future__ import annotations

from celery import shared_task

from placements.services import vacancies


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def vacancies_close_expired_task() -> int:
    """Daily, after midnight: close published vacancies whose closing date has passed."""
    return vacancies.vacancies_close_expired()
