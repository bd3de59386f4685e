"""Writing a notification to the outbox by the recipient's channels, and recording delivery receipts."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone

from academy.mail import html_from_text
from academy.models import OutboxMessage
from academy.notifications.quiet_hours import sms_send_time
from academy.notifications.recipients import ALL_CHANNELS, EMAIL, SMS, Recipient
from academy.notifications.render import has_sms_template, notification_render
from academy.outbox import outbox_write

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status


def notification_channels(*, template: str, recipient: Recipient, channels: tuple[str, ...]) -> list[str]:
    """The channels this message goes by: the recipient's choices it may use, else email if it has an address."""
    chosen = [
        channel
        for channel in recipient.channels
        if channel in channels and recipient.address(channel) and (channel != SMS or has_sms_template(template))
    ]
    if not chosen and EMAIL in channels and recipient.email:
        chosen = [EMAIL]
    return chosen


def notify(
    *,
    template: str,
    recipient: Recipient,
    context: dict[str, Any],
    channels: tuple[str, ...] = ALL_CHANNELS,
    attachments: list[dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> list[OutboxMessage]:
    """Write `template` for `recipient` to the outbox, one row per channel it goes by; sent after commit.

    Call it inside the transaction of the change it tells about. A text written at night is held
    until the morning (quiet_hours). Returns the rows (none when there is no address to use).
    """
    now = now or timezone.now()
    rows = []
    chosen = notification_channels(template=template, recipient=recipient, channels=channels)
    for channel in chosen:
        try:
            rendered = notification_render(prefix=template, channel=channel, context=context)
        except ValueError:
            # A text too long to send whole (a long name in it): by email instead, never cut short.
            logger.exception("Text of %s too long; sent by email instead", template)
            if EMAIL not in chosen and EMAIL in channels and recipient.email:
                chosen.append(EMAIL)
            continue
        is_email = channel == EMAIL
        rows.append(
            outbox_write(
                kind=template[:120],
                channel=channel,
                to=[recipient.address(channel)],
                from_email=settings.DEFAULT_FROM_EMAIL if is_email else "",
                subject=rendered.subject,
                body=rendered.body,
                html=html_from_text(subject=rendered.subject, body=rendered.body) if is_email else "",
                attachments=list(attachments or []) if is_email else [],
                on_record=recipient.on_record,
                next_attempt_at=now if is_email else sms_send_time(now),
            )
        )
    return rows


# Notify's final statuses (its callbacks documentation) and what staff read for each failure.
RECEIPT_FAILURES = {
    "permanent-failure": "Not delivered: the number or address does not exist or refuses messages.",
    "temporary-failure": "Not delivered: the phone was off or the inbox full for 72 hours.",
    "technical-failure": "Not delivered: GOV.UK Notify had a technical problem.",
}


def delivery_receipt_record(*, reference: str, status: str) -> bool:
    """Record Notify's final word on a message it accepted; False when no sent message has that reference.

    A receipt for a message already marked delivered or failed changes nothing (receipts can repeat).
    """
    if not reference:
        return False
    sent = OutboxMessage.objects.filter(reference=reference, status=Status.SENT)
    if status == "delivered":
        return sent.update(status=Status.DELIVERED, last_error="", updated_at=timezone.now()) == 1
    if status in RECEIPT_FAILURES:
        changed = sent.update(status=Status.FAILED, last_error=RECEIPT_FAILURES[status], updated_at=timezone.now())
        if changed:
            logger.warning("Notify reported %s for message %s", status, reference)
        return changed == 1
    return False
