"""Rendering a notification's template for one channel: the wording lives in the project's templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from academy.notifications.recipients import SMS

# Two text-message parts (153 characters each when joined): longer texts cost more and are read less.
SMS_MAX_CHARS = 306


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def has_sms_template(prefix: str) -> bool:
    """Whether the message may go by text at all: only templates with a reviewed `_sms.txt` can."""
    try:
        get_template(f"{prefix}_sms.txt")
    except TemplateDoesNotExist:
        return False
    return True


def notification_render(*, prefix: str, channel: str, context: dict[str, Any]) -> Rendered:
    """The subject and body of `prefix` for `channel`; a text is one paragraph of plain words.

    Raises ValueError for a text longer than SMS_MAX_CHARS, so an over-long text is never sent cut.
    """
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    if channel != SMS:
        return Rendered(subject, render_to_string(f"{prefix}_message.txt", context))
    body = " ".join(render_to_string(f"{prefix}_sms.txt", context).split())
    if len(body) > SMS_MAX_CHARS:
        raise ValueError(f"The text of {prefix} is {len(body)} characters, more than {SMS_MAX_CHARS}.")
    return Rendered(subject, body)
