"""Email helpers: messages are rendered in the request, written to the outbox and sent by a worker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


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


def email_enqueue(message: dict[str, Any]) -> None:
    """Write the message to the outbox in the current transaction; a worker sends it after commit.

    Only the outbox row's id goes through the broker, and a broker outage only delays the email.
    """
    from academy.outbox import outbox_email

    outbox_email(message)
