"""What applications screens read: seats taken, the staff review list, one application, a learner's own.

Seats (one definition, used by the capacity check and every screen): a seat is taken by an
application with an offer the learner has not answered yet, by an accepted application whose
enrolment is missing, and by an enrolment that is enrolled or completed (with or without an
application). An accepted application whose enrolment was paused, withdrawn or did not complete
no longer holds a seat, so pausing or withdrawing someone frees their seat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from academy.models import User
from courses.models import Application, Cohort, Course, Enrolment, ScreeningQuestion

# Enrolments that occupy a seat on their cohort.
SEAT_HOLDING_ENROLMENTS = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
# Applications that occupy a seat themselves (an accepted one counts through its enrolment).
SEAT_HOLDING_APPLICATIONS = Q(status=Application.Status.OFFERED) | Q(
    status=Application.Status.ACCEPTED, enrolment__isnull=True
)
# Applications staff still have to decide on, and the ones a learner can still withdraw.
PENDING = (Application.Status.SUBMITTED, Application.Status.SHORTLISTED, Application.Status.WAITING_LIST)


def _count_subquery(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values("cohort").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def seats_taken_expression() -> Any:
    """A Cohort annotation: the number of seats taken (see the module docstring), in SQL."""
    applications = Application.objects.filter(SEAT_HOLDING_APPLICATIONS, cohort=OuterRef("pk"))
    enrolments = Enrolment.objects.filter(cohort=OuterRef("pk"), status__in=SEAT_HOLDING_ENROLMENTS)
    return _count_subquery(applications) + _count_subquery(enrolments)


def cohort_seats_taken(cohort: Cohort) -> int:
    """How many of `cohort`'s seats are taken now, in one query."""
    row = Cohort.objects.filter(pk=cohort.pk).annotate(taken=seats_taken_expression()).values_list("taken", flat=True)
    return int(row.get())


def offer_expires_on(application: Application) -> dt.date | None:
    """The last day a learner can accept `application`'s offer (COURSE_OFFER_VALID_DAYS after it was made)."""
    if application.offered_at is None:
        return None
    return timezone.localdate(application.offered_at + dt.timedelta(days=settings.COURSE_OFFER_VALID_DAYS))


@dataclass(frozen=True)
class CohortApplicationsSummary:
    """The figures at the top of a cohort's review page."""

    capacity: int
    seats_taken: int
    counts: dict[str, int]  # {status: number of applications}

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def cohort_applications_summary(cohort: Cohort) -> CohortApplicationsSummary:
    """Seats taken and the number of applications in each status for `cohort`, in two queries."""
    rows = Application.objects.filter(cohort=cohort).order_by().values_list("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in Application.Status.values}
    counts.update(dict(rows))
    return CohortApplicationsSummary(capacity=cohort.capacity, seats_taken=cohort_seats_taken(cohort), counts=counts)


def application_list_for_cohort(
    *, applications: QuerySet[Application], cohort: Cohort, status: str = ""
) -> QuerySet[Application]:
    """A cohort's applications for staff review, optionally of one status; waiting list in offer order.

    No equality data: this list is used to choose people.
    """
    rows = applications.filter(cohort=cohort).select_related("candidate")
    if status:
        rows = rows.filter(status=status)
    if status == Application.Status.WAITING_LIST:
        return rows.order_by("waiting_since", "created_at", "pk")
    return rows.order_by("created_at", "pk")


def application_detail_queryset(applications: QuerySet[Application]) -> QuerySet[Application]:
    """What the staff application page needs, joined in its one query."""
    return applications.select_related("cohort__course", "candidate__stage", "decided_by", "enrolment").annotate(
        offer_expires_at=offer_expires_at_expression(), waiting_position=waiting_list_position_expression()
    )


@dataclass(frozen=True)
class AnsweredQuestion:
    question: str
    answer: str


def application_answers(application: Application) -> list[AnsweredQuestion]:
    """The screening questions in course order with the applicant's answers (one query).

    Answers to questions removed from the course since are listed last, so nothing said is lost.
    """
    questions = list(ScreeningQuestion.objects.filter(course_id=application.cohort.course_id))
    answers = {str(key): str(value) for key, value in (application.answers or {}).items()}
    shown = [AnsweredQuestion(q.text, answers.pop(str(q.pk), "")) for q in questions]
    removed = [AnsweredQuestion("A question no longer asked on this course", value) for value in answers.values()]
    return shown + removed


def waiting_list_position(application: Application) -> int | None:
    """1 for the next person to be offered a freed seat; None when not on the waiting list."""
    if application.status != Application.Status.WAITING_LIST or application.waiting_since is None:
        return None
    position = (
        Application.objects.filter(pk=application.pk)
        .annotate(position=waiting_list_position_expression())
        .values_list("position", flat=True)
        .get()
    )
    return int(position or 1)


def offer_expires_at_expression() -> ExpressionWrapper:
    """An Application annotation: when its offer lapses (NULL without an offer)."""
    valid = dt.timedelta(days=settings.COURSE_OFFER_VALID_DAYS)
    return ExpressionWrapper(F("offered_at") + Value(valid), output_field=DateTimeField())


def waiting_list_position_expression() -> Subquery:
    """An Application annotation: its place on its cohort's waiting list (meaningful only when waiting)."""
    ahead = (
        Application.objects.filter(cohort=OuterRef("cohort"), status=Application.Status.WAITING_LIST)
        .filter(
            Q(waiting_since__lt=OuterRef("waiting_since"))
            | Q(waiting_since=OuterRef("waiting_since"), created_at__lte=OuterRef("created_at"))
        )
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def my_application_list(user: User) -> QuerySet[Application]:
    """A learner's own applications, newest first, with the offer deadline and waiting-list place, in one query."""
    return (
        Application.objects.filter(candidate__user=user)
        .select_related("cohort__course")
        .annotate(offer_expires_at=offer_expires_at_expression(), waiting_position=waiting_list_position_expression())
        .order_by("-created_at", "-pk")
    )


def application_for_cohort(*, cohort: Cohort, user: User) -> Application | None:
    """The signed-in learner's application to `cohort`, if they have one."""
    return Application.objects.filter(cohort=cohort, candidate__user=user).first()


# --- the staff queue of new applications across cohorts ------------------------------------------

# New applications waiting for staff to decide on a place (the waiting list waits for a seat instead).
AWAITING_DECISION = (Application.Status.SUBMITTED, Application.Status.SHORTLISTED)


def application_queue_for_staff(
    *, applications: QuerySet[Application], course: Course | None = None, cohort: Cohort | None = None, status: str = ""
) -> QuerySet[Application]:
    """New applications on every cohort awaiting a decision, oldest first, with applicant, cohort and course joined.

    No equality data: this list is used to choose people.
    """
    rows = applications.filter(status__in=AWAITING_DECISION).select_related("candidate", "cohort__course")
    if course is not None:
        rows = rows.filter(cohort__course=course)
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created_at", "pk")


def application_queue_cohorts(applications: QuerySet[Application]) -> list[Cohort]:
    """Cohorts with applications awaiting a decision (the queue's filter choices), each with `waiting`, in one query."""
    waiting = applications.filter(status__in=AWAITING_DECISION, cohort=OuterRef("pk"))
    return list(
        Cohort.objects.filter(Exists(waiting))
        .annotate(waiting=_count_subquery(waiting))
        .select_related("course")
        .order_by("course__title", "start_date", "name", "pk")
    )


def applications_awaiting_decision_count(applications: QuerySet[Application]) -> int:
    """How many applications await a decision (the staff home's figure), in one query."""
    return applications.filter(status__in=AWAITING_DECISION).count()
