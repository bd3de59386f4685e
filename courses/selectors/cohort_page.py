"""The staff cohort page: learners, attendance grid, completion, feedback and support payments.

Kept apart from courses.selectors.delivery because it also reads the outcomes selectors, which
themselves use delivery's attendance percentages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db.models import CharField, Count, Subquery
from django.utils import timezone

from academy.discovery import app_hooks
from courses.models import Attendance, Cohort, Enrolment, Session
from courses.selectors.attendance import (
    NO_REGISTER,
    enrolments_with_attendance,
    is_expected,
    is_flagged,
    session_is_held,
)
from courses.selectors.delivery import register_problem
from courses.selectors.outcomes import (
    CompletionSummary,
    FeedbackSummary,
    cohort_completion_summary,
    cohort_feedback_summary,
    cohort_payments_total,
    later_enrolments,
)

# Grid cells that are not a mark: held, expected and never marked; or not on the cohort that day.
MISSING = "missing"
NOT_EXPECTED = "not_expected"


@dataclass(frozen=True)
class LearnerCell:
    """One learner's entry in a column another app adds to the learners table (placements: the placement)."""

    text: str
    tag: str = ""  # a GOV.UK tag colour ("green", "blue"...), or "" for plain text
    url: str = ""
    hint: str = ""


@dataclass(frozen=True)
class LearnerColumn:
    """A column an app above courses adds to the cohort's learners table, found through academy.discovery:
    `<app>/cohort_page.py` defines `learner_columns(cohort, enrolments) -> list[LearnerColumn]`."""

    heading: str
    cells: Mapping[int, LearnerCell]  # by enrolment id; a learner without a cell shows "None"
    link_text: str = ""  # a page of the app about the cohort, listed with the cohort's other pages
    link_url: str = ""


@dataclass(frozen=True)
class LearnerRow:
    """One learner on the cohort page: their enrolment, attendance and a cell per session.

    A cell is an Attendance.Mark value, MISSING (held while they were expected, never marked),
    NOT_EXPECTED (after they left) or None (not held yet and not marked).
    """

    enrolment: Enrolment
    percent: Decimal | None
    flagged: bool
    marks: Sequence[str | None]
    extra: Sequence[LearnerCell | None] = ()  # one per CohortPage.columns

    @property
    def missing(self) -> int:
        return self.enrolment.missing_count  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CohortPage:
    cohort: Cohort
    sessions: Sequence[Session]
    learners: Sequence[LearnerRow]
    completion: CompletionSummary
    feedback: FeedbackSummary
    payments_total: Decimal
    flag_below: int
    today: dt.date
    register_open: frozenset[int]  # ids of the sessions whose register can be taken now
    columns: Sequence[LearnerColumn] = ()  # added by apps above courses (placements: work placement status)

    @property
    def flagged_count(self) -> int:
        return sum(1 for row in self.learners if row.flagged)

    @property
    def missing_count(self) -> int:
        """Marks missing from registers of sessions held, over all learners."""
        return sum(row.missing for row in self.learners)

    @property
    def learners_missing(self) -> int:
        """Distinct learners with at least one mark missing."""
        return sum(1 for row in self.learners if row.missing)

    def missing_at(self, session: Session) -> int:
        index = self.sessions.index(session)
        return sum(1 for row in self.learners if row.marks[index] == MISSING)

    @property
    def session_rows(self) -> list[tuple[Session, int]]:
        """(session, learners missing from its register) in date order."""
        return [(session, self.missing_at(session)) for session in self.sessions]

    @property
    def session_today(self) -> Session | None:
        """The first of today's sessions, for a "take today's register" link."""
        return next((s for s in self.sessions if s.date == self.today), None)


def _later_enrolment_cohort_name() -> Subquery:
    """An Enrolment annotation: the name of the later cohort of the same course the learner rejoined, if any."""
    later = later_enrolments().order_by("cohort__start_date")
    return Subquery(later.values("cohort__name")[:1], output_field=CharField())


def _cell(enrolment: Enrolment, session: Session, mark: str | None, *, held: bool) -> str | None:
    if mark is not None:
        return mark
    if not is_expected(enrolment, session):
        return NOT_EXPECTED
    if held and enrolment.cohort.status not in NO_REGISTER:
        return MISSING
    return None


def cohort_page(cohort: Cohort, *, today: dt.date, now: dt.datetime | None = None) -> CohortPage:
    """Everything the staff cohort page shows, in a fixed number of queries whatever the cohort's size.

    Learners by last name with their attendance percentage and a flag below the threshold;
    sessions with how many marks each has; the attendance grid; completion, feedback and the
    support payments total (from the outcomes selectors).
    """
    now = now or timezone.now()
    enrolments = list(
        enrolments_with_attendance(Enrolment.objects.filter(cohort=cohort), now=now)
        .select_related("candidate")
        .annotate(rejoined_on=_later_enrolment_cohort_name())
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    # Through the related manager, so each session knows its cohort without a query of its own.
    sessions = list(cohort.sessions.annotate(marked_count=Count("attendance")).order_by("date", "start_time", "pk"))
    marks = {
        (enrolment_id, session_id): mark
        for enrolment_id, session_id, mark in Attendance.objects.filter(session__cohort=cohort).values_list(
            "enrolment_id", "session_id", "mark"
        )
    }
    held = {s.pk for s in sessions if session_is_held(s, now)}
    for e in enrolments:
        e.cohort = cohort
    columns = learner_columns(cohort, enrolments)
    learners = [
        LearnerRow(
            enrolment=e,
            percent=e.attendance_percent,  # type: ignore[attr-defined]
            flagged=is_flagged(e, e.attendance_percent),  # type: ignore[attr-defined]
            marks=[_cell(e, s, marks.get((e.pk, s.pk)), held=s.pk in held) for s in sessions],
            extra=[column.cells.get(e.pk) for column in columns],
        )
        for e in enrolments
    ]
    return CohortPage(
        cohort=cohort,
        sessions=sessions,
        learners=learners,
        completion=cohort_completion_summary(cohort),
        feedback=cohort_feedback_summary(cohort),
        payments_total=cohort_payments_total(cohort),
        flag_below=settings.ATTENDANCE_FLAG_BELOW_PERCENT,
        today=today,
        register_open=frozenset(s.pk for s in sessions if not register_problem(s, today=today)),
        columns=columns,
    )


def learner_columns(cohort: Cohort, enrolments: Sequence[Enrolment]) -> list[LearnerColumn]:
    """The columns apps above courses add to the learners table (one query or so each)."""
    hooks = cast(
        list[Callable[[Cohort, Sequence[Enrolment]], list[LearnerColumn]]], app_hooks("cohort_page", "learner_columns")
    )
    return [column for hook in hooks for column in hook(cohort, enrolments)]
