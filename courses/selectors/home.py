"""What the courses part of the home pages reads (courses/home.py): a learner's offers to answer and
today's registers still to take. One query each, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from academy.models import User
from courses.models import Application, Attendance, Cohort, Enrolment, Session
from courses.selectors.applications import offer_expires_at_expression
from courses.selectors.attendance import NO_REGISTER


def offers_awaiting_reply(user: User, *, now: dt.datetime) -> list[Any]:
    """The learner's own course offers not answered yet and not lapsed (the expiry task may not have run yet),
    soonest to lapse first, each with `offer_expires_at`."""
    return list(
        Application.objects.filter(candidate__user=user, status=Application.Status.OFFERED, offered_at__isnull=False)
        .select_related("cohort__course")
        .annotate(offer_expires_at=offer_expires_at_expression())
        .filter(offer_expires_at__gt=now)
        .order_by("offered_at", "pk")
    )


def registers_to_take_today(cohorts: QuerySet[Cohort], *, today: dt.date) -> list[Any]:
    """Today's sessions of `cohorts` with at least one enrolled learner not marked yet, earliest first,
    each with `unmarked` (how many enrolled learners have no mark for it)."""
    unmarked = (
        Enrolment.objects.filter(cohort_id=OuterRef("cohort_id"), status=Enrolment.Status.ENROLLED)
        .exclude(Exists(Attendance.objects.filter(session_id=OuterRef(OuterRef("pk")), enrolment_id=OuterRef("pk"))))
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Session.objects.filter(cohort__in=cohorts, date=today)
        .exclude(cohort__status__in=NO_REGISTER)
        .annotate(unmarked=Coalesce(Subquery(unmarked, output_field=IntegerField()), Value(0)))
        .filter(unmarked__gt=0)
        .select_related("cohort__course")
        .order_by("start_time", "pk")
    )
