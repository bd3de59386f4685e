"""What courses adds to the staff record page (found by candidates.selectors.journey.record_sections).

Two sections, the person's courses (applications, enrolments with attendance and outcome) and
their learner support payments, and every application and enrolment status change for the
record's timeline.
"""

from __future__ import annotations

from academy.models import StatusChange, User
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection, TimelineEntry
from courses.models import Application, Enrolment
from courses.permissions import can_run_cohorts
from courses.selectors.candidate_record import candidate_courses


def _by(change: StatusChange) -> str:
    return change.changed_by.get_full_name() if change.changed_by is not None else "System"


def _timeline(applications: list[Application], enrolments: list[Enrolment]) -> list[TimelineEntry]:
    entries = []
    for application in applications:
        for change in application.status_changes.all():
            entries.append(
                TimelineEntry(
                    at=change.changed_at,
                    area="Course application",
                    what=f"{application.cohort}: {change.get_to_status_display()}",
                    detail=change.reason,
                    by=_by(change),
                )
            )
    for enrolment in enrolments:
        for step in enrolment.status_changes.all():
            entries.append(
                TimelineEntry(
                    at=step.changed_at,
                    area="Course",
                    what=f"{enrolment.cohort}: {step.get_to_status_display()}",
                    detail=step.reason,
                    by=_by(step),
                )
            )
    return entries


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """The courses and support payments sections of `candidate`'s record, as `actor` may see them."""
    courses = candidate_courses(candidate=candidate, actor=actor)
    return [
        RecordSection(
            anchor="courses",
            title="Courses",
            template="courses/_record_courses.html",
            context={"applications": courses.applications, "enrolments": courses.enrolments},
            timeline=_timeline(courses.applications, courses.enrolments),
        ),
        RecordSection(
            anchor="support-payments",
            title="Learner support payments",
            template="courses/_record_payments.html",
            context={"payments": courses.payments, "can_request": can_run_cohorts(actor)},
        ),
    ]
