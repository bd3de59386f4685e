"""Emails of the interviews, offers and starts area: who gets them, rendered into the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Candidate
from providers.models import Provider


def learner_email(candidate: Candidate) -> str:
    return candidate.email or (candidate.user.email if candidate.user_id and candidate.user else "")


def provider_emails(provider: Provider) -> list[str]:
    """The addresses of the provider's active users (sorted, so messages are stable)."""
    return sorted(
        User.objects.filter(provider_membership__provider=provider, is_active=True).values_list("email", flat=True)
    )


def send(template: str, to: list[str], context: dict[str, Any], attachments: list[dict[str, Any]] | None = None) -> int:
    """Write one email per address to the outbox (each person gets their own); returns how many."""
    sent = 0
    for address in dict.fromkeys(a for a in to if a):
        message = email_render(
            template_prefix=f"placements/email/{template}",
            to=[address],
            context={"site_url": settings.SITE_URL, **context},
        )
        if attachments:
            message["attachments"] = attachments
        email_enqueue(message)
        sent += 1
    return sent
