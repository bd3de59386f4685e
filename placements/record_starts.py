"""The staff record page's "Work" section from this area: the personnel folder in brief and job starts."""

from __future__ import annotations

from django.db.models import Count, Q

from academy.models import User
from academy.permissions import is_academy_staff
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection, TimelineEntry
from placements.models import JobStart, PersonnelFolder, Reference


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """The folder's state (not its contents: those open on the folder page, which is audited) and the starts."""
    if not is_academy_staff(actor):
        return []
    # One query for the folder and its reference counts, one for the starts, however many there are.
    folder = (
        PersonnelFolder.objects.filter(candidate=candidate)
        .annotate(
            reference_count=Count("references"),
            satisfactory_count=Count("references", filter=Q(references__status=Reference.Status.RECEIVED)),
        )
        .first()
    )
    starts = list(JobStart.objects.filter(candidate=candidate).select_related("confirmed_by").order_by("-start_date"))
    timeline = [
        TimelineEntry(
            at=start.confirmed_at,
            area="Job start",
            what=f"Started at {start.employer_name} ({start.get_job_role_display()})",
            detail=f"From {start.start_date:%-d %B %Y}, {start.hours_per_week} hours a week",
            by=start.confirmed_by.get_full_name() if start.confirmed_by else "System",
        )
        for start in starts
    ]
    return [
        RecordSection(
            anchor="work",
            title="Personnel folder and job starts",
            template="placements/_record_starts.html",
            context={
                "folder": folder,
                "references": folder.reference_count if folder is not None else 0,
                "satisfactory_references": folder.satisfactory_count if folder is not None else 0,
                "job_starts": starts,
            },
            timeline=timeline,
        )
    ]
