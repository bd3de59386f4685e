"""The job applications and suggested vacancies sections of the staff record page (gathered by placements/record.py)."""

from __future__ import annotations

from academy.models import User
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection, TimelineEntry
from placements.models import JobApplication
from placements.permissions import can_refer_to_vacancy, job_applications_visible_to
from placements.selectors.job_applications import job_application_detail_queryset
from placements.selectors.matching import suggested_vacancies


def _timeline(applications: list[JobApplication]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=change.changed_at,
            area="Job application",
            what=f"{application.vacancy}: {change.get_to_status_display()}",
            detail=change.reason,
            by=change.changed_by.get_full_name() if change.changed_by is not None else "System",
        )
        for application in applications
        for change in application.status_changes.all()
    ]


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """The person's job applications (with history for the timeline) and, for staff, suggested vacancies."""
    applications = list(
        job_application_detail_queryset(job_applications_visible_to(actor).filter(candidate=candidate)).order_by(
            "-created_at", "-pk"
        )
    )
    sections = [
        RecordSection(
            anchor="job-applications",
            title="Job applications",
            template="placements/_record_job_applications.html",
            context={"applications": applications},
            timeline=_timeline(applications),
        )
    ]
    if can_refer_to_vacancy(actor) and candidate.is_current:
        sections.append(
            RecordSection(
                anchor="suggested-vacancies",
                title="Suggested vacancies",
                template="placements/_record_suggested_vacancies.html",
                context={"suggestions": suggested_vacancies(candidate=candidate), "candidate": candidate},
            )
        )
    return sections
