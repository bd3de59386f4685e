"""Sending one rendered email over SMTP: below both the email helpers and the outbox, so neither
imports the other back (academy.emails writes to the outbox; the outbox sends with this)."""

from __future__ import annotations

from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def text_attachment(attachment: dict[str, str]) -> MIMEText:
    """A text file to attach ({"filename", "content", "mimetype", optional "method"}), e.g. an .ics invitation.

    A calendar's `method` (REQUEST, CANCEL) is also a parameter of its Content-Type, as mail clients expect.
    """
    maintype, subtype = attachment["mimetype"].split("/", 1)
    if maintype != "text":
        raise ValueError(f"Only text attachments are supported, not {attachment['mimetype']}")
    part = MIMEText(attachment["content"], subtype, "utf-8")
    if attachment.get("method"):
        part.set_param("method", attachment["method"])
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


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
    for attachment in message.get("attachments") or []:
        email.attach(text_attachment(attachment))
    email.send()
