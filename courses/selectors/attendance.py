"""The attendance figure: one definition, used by every screen that shows a learner's attendance.

Attendance percentage: of the sessions that count for a learner, the share marked present or
late (Attendance.ATTENDED), to one decimal place. Absent with a reason counts as absent. The
sessions that count are those the learner has been marked for, plus those that have been held
(ended before now) while they were expected and were never marked for them: those are "missing",
and count as not attended until someone marks them. So a register nobody took can only lower a
learner's figure, never raise it: two sessions never marked are not 100%. A learner with nothing
marked and nothing held yet has None.

Expected at a session: everyone on the cohort except learners who paused, withdrew or did not
complete before the session's day (courses.selectors.delivery.expected_at_session shows the same
people on the register). Cancelled cohorts have no registers, so nothing is missing on them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, Round, TruncDate
from django.utils import timezone

from courses.models import Attendance, Cohort, Enrolment, Session

ATTENDED = Q(attendance__mark__in=Attendance.ATTENDED)
# Learners no longer on the cohort from the day after `ended_at`: not expected at later sessions.
OFF_REGISTER = (Enrolment.Status.PAUSED, Enrolment.Status.WITHDRAWN, Enrolment.Status.DID_NOT_COMPLETE)
# Nobody can be marked on the registers of these cohorts.
NO_REGISTER = (Cohort.Status.CANCELLED,)
# Stands in for "still on the cohort" when comparing session dates with the day a learner left.
NEVER = dt.date(9999, 12, 31)


# --- sessions held, and who is expected at them ---


def sessions_held(now: dt.datetime, prefix: str = "") -> Q:
    """Sessions that ended before `now` (dates and times are local); `prefix` is the path to the session."""
    local = timezone.localtime(now)
    return Q(**{f"{prefix}date__lt": local.date()}) | Q(
        **{f"{prefix}date": local.date(), f"{prefix}end_time__lte": local.time()}
    )


def session_is_held(session: Session, now: dt.datetime) -> bool:
    """Python twin of sessions_held, for one session already loaded."""
    local = timezone.localtime(now)
    return session.date < local.date() or (session.date == local.date() and session.end_time <= local.time())


def left_before_q(day: dt.date) -> Q:
    """Enrolments that left the cohort (OFF_REGISTER) on a day before `day`."""
    return Q(status__in=OFF_REGISTER, ended_at__isnull=False, ended_at__date__lt=day)


def is_expected(enrolment: Enrolment, session: Session) -> bool:
    """Python twin of ~left_before_q(session.date), for an enrolment and session already loaded."""
    if enrolment.status not in OFF_REGISTER or enrolment.ended_at is None:
        return True
    return timezone.localtime(enrolment.ended_at).date() >= session.date


def _left_on() -> Case:
    """An Enrolment expression: the (local) day the learner left the cohort, or NEVER."""
    return Case(
        When(Q(status__in=OFF_REGISTER, ended_at__isnull=False), then=TruncDate("ended_at")),
        default=Value(NEVER),
        output_field=DateField(),
    )


def missing_sessions_expression(now: dt.datetime) -> Coalesce:
    """An Enrolment annotation: held sessions of its cohort it was expected at and never marked for."""
    unmarked = (
        Session.objects.filter(cohort_id=OuterRef("cohort_id"))
        .filter(sessions_held(now))
        .exclude(cohort__status__in=NO_REGISTER)
        .filter(date__lte=OuterRef("attendance_left_on"))
        .exclude(Exists(Attendance.objects.filter(session_id=OuterRef("pk"), enrolment_id=OuterRef(OuterRef("pk")))))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(unmarked, output_field=IntegerField()), Value(0))


# --- attendance percentages ---


def enrolments_with_attendance(
    enrolments: QuerySet[Enrolment], *, now: dt.datetime | None = None
) -> QuerySet[Enrolment]:
    """`enrolments` annotated with the attendance figure, in one query.

    `marked_count` (sessions marked), `missing_count` (held, expected and not marked),
    `counted_sessions` (the two together: the denominator), `attended_count` (present or late)
    and `attendance_percent` (see the module docstring; None when nothing counts yet).
    """
    now = now or timezone.now()
    marked = Count("attendance")
    missing = missing_sessions_expression(now)
    return (
        enrolments.alias(attendance_left_on=_left_on())
        .annotate(
            marked_count=marked,
            missing_count=missing,
            attended_count=Count("attendance", filter=ATTENDED),
        )
        .annotate(counted_sessions=F("marked_count") + F("missing_count"))
        .annotate(
            # NULLIF turns "nothing counts" into NULL instead of a division by zero; the float 100.0
            # keeps the division from being an integer one (Round casts it to numeric on PostgreSQL).
            attendance_percent=Round(
                ExpressionWrapper(
                    F("attended_count") * Value(100.0) / NullIf(F("counted_sessions"), Value(0)),
                    output_field=FloatField(),
                ),
                precision=1,
                output_field=DecimalField(max_digits=4, decimal_places=1),
            )
        )
    )


def attendance_percentages(cohort: Cohort, *, now: dt.datetime | None = None) -> dict[int, Decimal | None]:
    """{enrolment id: attendance percentage or None} for every enrolment of `cohort`, computed in SQL."""
    enrolments = enrolments_with_attendance(Enrolment.objects.filter(cohort=cohort), now=now)
    # The stubs cannot see annotations made in another function.
    rows = enrolments.values_list("pk", "attendance_percent").order_by()  # type: ignore[misc]
    return dict(rows)


def is_flagged(enrolment: Enrolment, percent: Decimal | None) -> bool:
    """A learner still on the course whose attendance is below ATTENDANCE_FLAG_BELOW_PERCENT."""
    return (
        enrolment.status == Enrolment.Status.ENROLLED
        and percent is not None
        and percent < settings.ATTENDANCE_FLAG_BELOW_PERCENT
    )
