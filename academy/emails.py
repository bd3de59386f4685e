"""Email helpers: messages are rendered in the request, written to the outbox and sent by a worker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from academy.mail import email_send_now
from academy.outbox import outbox_email

__all__ = ["email_enqueue", "email_render", "email_send_now"]


def email_render(*, template_prefix: str, to: list[str], context: dict[str, Any]) -> dict[str, Any]:
    """Render `<prefix>_subject.txt`, `_message.txt` and optional `_message.html` to a plain dict."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    message: dict[str, Any] = {
        "subject": subject,
        "body": render_to_string(f"{template_prefix}_message.txt", context),
        "to": to,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "kind": template_prefix,
    }
    return message


def email_enqueue(message: dict[str, Any]) -> None:
    """Write the message to the outbox in the current transaction; a worker sends it after commit.

    Only the outbox row's id goes through the broker, and a broker outage only delays the email.
    """
    outbox_email(message)
