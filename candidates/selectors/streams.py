"""Which funding streams a person counts for, and which they could still be attributed to."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from academy.models import FundingStream
from candidates.models import Candidate, StreamAttribution


def candidate_attributions(candidate: Candidate) -> QuerySet[StreamAttribution]:
    """The person's attributions, newest first, with the stream and who attributed them joined."""
    return (
        StreamAttribution.objects.filter(candidate=candidate)
        .select_related("stream", "attributed_by")
        .order_by("-attributed_on", "-id")
    )


def attributable_streams(candidate: Candidate, *, today: dt.date | None = None) -> QuerySet[FundingStream]:
    """Streams open today that the person does not count for yet, by name."""
    today = today or timezone.localdate()
    return (
        FundingStream.objects.filter(start_date__lte=today, end_date__gte=today)
        .exclude(attributions__candidate=candidate)
        .order_by("name")
    )
