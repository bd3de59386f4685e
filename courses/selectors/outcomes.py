"""What outcome screens and the cohort page read: completion, feedback, questionnaires, money.

Every figure is aggregated in the database (one query each); averages and rates are Decimal or
whole percentages rounded half up, never floats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, When

from academy.figures import percent
from academy.models import User
from courses.models import Certificate, Cohort, Course, Enrolment, Feedback, Questionnaire
from courses.selectors.delivery import enrolments_with_attendance
from courses.selectors.payments import cohort_payment_totals
from courses.services.feedback import feedback_problem, questionnaire_problem

ONE_PLACE = Decimal("0.1")


def _average(total: int | None, count: int) -> Decimal | None:
    """total / count to one decimal place (half up), or None when there is nothing to average."""
    if not count or total is None:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


_percent = percent


# --- completion ---


def later_enrolments() -> QuerySet[Enrolment]:
    """For an Enrolment subquery: the same person's enrolments on later cohorts of the same course (a rejoin)."""
    return Enrolment.objects.filter(
        candidate_id=OuterRef("candidate_id"),
        cohort__course_id=OuterRef("cohort__course_id"),
        cohort__start_date__gt=OuterRef("cohort__start_date"),
    )


@dataclass(frozen=True)
class CompletionSummary:
    """How a cohort's enrolments ended, each person once.

    The completion rate is completed / counted, where `counted` is every enrolment on the cohort
    except those paused who rejoined a later cohort of the course (`rejoined`): their outcome is
    counted on that cohort, so counting them here too would count one person twice. Someone paused
    who has not come back (`paused`) stays in the figure as not completed, and after
    COURSE_PAUSE_LAPSES_AFTER_DAYS becomes "did not complete" (enrolments_lapse_pauses). Learners
    still enrolled count (as not yet completed) so a running cohort's rate only rises as outcomes
    are recorded; `in_progress` says how many outcomes are still to record. 12 enrolled, 10
    completed, 1 withdrawn and 1 paused who never came back is 10 / 12 = 83%.
    """

    in_progress: int = 0
    completed: int = 0
    withdrawn: int = 0
    did_not_complete: int = 0
    paused: int = 0
    rejoined: int = 0

    @property
    def counted(self) -> int:
        return self.in_progress + self.completed + self.withdrawn + self.did_not_complete + self.paused

    @property
    def rate(self) -> int | None:
        """Completion rate as a whole percentage, or None when the cohort has nobody to count."""
        return _percent(self.completed, self.counted)


def cohort_completion_summary(cohort: Cohort) -> CompletionSummary:
    """Counts of a cohort's enrolments by outcome, and its completion rate, in one query."""
    status = Enrolment.Status
    paused = Q(status=status.PAUSED)
    counts = (
        Enrolment.objects.filter(cohort=cohort)
        .alias(came_back=Exists(later_enrolments()))
        .aggregate(
            in_progress=Count("id", filter=Q(status=status.ENROLLED)),
            completed=Count("id", filter=Q(status=status.COMPLETED)),
            withdrawn=Count("id", filter=Q(status=status.WITHDRAWN)),
            did_not_complete=Count("id", filter=Q(status=status.DID_NOT_COMPLETE)),
            paused=Count("id", filter=paused & Q(came_back=False)),
            rejoined=Count("id", filter=paused & Q(came_back=True)),
        )
    )
    return CompletionSummary(**counts)


# --- feedback ---

RATINGS = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class FeedbackSummary:
    """Learners' ratings (1-5): how many, their average to one decimal place, and how many gave each rating."""

    count: int = 0
    average: Decimal | None = None
    by_rating: dict[int, int] = field(default_factory=dict)

    @property
    def rating_rows(self) -> list[tuple[int, int]]:
        """(rating, how many) from 5 down to 1, for a table."""
        return [(rating, self.by_rating.get(rating, 0)) for rating in RATINGS]


def _feedback_summary(feedback: QuerySet[Feedback]) -> FeedbackSummary:
    figures = feedback.aggregate(
        count=Count("id"),
        total=Sum("rating"),
        **{f"r{rating}": Count("id", filter=Q(rating=rating)) for rating in RATINGS},
    )
    return FeedbackSummary(
        count=figures["count"],
        average=_average(figures["total"], figures["count"]),
        by_rating={rating: figures[f"r{rating}"] for rating in RATINGS},
    )


def cohort_feedback_summary(cohort: Cohort) -> FeedbackSummary:
    """Ratings learners gave a cohort: count, average (e.g. Decimal("4.3")) and spread, in one query."""
    return _feedback_summary(Feedback.objects.filter(enrolment__cohort=cohort))


def course_feedback_summary(course: Course) -> FeedbackSummary:
    """Ratings learners gave all cohorts of a course, in one query."""
    return _feedback_summary(Feedback.objects.filter(enrolment__cohort__course=course))


def cohort_feedback_comments(cohort: Cohort) -> QuerySet[Feedback]:
    """A cohort's feedback that has a comment, newest first (shown to staff without names)."""
    return Feedback.objects.filter(enrolment__cohort=cohort).exclude(comment="").order_by("-submitted_at", "-id")


def course_cohort_feedback(course: Course) -> QuerySet[Cohort]:
    """The course's cohorts, newest first, each with feedback_count and feedback_total (for its average)."""
    return (
        Cohort.objects.filter(course=course)
        .annotate(
            feedback_count=Count("enrolments__feedback"),
            feedback_total=Sum("enrolments__feedback__rating"),
        )
        .order_by("-start_date", "name")
    )


def cohort_feedback_average(cohort: Cohort) -> Decimal | None:
    """The average of a cohort annotated by course_cohort_feedback, to one decimal place."""
    return _average(cohort.feedback_total, cohort.feedback_count)  # type: ignore[attr-defined]


# --- before/after questionnaires ---


@dataclass(frozen=True)
class QuestionnaireChange:
    """Before and after scores of the learners who answered both (pairs), and the average change."""

    pairs: int = 0
    before_count: int = 0
    after_count: int = 0
    average_before: Decimal | None = None
    average_after: Decimal | None = None

    @property
    def average_change(self) -> Decimal | None:
        if self.average_before is None or self.average_after is None:
            return None
        return self.average_after - self.average_before


def cohort_questionnaire_change(cohort: Cohort) -> QuestionnaireChange:
    """The cohort's average questionnaire scores before and after and their change, over learners who did both.

    Only learners who answered both count towards the averages, so a cohort where the least
    confident skipped the second questionnaire does not look better than it is. One query.
    """
    before, after = Questionnaire.When.BEFORE, Questionnaire.When.AFTER
    both = Q(
        enrolment__in=Enrolment.objects.filter(cohort=cohort, questionnaires__when=before)
        .filter(questionnaires__when=after)
        .values("id")
    )
    figures = Questionnaire.objects.filter(enrolment__cohort=cohort).aggregate(
        before_count=Count("id", filter=Q(when=before)),
        after_count=Count("id", filter=Q(when=after)),
        pairs=Count("id", filter=both & Q(when=after)),
        before_total=Sum(Case(When(both & Q(when=before), then=F("score")), output_field=IntegerField())),
        after_total=Sum(Case(When(both & Q(when=after), then=F("score")), output_field=IntegerField())),
    )
    pairs = figures["pairs"]
    return QuestionnaireChange(
        pairs=pairs,
        before_count=figures["before_count"],
        after_count=figures["after_count"],
        average_before=_average(figures["before_total"], pairs),
        average_after=_average(figures["after_total"], pairs),
    )


# --- money ---


def cohort_payments_total(cohort: Cohort) -> Decimal:
    """Learner support committed for the cohort in pounds (approved + paid; requests and rejections excluded)."""
    return cohort_payment_totals(cohort).committed


# --- the cohort's outcomes page ---


def cohort_outcome_list(cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolments with the learner, their certificates and whether they gave feedback.

    Two queries whatever the number of learners: the enrolments (feedback joined) and their certificates.
    """
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("candidate", "feedback")
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-issued_on", "-id")))
        .order_by("candidate__last_name", "candidate__first_name", "id")
    )


# --- the learner's own courses ---


def my_enrolment_list(user: User) -> QuerySet[Enrolment]:
    """A learner's enrolments, newest cohort first, with attendance, certificates and what they have answered.

    Annotated with attendance (courses.selectors.delivery), `has_feedback`, `has_before` and
    `has_after`; three queries whatever the number of enrolments (enrolments, certificates, feedback).
    """
    answered = Questionnaire.objects.filter(enrolment=OuterRef("pk"))
    return (
        enrolments_with_attendance(Enrolment.objects.filter(candidate__user=user))
        .select_related("cohort__course")
        .annotate(
            has_feedback=Exists(Feedback.objects.filter(enrolment=OuterRef("pk"))),
            has_before=Exists(answered.filter(when=Questionnaire.When.BEFORE)),
            has_after=Exists(answered.filter(when=Questionnaire.When.AFTER)),
        )
        .prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by("-issued_on", "-id")),
        )
        .order_by("-cohort__start_date", "-id")
    )


@dataclass(frozen=True)
class LearnerEnrolmentRow:
    """One of the learner's courses and what they can do about it now (why not, when they cannot)."""

    enrolment: Enrolment
    feedback_problem: str
    before_problem: str
    after_problem: str

    @property
    def can_give_feedback(self) -> bool:
        return not self.feedback_problem

    @property
    def can_answer_before(self) -> bool:
        return not self.before_problem

    @property
    def can_answer_after(self) -> bool:
        return not self.after_problem


def my_enrolment_rows(enrolments: Iterable[Enrolment], *, today: dt.date) -> list[LearnerEnrolmentRow]:
    """The rows of the learner's courses page, from my_enrolment_list's annotated enrolments (no queries)."""
    rows = []
    for enrolment in enrolments:
        given = enrolment.has_feedback  # type: ignore[attr-defined]
        before = enrolment.has_before  # type: ignore[attr-defined]
        after = enrolment.has_after  # type: ignore[attr-defined]
        rows.append(
            LearnerEnrolmentRow(
                enrolment=enrolment,
                feedback_problem=feedback_problem(enrolment, given=given, today=today),
                before_problem=questionnaire_problem(
                    enrolment, when=Questionnaire.When.BEFORE, answered=before, today=today
                ),
                after_problem=questionnaire_problem(
                    enrolment, when=Questionnaire.When.AFTER, answered=after, today=today
                ),
            )
        )
    return rows
