"""Readiness feedback: what a provider is asked for, and the results by cohort and by course.

A feedback row belongs to a cohort: a placement's own cohort; for a job start, the learner's latest
completed enrolment whose cohort ended on or before the start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from courses.models import Cohort, Course, Enrolment
from placements.models import ReadinessFeedback

RATINGS = (1, 2, 3, 4, 5)
# A course is named "best" only with at least this many answers, so one enthusiastic reply cannot decide it.
BEST_MIN_ANSWERS = 3


def feedback_due_list(scope: QuerySet[ReadinessFeedback]) -> QuerySet[ReadinessFeedback]:
    """Unanswered feedback in the user's scope, oldest due first, with the learner and what it is about."""
    return (
        scope.filter(answered_at=None)
        .select_related("provider", "placement__candidate", "placement__cohort", "job_start__candidate")
        .order_by("due_on", "pk")
    )


def _start_cohort(field: str) -> Subquery:
    """For a job start: the learner's latest completed enrolment's cohort (or course) before the start."""
    enrolments = Enrolment.objects.filter(
        candidate_id=OuterRef("job_start__candidate_id"),
        status=Enrolment.Status.COMPLETED,
        cohort__end_date__lte=OuterRef("job_start__start_date"),
    ).order_by("-cohort__end_date", "-pk")
    return Subquery(enrolments.values(field)[:1], output_field=IntegerField())


def _with_cohort(rows: QuerySet[ReadinessFeedback]) -> QuerySet[ReadinessFeedback]:
    return rows.annotate(
        cohort_ref=Coalesce(F("placement__cohort_id"), _start_cohort("cohort_id")),
        course_ref=Coalesce(F("placement__cohort__course_id"), _start_cohort("cohort__course_id")),
        learner_ref=Coalesce(F("placement__candidate_id"), F("job_start__candidate_id")),
    )


@dataclass(frozen=True)
class ResultRow:
    """Feedback about the learners of one cohort or course. Asked and answered count feedback requests;
    learners count distinct people (a learner asked after a placement and after a start counts once)."""

    label: str
    obj: Any
    asked: int
    answered: int
    learners_asked: int
    learners_answered: int
    mean: Decimal | None
    distribution: tuple[int, ...]  # answers with rating 1..5

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(rating, answers, percent of answers) for each rating 1..5."""
        return [
            (rating, count, round(100 * count / self.answered) if self.answered else 0)
            for rating, count in zip(RATINGS, self.distribution, strict=True)
        ]


@dataclass(frozen=True)
class ReadinessResults:
    by_course: Sequence[ResultRow]
    by_cohort: Sequence[ResultRow]
    overall: ResultRow
    best: ResultRow | None

    @property
    def best_min_answers(self) -> int:
        return BEST_MIN_ANSWERS


def _aggregates() -> dict[str, Any]:
    answered = Q(answered_at__isnull=False)
    return {
        "asked": Count("pk"),
        "answered": Count("pk", filter=answered),
        "learners_asked": Count("learner_ref", distinct=True),
        "learners_answered": Count("learner_ref", filter=answered, distinct=True),
        "mean": Avg("rating", filter=answered),
        **{f"r{r}": Count("pk", filter=answered & Q(rating=r)) for r in RATINGS},
    }


def _row(label: str, obj: Any, values: dict[str, Any]) -> ResultRow:
    mean = values["mean"]
    return ResultRow(
        label=label,
        obj=obj,
        asked=values["asked"],
        answered=values["answered"],
        learners_asked=values["learners_asked"],
        learners_answered=values["learners_answered"],
        mean=Decimal(str(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if mean is not None else None,
        distribution=tuple(values[f"r{r}"] for r in RATINGS),
    )


def readiness_results() -> ReadinessResults:
    """Providers' readiness ratings per course and per cohort (aggregated in SQL, five queries), the
    overall figures, and the course with the best mean among those with BEST_MIN_ANSWERS answers or more."""
    rows = _with_cohort(ReadinessFeedback.objects.all())
    # Grouped by annotations, which django-stubs cannot see.
    per_cohort = list(rows.values("cohort_ref").annotate(**_aggregates()).order_by())  # type: ignore[misc]
    per_course = list(rows.values("course_ref").annotate(**_aggregates()).order_by())  # type: ignore[misc]
    overall = rows.aggregate(**_aggregates())
    cohorts = Cohort.objects.select_related("course").in_bulk([r["cohort_ref"] for r in per_cohort if r["cohort_ref"]])
    courses = Course.objects.in_bulk([r["course_ref"] for r in per_course if r["course_ref"]])

    def cohort_label(ref: int | None) -> str:
        return f"{cohorts[ref].course.title}: {cohorts[ref].name}" if ref else "No course recorded"

    by_cohort = sorted(
        (_row(cohort_label(r["cohort_ref"]), cohorts.get(r["cohort_ref"]), r) for r in per_cohort),
        key=lambda row: (row.obj is None, -(row.obj.start_date.toordinal()) if row.obj else 0, row.label),
    )
    by_course = sorted(
        (
            _row(
                courses[r["course_ref"]].title if r["course_ref"] else "No course recorded",
                courses.get(r["course_ref"]),
                r,
            )
            for r in per_course
        ),
        key=lambda row: (row.obj is None, -(row.mean or 0), row.label),
    )
    eligible = [row for row in by_course if row.obj is not None and row.answered >= BEST_MIN_ANSWERS]
    best = max(eligible, key=lambda row: (row.mean or 0, row.answered), default=None)
    return ReadinessResults(
        by_course=by_course, by_cohort=by_cohort, overall=_row("All courses", None, overall), best=best
    )


@dataclass(frozen=True)
class FeedbackComment:
    answered_at: Any
    rating: int
    comment: str
    course: str


def readiness_comments(*, limit: int = 20) -> list[FeedbackComment]:
    """The latest answered feedback with a comment, with the course it counts towards (two queries)."""
    rows = list(
        _with_cohort(ReadinessFeedback.objects.filter(answered_at__isnull=False).exclude(comment=""))
        .order_by("-answered_at", "-pk")
        .values("answered_at", "rating", "comment", "course_ref")[:limit]  # type: ignore[misc]
    )
    courses = Course.objects.in_bulk([r["course_ref"] for r in rows if r["course_ref"]])
    return [
        FeedbackComment(
            answered_at=r["answered_at"],
            rating=r["rating"],
            comment=r["comment"],
            course=courses[r["course_ref"]].title if r["course_ref"] else "No course recorded",
        )
        for r in rows
    ]
