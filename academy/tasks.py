"""Background work for the core: thin tasks that call one service each."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.core.management import call_command

from academy import emails, services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send_task(message: dict[str, Any]) -> None:
    """Send one already-rendered email; SMTP errors (OSError) are retried with backoff."""
    emails.email_send_now(message)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_task(invitation_id: int, token: str) -> bool:
    """Email an invitation link; returns False when it was already sent or is no longer pending."""
    return services.invitation_send(invitation_id=invitation_id, token=token)


@shared_task
def sessions_clear_expired_task() -> None:
    """Delete expired sessions (the database session store never does this itself)."""
    call_command("clearsessions")
