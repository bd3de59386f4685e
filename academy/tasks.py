"""Background work for the core: thin tasks that call one service each."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from academy import file_jobs, outbox


# acks_late (settings): a worker that dies mid-send leaves the row claimed; the sweep releases it.
@shared_task
def outbox_send_task(message_id: int) -> str:
    """Send one outbox message by its id (never its content: personal data stays out of the broker)."""
    return outbox.outbox_send(message_id=message_id)


@shared_task
def outbox_sweep_task() -> dict[str, int]:
    """Every minute: send outbox messages still pending (broker was down, retry due); release dead claims."""
    return asdict(outbox.outbox_sweep())


@shared_task
def sessions_clear_expired_task() -> None:
    """Delete expired sessions (the database session store never does this itself)."""
    call_command("clearsessions")


# Its own time limit: a million-row export takes minutes, longer than the default for tasks.
@shared_task(time_limit=settings.FILE_JOB_TIME_LIMIT_SECONDS, soft_time_limit=settings.FILE_JOB_TIME_LIMIT_SECONDS - 30)
def file_job_build_task(job_id: int) -> str:
    """Build one requested file by its job id (claimed, so a redelivery never builds it twice)."""
    return file_jobs.file_job_build(job_id=job_id)


@shared_task
def file_jobs_sweep_task() -> dict[str, int]:
    """Every five minutes: delete expired files, fail jobs whose worker died, queue again lost ones."""
    return asdict(file_jobs.file_jobs_sweep())
