"""What was sent to a person and whether it arrived, for their record."""

from __future__ import annotations

from django.db.models import QuerySet

from academy.models import OutboxMessage
from candidates.models import Candidate


def candidate_messages(candidate: Candidate) -> QuerySet[OutboxMessage]:
    """Messages to `candidate` (kept NOTIFICATIONS_KEEP_DAYS), newest first; one query."""
    return OutboxMessage.objects.filter(candidate_link__candidate=candidate).order_by("-created_at", "-pk")
