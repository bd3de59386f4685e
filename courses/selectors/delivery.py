"""What running a cohort reads: the register, who is expected at it, messages and rejoining.

Attendance percentages have one definition, in courses.selectors.attendance (re-exported here
for the modules that read them with the register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from candidates.models import Candidate, Consent, ConsentKind
from courses.models import Attendance, Cohort, Enrolment, Session
from courses.selectors.applications import seats_taken_expression
from courses.selectors.attendance import (
    ATTENDED,
    NO_REGISTER,
    attendance_percentages,
    enrolments_with_attendance,
    is_flagged,
    left_before_q,
)

__all__ = ["ATTENDED", "attendance_percentages", "enrolments_with_attendance", "is_flagged"]

# Enrolments that are no longer on the cohort (from ended_at on): a paused learner continues on a
# later cohort, a withdrawn one has left. (Messages still go to those who did not complete.)
LEFT = (Enrolment.Status.PAUSED, Enrolment.Status.WITHDRAWN)
# Cohorts a paused learner can rejoin: not cancelled or finished.
REJOINABLE = (Cohort.Status.PLANNED, Cohort.Status.OPEN, Cohort.Status.CLOSED, Cohort.Status.RUNNING)


# --- who is expected at a session -------------------------------------------------------------------


def expected_at_session(session: Session) -> QuerySet[Enrolment]:
    """Enrolments on the session's cohort who should be on its register.

    Everyone except learners who paused, withdrew or did not complete before the session's day
    (courses.selectors.attendance.left_before_q); anyone already marked for the session stays on
    it, so a mark is never hidden.
    """
    already_marked = Exists(Attendance.objects.filter(session=session, enrolment=OuterRef("pk")))
    return Enrolment.objects.filter(cohort_id=session.cohort_id).exclude(left_before_q(session.date) & ~already_marked)


# --- messaging the cohort ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortAudience:
    """Who a message to the cohort reaches (with the address used), and who is left out and why."""

    recipients: Sequence[tuple[Candidate, str]]
    no_email: Sequence[Candidate]
    opted_out: Sequence[Candidate]

    @property
    def skipped(self) -> int:
        return len(self.no_email) + len(self.opted_out)


def cohort_message_audience(cohort: Cohort) -> CohortAudience:
    """The cohort's learners (everyone but those who paused or withdrew), split by whether they can be emailed.

    Course messages are about a course the learner is on, so they go to everyone with an address
    (the record's, else their account's) except learners whose newest answer to "contact me by
    email" is no. One query.
    """
    newest_consent = (
        Consent.objects.filter(candidate=OuterRef("pk"), kind=ConsentKind.CONTACT_EMAIL)
        .order_by("-recorded_at", "-id")
        .values("granted")[:1]
    )
    candidates = (
        Candidate.objects.current()
        .filter(enrolments__cohort=cohort)
        .exclude(enrolments__cohort=cohort, enrolments__status__in=LEFT)
        .annotate(
            email_consent=Subquery(newest_consent, output_field=BooleanField()),
            address=Coalesce(NullIf(F("email"), Value("")), F("user__email"), Value("")),
        )
        .order_by("last_name", "first_name", "pk")
    )
    recipients: list[tuple[Candidate, str]] = []
    no_email: list[Candidate] = []
    opted_out: list[Candidate] = []
    for candidate in candidates:
        if not candidate.address:  # type: ignore[attr-defined]
            no_email.append(candidate)
        elif candidate.email_consent is False:  # type: ignore[attr-defined]
            opted_out.append(candidate)
        else:
            recipients.append((candidate, candidate.address))  # type: ignore[attr-defined]
    return CohortAudience(recipients=recipients, no_email=no_email, opted_out=opted_out)


# --- rejoining a later cohort -------------------------------------------------------------------------


def rejoin_cohort_choices(enrolment: Enrolment, *, today: dt.date) -> QuerySet[Cohort]:
    """Later cohorts of the same course a paused learner can rejoin: not over, with a seat free, not on already.

    Each carries `seats_taken` (courses.selectors.applications' definition), counted in SQL.
    """
    cohort = enrolment.cohort
    return (
        Cohort.objects.filter(
            course_id=cohort.course_id,
            start_date__gt=cohort.start_date,
            end_date__gte=today,
            status__in=REJOINABLE,
        )
        .exclude(enrolments__candidate_id=enrolment.candidate_id)
        .annotate(seats_taken=seats_taken_expression())
        .filter(seats_taken__lt=F("capacity"))
        .order_by("start_date", "name")
    )


# --- the attendance register --------------------------------------------------------------------------


def register_problem(session: Session, *, today: dt.date) -> str:
    """Why the session's register cannot be taken (a sentence for staff), or "" if it can."""
    if session.cohort.status in NO_REGISTER:
        return f"The cohort has been {session.cohort.get_status_display().lower()}, so its register cannot be taken."
    if session.date > today:
        return f"The register opens on the day of the session, {session.date:%A %-d %B %Y}."
    return ""


@dataclass(frozen=True)
class SessionRegister:
    """A session's register: who is expected (with attendance so far), their marks, and the cohort's other sessions."""

    session: Session
    enrolments: Sequence[Enrolment]
    marks: dict[int, Attendance]
    sessions: Sequence[Session]

    @property
    def number(self) -> int:
        return next(i for i, s in enumerate(self.sessions, start=1) if s.pk == self.session.pk)

    @property
    def previous(self) -> Session | None:
        return self.sessions[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> Session | None:
        return self.sessions[self.number] if self.number < len(self.sessions) else None


def session_register(session: Session) -> SessionRegister:
    """What the register page shows, in three queries whatever the cohort's size (see expected_at_session)."""
    enrolments = list(
        enrolments_with_attendance(expected_at_session(session))
        .select_related("candidate")
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    sessions = list(Session.objects.filter(cohort_id=session.cohort_id).order_by("date", "start_time", "pk"))
    return SessionRegister(session=session, enrolments=enrolments, marks=marks, sessions=sessions)


def session_mark_counts(session: Session) -> dict[str, int]:
    """{mark: how many learners have it} for the session, in one query."""
    rows = Attendance.objects.filter(session=session).order_by().values_list("mark").annotate(n=Count("pk"))
    return dict(rows)


def sessions_of(cohorts: QuerySet[Cohort]) -> QuerySet[Session]:
    """Sessions of `cohorts` (a scope from cohorts_visible_to), with the cohort and course the register shows."""
    return Session.objects.filter(cohort__in=cohorts).select_related("cohort__course")
