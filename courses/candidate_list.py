"""What the courses app offers the staff candidate list, found by candidates through academy.discovery.

candidates must not import courses, so the list asks this module (by its agreed name) for:
- `candidate_list_choices(user)`: the course and cohort filter choices and the cohorts people can
  be added to, in one query;
- `candidate_list_filter(course=, cohort=)`: a Candidate filter (an EXISTS on enrolments, so a
  person on two cohorts of a course appears once);
- `candidate_list_add_to_cohort(candidates=, cohort=, actor=)`: the "add to cohort" bulk action.
Choices are (public id, label) pairs; the action answers with plain data the list can show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate
from courses.models import Enrolment
from courses.permissions import can_run_cohorts, cohorts_visible_to
from courses.selectors.applications import seats_taken_expression
from courses.services.applications import TAKES_OFFERS
from courses.services.delivery import cohort_add_candidates


@dataclass(frozen=True)
class CourseChoices:
    """(public id, label) choices for the list's course and cohort filters and its "add to cohort" action."""

    courses: list[tuple[str, str]] = field(default_factory=list)
    cohorts: list[tuple[str, str]] = field(default_factory=list)
    addable_cohorts: list[tuple[str, str]] = field(default_factory=list)


def candidate_list_choices(user: User) -> CourseChoices:
    """Every cohort the user can see (newest first) and its course; cohorts taking people now, with seats left.

    One query, however many candidates the list shows.
    """
    today = timezone.localdate()
    cohorts = list(
        cohorts_visible_to(user)
        .select_related("course")
        .annotate(seats_taken=seats_taken_expression())
        .order_by("-start_date", "name", "pk")
    )
    courses = {str(c.course.public_id): c.course.title for c in cohorts}
    addable = []
    if can_run_cohorts(user):
        for c in cohorts:
            if c.status in TAKES_OFFERS and c.end_date >= today:
                left = max(c.capacity - c.seats_taken, 0)
                seats = "full" if not left else f"{left} seat{'' if left == 1 else 's'} left"
                addable.append(
                    (str(c.public_id), f"{c.course.title}: {c.name} (starts {c.start_date:%-d %b %Y}, {seats})")
                )
    return CourseChoices(
        courses=sorted(courses.items(), key=lambda item: item[1].lower()),
        cohorts=[(str(c.public_id), f"{c.course.title}: {c.name}") for c in cohorts],
        addable_cohorts=addable,
    )


def candidate_list_filter(*, course: str = "", cohort: str = "") -> Q:
    """Candidates with a place (in any status) on a cohort of `course` and/or on `cohort` (public ids)."""
    if not course and not cohort:
        return Q()
    enrolments = Enrolment.objects.filter(candidate=OuterRef("pk"))
    if course:
        enrolments = enrolments.filter(cohort__course__public_id=course)
    if cohort:
        enrolments = enrolments.filter(cohort__public_id=cohort)
    return Q(Exists(enrolments))


@dataclass(frozen=True)
class AddToCohortOutcome:
    """What the list reports after "add to cohort": the cohort's name, who was added, who was not and why."""

    cohort_name: str
    added: list[Candidate]
    not_added: list[tuple[Candidate, str]]


def candidate_list_add_to_cohort(*, candidates: Sequence[Candidate], cohort: str, actor: User) -> AddToCohortOutcome:
    """Add the ticked candidates to the cohort with public id `cohort` (see cohort_add_candidates)."""
    target = cohorts_visible_to(actor).filter(public_id=cohort).select_related("course").first()
    if target is None:
        raise ValidationError({"cohort": "Choose a cohort from the list"})
    result = cohort_add_candidates(cohort=target, candidates=candidates, actor=actor)
    return AddToCohortOutcome(cohort_name=target.name, added=result.added, not_added=result.not_added)
