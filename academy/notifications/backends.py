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
from functools import lru_cache
from typing import Any

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from academy.mail import email_send_now
from academy.models import OutboxMessage
from academy.notifications.recipients import SMS

logger = logging.getLogger(__name__)


class DeliveryError(OSError):
    """A deliverer's refusal: `permanent` never succeeds on retry; `server_down` would fail the next ones too.

    An OSError, as a dropped SMTP connection is, so the senders that retry those retry this alike.
    """

    def __init__(self, *, permanent: bool, server_down: bool, reason: str) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.server_down = server_down
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def notify_error(exc: APIError) -> DeliveryError:
    """Notify's documented replies: 400 is about this message (bad number or address, team-only key) and
    final; 429 (rate or daily limit), 403 (a key revoked or mistyped: an operator fixes it) and 5xx or no
    answer are about the service, for now."""
    code = exc.status_code
    reason = f"GOV.UK Notify {code}: {_message(exc)}"[:250] if code != 400 else f"{code}: {_message(exc)}"[:250]
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
    if row.channel == SMS:
        return _notify_sms(row) if settings.NOTIFICATIONS_BACKEND == "notify" else _log_sms(row)
    return email_deliver_now(
        {
            "subject": row.subject,
            "body": row.body,
            "html": row.html,
            "to": row.to,
            "from_email": row.from_email,
            "attachments": row.attachments,
        },
        reference=f"outbox-{row.pk}",
    )


def email_deliver_now(message: dict[str, Any], *, reference: str = "") -> str:
    """Send a rendered email now by the configured deliverer (academy.emails' dict, one or more addresses);
    returns Notify's id of the last one ("" by SMTP). For senders with their own exactly-once claim (the
    DBS and follow-up reminders); everything else goes through the outbox."""
    if settings.NOTIFICATIONS_BACKEND != "notify" or message.get("attachments"):
        email_send_now(message)
        return ""
    notification_id = ""
    for address in message["to"]:
        try:
            response = notify_client().send_email_notification(
                email_address=address,
                template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                personalisation={"subject": message["subject"], "body": message["body"]},
                reference=reference or None,
            )
        except APIError as exc:
            raise notify_error(exc) from exc
        notification_id = str(response["id"])
    return notification_id


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
