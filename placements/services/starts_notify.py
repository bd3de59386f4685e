"""Messages of the interviews, offers and starts area: the learner by their channels, providers by email."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Candidate
from candidates.services.messages import candidate_notify
from providers.models import Provider


def learner_send(template: str, candidate: Candidate, context: dict[str, Any]) -> int:
    """Tell the learner by their channels (academy.notifications); returns how many messages were written."""
    return len(candidate_notify(candidate=candidate, template=f"placements/email/{template}", context={**context}))


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
