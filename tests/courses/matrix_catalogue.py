"""Permission matrix rows for the catalogue area: course finder, course set-up, cohorts, sessions, calendar."""

from __future__ import annotations

from courses.models import Course, ScreeningQuestion
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of


def objects(fixture: Fixture) -> Objects:
    course = CourseFactory.create(title="Matrix catalogue course", status=Course.Status.PUBLISHED)
    cohort = CohortFactory.create(course=course, name="Matrix catalogue cohort")
    # The learner persona has a place on the cohort; the other learner does not.
    EnrolmentFactory.create(cohort=cohort, candidate=fixture("candidate"))
    draft = CourseFactory.create(title="Matrix catalogue draft", status=Course.Status.DRAFT)
    return {
        "catalogue_course": course,
        "catalogue_draft": draft,
        "catalogue_question": ScreeningQuestion.objects.create(course=course, text="Why care?", position=1),
        "catalogue_cohort": cohort,
        "catalogue_session": SessionFactory.create(cohort=cohort),
    }


PUBLIC = expect(200, anonymous=200)
# A published course, its open cohort and their questions and sessions are in everyone's scope:
# people without the right get 403 on the staff pages.
CALENDAR = expect(403, learner=200, staff=200, manager=200)

ROWS = {
    "courses:finder": Row(no_kwargs, "get", PUBLIC),
    "courses:course-public": Row(public_id_of("catalogue_course"), "get", PUBLIC),
    "courses:cohort-calendar": Row(public_id_of("catalogue_cohort"), "get", CALENDAR),
    "courses:course-list": Row(no_kwargs, "get", STAFF_ONLY),
    "courses:course-create": Row(no_kwargs, "get", MANAGER_ONLY),
    "courses:course-detail": Row(public_id_of("catalogue_course"), "get", STAFF_ONLY),
    "courses:course-update": Row(public_id_of("catalogue_course"), "get", MANAGER_ONLY),
    # A draft is out of scope for everyone but academy staff: 404, not 403.
    "courses:course-delete": Row(public_id_of("catalogue_draft"), "get", expect(404, staff=403, manager=200)),
    "courses:question-create": Row(public_id_of("catalogue_course"), "get", MANAGER_ONLY),
    "courses:question-update": Row(public_id_of("catalogue_question"), "get", MANAGER_ONLY),
    "courses:question-delete": Row(public_id_of("catalogue_question"), "get", MANAGER_ONLY),
    # POST-only; the manager is sent back to the course page.
    "courses:question-move": Row(public_id_of("catalogue_question"), "post", expect(403, manager=302)),
    "courses:cohort-list": Row(no_kwargs, "get", STAFF_ONLY),
    "courses:cohort-create": Row(no_kwargs, "get", STAFF_ONLY),
    "courses:cohort-update": Row(public_id_of("catalogue_cohort"), "get", STAFF_ONLY),
    "courses:cohort-delete": Row(public_id_of("catalogue_cohort"), "get", STAFF_ONLY),
    "courses:session-list": Row(public_id_of("catalogue_cohort"), "get", STAFF_ONLY),
    "courses:session-create": Row(public_id_of("catalogue_cohort"), "get", STAFF_ONLY),
    "courses:session-update": Row(public_id_of("catalogue_session"), "get", STAFF_ONLY),
    "courses:session-delete": Row(public_id_of("catalogue_session"), "get", STAFF_ONLY),
}
