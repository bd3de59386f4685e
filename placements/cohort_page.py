"""What placements adds to the staff cohort page (found by courses.selectors.cohort_page through
academy.discovery): each learner's work placement status, and a link to the cohort's placements."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from courses.models import Cohort, Enrolment
from courses.selectors.cohort_page import LearnerCell, LearnerColumn
from placements.models import WorkPlacement

TAGS = {
    WorkPlacement.Status.PLANNED: "grey",
    WorkPlacement.Status.IN_PROGRESS: "blue",
    WorkPlacement.Status.COMPLETED: "yellow",
    WorkPlacement.Status.SIGNED_OFF: "green",
    WorkPlacement.Status.ENDED_EARLY: "orange",
}


def learner_columns(cohort: Cohort, enrolments: Sequence[Enrolment]) -> list[LearnerColumn]:
    """A "Work placement" column: each learner's latest placement from this cohort (one query)."""
    latest: dict[int, WorkPlacement] = {}
    placements = (
        WorkPlacement.objects.filter(cohort=cohort)
        .select_related("provider")
        .order_by("candidate_id", "-start_date", "-pk")
    )
    for placement in placements:
        latest.setdefault(placement.candidate_id, placement)
    cells = {}
    for enrolment in enrolments:
        found = latest.get(enrolment.candidate_id)
        if found is not None:
            cells[enrolment.pk] = LearnerCell(
                text=found.get_status_display(),
                tag=TAGS[WorkPlacement.Status(found.status)],
                url=reverse("placements:work-placement-detail", kwargs={"public_id": found.public_id}),
                hint=f"{found.provider.name}, {found.start_date:%-d %b} to {found.end_date:%-d %b}",
            )
    return [
        LearnerColumn(
            heading="Work placement",
            cells=cells,
            link_text="Work placements",
            link_url=reverse("placements:cohort-placements", kwargs={"public_id": cohort.public_id}),
        )
    ]
