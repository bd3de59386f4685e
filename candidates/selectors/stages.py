"""What the pipeline configuration screens read."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from candidates.models import PipelineStage


def stage_list(*, stages: QuerySet[PipelineStage]) -> QuerySet[PipelineStage]:
    """Stages in pipeline order, each with the number of current (not merged) records in it, counted in SQL."""
    return stages.annotate(
        candidate_count=Count("candidates", filter=Q(candidates__merged_into__isnull=True))
    ).order_by("position", "name")
