"""The work placements and CV section of the staff record page, and each placement move for the timeline.

Three queries whatever the number of placements and comments: the placements, their status changes,
and the CV with its open comments counted.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from academy.models import User
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection, TimelineEntry
from placements.models import Cv, WorkPlacementStatusChange
from placements.permissions import can_coach_on_cv, work_placements_visible_to


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    if not can_coach_on_cv(actor):
        return []
    placements = list(
        work_placements_visible_to(actor)
        .filter(candidate=candidate)
        .select_related("provider", "cohort__course")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=WorkPlacementStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk"),
            )
        )
        .order_by("-start_date", "pk")
    )
    cv = (
        Cv.objects.filter(candidate=candidate)
        .annotate(
            comment_count=Count("comments"), open_comments=Count("comments", filter=Q(comments__resolved_at=None))
        )
        .first()
    )
    timeline = [
        TimelineEntry(
            at=change.changed_at,
            area="Work placement",
            what=f"{placement.provider.name}: {change.get_to_status_display()}",
            detail=change.reason,
            by=change.changed_by.get_full_name() if change.changed_by is not None else "System",
        )
        for placement in placements
        for change in placement.status_changes.all()
    ]
    return [
        RecordSection(
            anchor="work-placements",
            title="Work placements and CV",
            template="placements/_record_work.html",
            context={"placements": placements, "cv": cv, "candidate": candidate},
            timeline=timeline,
        )
    ]
