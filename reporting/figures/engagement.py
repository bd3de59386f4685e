"""Engagement: enquiries, registrations, unique learners engaged, by source, and underrepresented groups.

- Enquiries: people whose record was made in the period (walk-ins, imports and online sign-ups).
- Registrations: people who reached the "registered" milestone in the period (the same as enquiries
  unless managers put a stage such as "Enquiry" before it).
- Unique learners engaged: people with any recorded step in the period: a new record or a stage
  change, a selection result, a change to a course place, or attendance at a session.
Group figures are of the unique learners, with shares of them; fewer than 5 is not shown.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from candidates.models import Candidate, Milestone, SelectionResult, StageChange
from candidates.models.choices import EmploymentStatus, Source, UnderrepresentedGroup
from candidates.selectors.equality import in_group_q
from courses.models import Attendance, EnrolmentStatusChange
from reporting.figures.base import Measure, count_measures, in_scope, people_figure, share_figure
from reporting.figures.types import SMALL_NUMBER, Figure, FigureSection, Unit
from reporting.scope import ReportScope

LONG_TERM_UNEMPLOYED_MONTHS = 12
UNIQUE_LEARNERS = "people engaged in the period"


def records(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(Candidate.objects.all(), scope, person="", at="created_at", is_datetime=True)


def stage_changes(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(StageChange.objects.all(), scope, person="candidate", at="changed_at", is_datetime=True)


def engaged(scope: ReportScope) -> QuerySet[Any]:
    """Each person with a recorded step in the period, once."""
    selection = in_scope(
        SelectionResult.objects.all(), scope, person="candidate", at="event__held_on", is_datetime=False
    )
    places = in_scope(
        EnrolmentStatusChange.objects.all(),
        scope,
        person="enrolment__candidate",
        at="changed_at",
        is_datetime=True,
        direct={"cohort": "enrolment__cohort_id", "course": "enrolment__cohort__course_id"},
    )
    attended = in_scope(
        Attendance.objects.all(),
        scope,
        person="enrolment__candidate",
        at="session__date",
        is_datetime=False,
        direct={"cohort": "enrolment__cohort_id", "course": "enrolment__cohort__course_id"},
    )
    return Candidate.objects.one_per_person().filter(
        Q(pk__in=stage_changes(scope).values("candidate"))
        | Q(pk__in=selection.values("candidate"))
        | Q(pk__in=places.values("enrolment__candidate"))
        | Q(pk__in=attended.values("enrolment__candidate"))
    )


def group_conditions(scope: ReportScope) -> dict[str, tuple[str, Q]]:
    """Group code -> (label, condition on Candidate); groups from equality answers and date of birth,
    then the employment groups funders ask about."""
    groups = {group.value: (str(group.label), in_group_q(group.value, scope.end)) for group in UnderrepresentedGroup}
    groups["unemployed"] = ("Unemployed", Q(employment_status=EmploymentStatus.UNEMPLOYED))
    groups["long_term_unemployed"] = (
        f"Long-term unemployed ({LONG_TERM_UNEMPLOYED_MONTHS} months or more out of work)",
        Q(
            employment_status__in=[EmploymentStatus.UNEMPLOYED, EmploymentStatus.INACTIVE],
            months_out_of_work__gte=LONG_TERM_UNEMPLOYED_MONTHS,
        ),
    )
    return groups


def measures(scope: ReportScope) -> list[Measure]:
    found = [
        Measure("engagement.enquiries", "Enquiries (new records)", records, person=""),
        Measure(
            "engagement.registrations",
            "Registrations",
            stage_changes,
            Q(to_stage__milestone=Milestone.REGISTERED),
        ),
        Measure("engagement.unique_learners", "Unique learners engaged", engaged, person=""),
    ]
    for code, label in [*Source.choices, ("", "Source not recorded")]:
        found.append(Measure(f"engagement.source.{code or 'none'}", f"Source: {label}", engaged, Q(source=code), ""))
    for code, (label, condition) in group_conditions(scope).items():
        found.append(Measure(f"engagement.group.{code}", label, engaged, condition, ""))
    return found


def engagement_section(scope: ReportScope) -> FigureSection:
    """The engagement figures; one query per base (three)."""
    found = measures(scope)
    counts = count_measures(scope, found)
    learners = counts["engagement.unique_learners"]
    figures: list[Figure] = []
    for measure in found:
        if not measure.key.startswith("engagement.group."):
            figures.append(people_figure(measure, counts))
            continue
        n = counts[measure.key]
        small = n < SMALL_NUMBER
        figures.append(people_figure(measure, counts) if not small else _suppressed(measure))
        figures.append(
            share_figure(
                f"{measure.key}.share",
                f"{measure.label}: share of unique learners",
                n,
                learners,
                UNIQUE_LEARNERS,
                suppress=small,
            )
        )
    return FigureSection(
        key="engagement",
        title="Engagement",
        figures=tuple(figures),
        note="Every count of people counts distinct people. Groups with fewer than 5 people are not shown.",
    )


def _suppressed(measure: Measure) -> Figure:
    return Figure(key=measure.key, label=measure.label, value=None, unit=Unit.PEOPLE, suppressed=True)
