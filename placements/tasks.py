"""Placements' background work: thin tasks that call one service each."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from placements.services import alerts, feedback, interviews, vacancies
from placements.services.follow_ups import follow_up_reminders_send, follow_ups_sweep


@shared_task
def follow_ups_sweep_task() -> int:
    """Daily: make today's follow-up reminder attempts and queue them; returns how many reminders were created."""
    return follow_ups_sweep(today=timezone.localdate()).reminders_created


# Retries wait up to 1, 2, 4, 8, 16 minutes (jittered); a reminder still unsent after them stays pending
# and the next daily sweep queues it again. Permanent failures are not retried.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, retry_jitter=True, max_retries=5)
def follow_up_reminders_send_task(reminder_ids: list[int]) -> dict[str, int]:
    """Send follow-up reminders, each once (claimed by a conditional update); temporary SMTP errors retry the batch."""
    return follow_up_reminders_send(reminder_ids=reminder_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def vacancies_close_expired_task() -> int:
    """Daily, after midnight: close published vacancies whose closing date has passed."""
    return vacancies.vacancies_close_expired()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def interviews_remind_task() -> int:
    """Hourly: the day-before reminder of each interview in the next 24 hours, sent once (claimed)."""
    return interviews.interviews_remind()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def readiness_feedback_sweep_task() -> int:
    """Daily: create the readiness feedback that is due and email each provider once; returns emails claimed."""
    return feedback.readiness_feedback_sweep().requested


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=1800, soft_time_limit=1740)
def job_alerts_sweep_task() -> int:
    """Every morning: send each due job alert's new vacancies (each alert claimed, each vacancy once)."""
    return alerts.job_alerts_sweep().sent
