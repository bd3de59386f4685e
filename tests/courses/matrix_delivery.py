"""Matrix rows for delivery (area G1): the staff cohort page, the register, pausing, rejoining, messages.

The cohort is running on a published course, so everyone can see it exists (the public finder
scope): learners and providers are refused (403), not told it is missing. The enrolments are a
walk-in's: out of every learner's and provider's scope (404).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courses.models import Cohort, Enrolment
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, public_id_of

ENROLMENT = expect(404, staff=200, manager=200)


def objects(fixture: Fixture) -> Objects:
    walk_in = fixture("walk_in")
    today = timezone.localdate()
    course = CourseFactory.create(title="Delivery matrix course")
    cohort = CohortFactory.create(
        course=course,
        start_date=today - dt.timedelta(days=3),
        end_date=today + dt.timedelta(days=10),
        status=Cohort.Status.RUNNING,
    )
    earlier = CohortFactory.create(
        course=course,
        start_date=today - dt.timedelta(days=40),
        end_date=today - dt.timedelta(days=30),
        status=Cohort.Status.FINISHED,
    )
    # A later cohort with seats, so the rejoin page has something to offer.
    CohortFactory.create(course=course, start_date=today + dt.timedelta(days=30), status=Cohort.Status.OPEN)
    return {
        "delivery_cohort": cohort,
        "delivery_session": SessionFactory.create(cohort=cohort, date=today),
        "delivery_enrolment": EnrolmentFactory.create(cohort=cohort, candidate=walk_in),
        "delivery_paused": EnrolmentFactory.create(
            cohort=earlier,
            candidate=walk_in,
            status=Enrolment.Status.PAUSED,
            status_reason="Childcare",
            ended_at=timezone.now() - dt.timedelta(days=35),
        ),
    }


ROWS = {
    "courses:cohort-detail": Row(public_id_of("delivery_cohort"), "get", STAFF_ONLY),
    "courses:cohort-message": Row(public_id_of("delivery_cohort"), "get", STAFF_ONLY),
    "courses:attendance-register": Row(public_id_of("delivery_session"), "get", STAFF_ONLY),
    "courses:enrolment-pause": Row(public_id_of("delivery_enrolment"), "get", ENROLMENT),
    "courses:enrolment-rejoin": Row(public_id_of("delivery_paused"), "get", ENROLMENT),
}
