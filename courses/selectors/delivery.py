"""What running a cohort reads: attendance percentages, the staff cohort page and the session register.

Attendance percentage (one definition, used everywhere): of the sessions a learner has been marked
for, the share marked present or late (Attendance.ATTENDED), to one decimal place. Absent with a
reason counts as absent. Sessions whose register has not been taken for that learner do not count,
so a register taken late never lowers anyone's figure; a learner with no marks yet has None.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, FloatField, Q, QuerySet, Value
from django.db.models.functions import NullIf, Round

from courses.models import Attendance, Cohort, Enrolment

ATTENDED = Q(attendance__mark__in=Attendance.ATTENDED)


def attendance_percent_expression() -> Round:
    """An Enrolment annotation: the attendance percentage (see the module docstring), NULL without marks."""
    # NULLIF turns "no marks" into NULL instead of a division by zero; the float 100.0 keeps the
    # division from being an integer one (Round casts it to numeric on PostgreSQL).
    marked = NullIf(Count("attendance"), Value(0))
    attended = Count("attendance", filter=ATTENDED)
    return Round(
        ExpressionWrapper(attended * Value(100.0) / marked, output_field=FloatField()),
        precision=1,
        output_field=DecimalField(max_digits=4, decimal_places=1),
    )


def enrolments_with_attendance(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """`enrolments` annotated with `attendance_percent`, `attended_count` and `marked_count`, in one query."""
    return enrolments.annotate(
        marked_count=Count("attendance"),
        attended_count=Count("attendance", filter=ATTENDED),
        attendance_percent=attendance_percent_expression(),
    )


def attendance_percentages(cohort: Cohort) -> dict[int, Decimal | None]:
    """{enrolment id: attendance percentage or None} for every enrolment of `cohort`, computed in SQL."""
    rows = (
        Enrolment.objects.filter(cohort=cohort)
        .annotate(attendance_percent=attendance_percent_expression())
        .values_list("pk", "attendance_percent")
        .order_by()
    )
    return dict(rows)

