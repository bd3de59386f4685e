"""Background work for the core: thin tasks that call one service each."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from django.core.management import call_command

from academy import outbox


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
