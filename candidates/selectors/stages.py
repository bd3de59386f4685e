"""What the pipeline configuration screens read."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from candidates.models import PipelineStage, current_q


def stage_list(*, stages: QuerySet[PipelineStage]) -> QuerySet[PipelineStage]:
    """Stages in pipeline order, each with the number of current records in it, counted in SQL."""
    return stages.annotate(candidate_count=Count("candidates", filter=current_q("candidates"))).order_by(
        "position", "name"
    )
