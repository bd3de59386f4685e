"""Scheduled work for candidates (beat schedule in settings)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from candidates.services.dbs_reminders import dbs_reminders_send, dbs_reminders_sweep
from candidates.services.dbs_retention import dbs_purge_certificate_details
from candidates.services.imports import candidate_imports_purge


@shared_task
def candidate_imports_purge_task() -> int:
    """Clear the people's details held by uncommitted imports once they are old enough."""
    return candidate_imports_purge()


@shared_task
def dbs_reminders_sweep_task() -> int:
    """Daily: create the DBS reminders due today and queue them; returns how many were created."""
    return len(dbs_reminders_sweep(today=timezone.localdate()).created_ids)


# Retries wait up to 1, 2, 4, 8, 16 minutes (jittered); a reminder still unsent after them stays
# pending and the next daily sweep queues it again. Permanent failures are not retried.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, retry_jitter=True, max_retries=5)
def dbs_reminders_send_task(reminder_ids: list[int]) -> dict[str, int]:
    """Send DBS reminders, each once (claimed by a conditional update); temporary SMTP errors retry the batch."""
    return dbs_reminders_send(reminder_ids=reminder_ids)


@shared_task
def dbs_purge_certificate_details_task() -> int:
    """Daily: purge DBS certificate details past their retention date; returns how many checks."""
    return dbs_purge_certificate_details(today=timezone.localdate())
