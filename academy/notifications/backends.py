"""Handing one outbox row to whatever delivers it; returns the deliverer's reference for receipts.

- Email with NOTIFICATIONS_BACKEND "notify": GOV.UK Notify's generic email template, our rendered
  subject and body as its personalisation. An email with attachments (an interview's calendar file)
  goes by Django's mail instead: Notify's generic template cannot carry them.
- Email otherwise: Django's mail (SMTP from EMAIL_URL, the console in the embedded default).
- Text with "notify": Notify's generic text template. Otherwise the text is written to the log.
Notify's answers become a DeliveryError that says whether trying again could help (the outbox
decides what to do with it, as it does for SMTP's answers).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from academy.mail import email_send_now
from academy.models import OutboxMessage
from academy.notifications.recipients import SMS

logger = logging.getLogger(__name__)


@dataclass
class DeliveryError(Exception):
    """A deliverer's refusal: `permanent` never succeeds on retry; `server_down` would fail the next ones too."""

    permanent: bool
    server_down: bool
    reason: str

    def __str__(self) -> str:
        return self.reason


def notify_error(exc: APIError) -> DeliveryError:
    """Notify's documented replies: 400 is about this message (bad number or address, team-only key) and
    final; 429 (rate or daily limit), 403 (a key revoked or mistyped: an operator fixes it) and 5xx or no
    answer are about the service, for now."""
    code = exc.status_code
    reason = f"GOV.UK Notify {code}: {_message(exc)}"[:250]
    if code == 400:
        return DeliveryError(permanent=True, server_down=False, reason=reason)
    return DeliveryError(permanent=False, server_down=True, reason=reason)


def _message(exc: APIError) -> str:
    message = exc.message
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message)
    return str(message)


@lru_cache(maxsize=4)
def _client(api_key: str, base_url: str, timeout: int) -> NotificationsAPIClient:
    return NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)


def notify_client() -> NotificationsAPIClient:
    return _client(settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL, settings.NOTIFY_TIMEOUT_SECONDS)


def deliver(row: OutboxMessage) -> str:
    """Send one claimed row; returns the deliverer's reference ("" when it has none). Raises on failure."""
    use_notify = settings.NOTIFICATIONS_BACKEND == "notify"
    if row.channel == SMS:
        return _notify_sms(row) if use_notify else _log_sms(row)
    if use_notify and not row.attachments:
        return _notify_email(row)
    email_send_now(
        {
            "subject": row.subject,
            "body": row.body,
            "html": row.html,
            "to": row.to,
            "from_email": row.from_email,
            "attachments": row.attachments,
        }
    )
    return ""


def _notify_email(row: OutboxMessage) -> str:
    try:
        response = notify_client().send_email_notification(
            email_address=row.to[0],
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": row.subject, "body": row.body},
            reference=f"outbox-{row.pk}",
        )
    except APIError as exc:
        raise notify_error(exc) from exc
    return str(response["id"])


def _notify_sms(row: OutboxMessage) -> str:
    try:
        response = notify_client().send_sms_notification(
            phone_number=row.to[0],
            template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"body": row.body},
            reference=f"outbox-{row.pk}",
        )
    except APIError as exc:
        raise notify_error(exc) from exc
    return str(response["id"])


def _log_sms(row: OutboxMessage) -> str:
    # The embedded default's "console" for texts, as Django's console backend is for email.
    logger.info("Text message to %s: %s", row.to[0], row.body)
    return ""
