"""The staff record page's "Work" section from this area: the personnel folder in brief and job starts."""

from __future__ import annotations

from academy.models import User
from academy.permissions import is_academy_staff
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection, TimelineEntry
from placements.models import JobStart, PersonnelFolder, Reference


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """The folder's state (not its contents: those open on the folder page, which is audited) and the starts."""
    if not is_academy_staff(actor):
        return []
    folder = PersonnelFolder.objects.filter(candidate=candidate).first()
    references = list(folder.references.all()) if folder is not None else []
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
                "references": len(references),
                "satisfactory_references": sum(1 for r in references if r.status == Reference.Status.RECEIVED),
                "job_starts": starts,
            },
            timeline=timeline,
        )
    ]
