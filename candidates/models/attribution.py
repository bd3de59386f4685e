"""A learner charged to a funding stream: which funder's figures count them (a learner may count for several)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from academy.models import FundingStream, TimeStampedModel
from candidates.models.candidate import Candidate


class StreamAttribution(TimeStampedModel):
    """`candidate` counts towards `stream`'s figures from `attributed_on`, for the reason given."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="stream_attributions")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="attributions")
    attributed_on = models.DateField()
    attributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["stream__name"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "stream"], name="candidates_attribution_once_per_stream")
        ]

    def __str__(self) -> str:
        return f"{self.candidate} counts for {self.stream}"
