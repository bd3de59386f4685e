"""Sending one rendered email over SMTP: below both the email helpers and the outbox, so neither
imports the other back (academy.emails writes to the outbox; the outbox sends with this)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def email_send_now(message: dict[str, Any]) -> None:
    """Send a message rendered by `email_render` (or allauth); raises on SMTP failure."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    email.send()
