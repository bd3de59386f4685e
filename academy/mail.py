"""Sending one rendered email over SMTP: below both the email helpers and the outbox, so neither
imports the other back (academy.emails writes to the outbox; the outbox sends with this)."""

from __future__ import annotations

import re
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe


def html_from_text(*, subject: str, body: str) -> str:
    """The HTML part of an email written as plain text: the same words in paragraphs, links made clickable,
    under the academy's name. Every email has both parts, from one source, so they never disagree."""
    paragraphs: list[SafeString] = [
        # urlize escapes the text (autoescape) and adds the links; the line breaks are ours.
        mark_safe(urlize(paragraph.strip(), autoescape=True).replace("\n", "<br>\n"))  # noqa: S308
        for paragraph in re.split(r"\n\s*\n", body)
        if paragraph.strip()
    ]
    return render_to_string(
        "email/base.html",
        {"subject": subject, "paragraphs": paragraphs, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL},
    )


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
    html = message.get("html") or html_from_text(subject=message["subject"], body=message["body"])
    email.attach_alternative(html, "text/html")
    for attachment in message.get("attachments") or []:
        email.attach(text_attachment(attachment))
    email.send()
