"""What the work placement pages read: lists (staff and provider), a cohort's placements, one placement."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from courses.models import Cohort
from placements.models import WorkPlacement, WorkPlacementStatusChange


def work_placement_list(
    *, scope: QuerySet[WorkPlacement], status: str = "", search: str = ""
) -> QuerySet[WorkPlacement]:
    """Placements in the user's scope, filtered by status and by a learner's, provider's or cohort's name.

    Two queries a page whatever its length (the count and the rows with their learner, provider, cohort).
    """
    placements = scope.select_related("candidate", "provider", "cohort__course")
    if status:
        placements = placements.filter(status=status)
    for word in search.split()[:5]:
        placements = placements.filter(
            Q(candidate__first_name__icontains=word)
            | Q(candidate__last_name__icontains=word)
            | Q(provider__name__icontains=word)
            | Q(cohort__name__icontains=word)
        )
    return placements.order_by("-start_date", "candidate__last_name", "pk")


def cohort_work_placements(cohort: Cohort) -> QuerySet[WorkPlacement]:
    """The cohort's placements by learner, then date."""
    return (
        WorkPlacement.objects.filter(cohort=cohort)
        .select_related("candidate", "provider")
        .order_by("candidate__last_name", "candidate__first_name", "start_date", "pk")
    )


def work_placement_history(placement: WorkPlacement) -> QuerySet[WorkPlacementStatusChange]:
    """The placement's moves, newest first, with who made them."""
    return placement.status_changes.select_related("changed_by").order_by("-changed_at", "-pk")


def my_work_placements(scope: QuerySet[WorkPlacement]) -> QuerySet[WorkPlacement]:
    """A learner's own placements (their scope), newest first, for their courses page."""
    return scope.select_related("provider", "cohort__course").order_by("-start_date", "pk")
