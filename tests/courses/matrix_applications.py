"""Permission matrix rows for the applications area (apply, my applications, offers, staff review)."""

from __future__ import annotations

from django.utils import timezone

from courses.models import Application
from tests.courses.factories import ApplicationFactory, CohortFactory
from tests.courses.factories_applications import (
    ChoiceQuestionFactory,
    ScreeningQuestionFactory,
    fill_application_profile,
)
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs

LEARNERS_ONLY = expect(403, learner=200, other_learner=200)
LEARNERS_REDIRECTED = expect(403, learner=302, other_learner=302)


def objects(fixture: Fixture) -> Objects:
    cohort = CohortFactory.create(name="Matrix applications cohort")
    # Both learners have what an application needs, so the form shows (200) rather than
    # "Before you apply" (a redirect).
    fill_application_profile(fixture("candidate"))
    fill_application_profile(fixture("other_candidate"))
    # A question on the application form, so text a manager typed is on a learner's page.
    ScreeningQuestionFactory.create(course=cohort.course)
    ChoiceQuestionFactory.create(course=cohort.course)
    own = ApplicationFactory.create(
        candidate=fixture("candidate"), status=Application.Status.OFFERED, offered_at=timezone.now()
    )
    # The other learner's application to the same cohort: the learner's pages must never show it.
    ApplicationFactory.create(candidate=fixture("other_candidate"), cohort=own.cohort)
    return {"applications_cohort": cohort, "applications_own": own}


def _cohort(objs: Objects) -> dict[str, object]:
    return {"public_id": objs["applications_cohort"].public_id}


def _own(objs: Objects) -> dict[str, object]:
    return {"public_id": objs["applications_own"].public_id}


# The learner persona's offered application: staff can see it (403 for answering it in the
# learner's place, 200 to review it); the other learner and providers cannot see it (404).
OWN_FOR_LEARNER = expect(404, learner=200, staff=403, manager=403)
OWN_FOR_STAFF = expect(404, learner=403, staff=200, manager=200)

ROWS = {
    "courses:application-create": Row(_cohort, "get", LEARNERS_ONLY),
    # With a complete profile "Before you apply" sends the learner on to the form; with no answers
    # yet, "Check your answers" sends them back to it.
    "courses:application-profile": Row(_cohort, "get", LEARNERS_REDIRECTED),
    "courses:application-check": Row(_cohort, "get", LEARNERS_REDIRECTED),
    "courses:my-applications": Row(no_kwargs, "get", LEARNERS_ONLY),
    "courses:application-respond": Row(_own, "get", OWN_FOR_LEARNER),
    "courses:application-list": Row(_cohort, "get", STAFF_ONLY),
    "courses:application-queue": Row(no_kwargs, "get", STAFF_ONLY),
    "courses:application-detail": Row(_own, "get", OWN_FOR_STAFF),
    # An empty POST re-shows the application page with the error "Choose a decision" (200).
    "courses:application-decide": Row(_own, "post", OWN_FOR_STAFF),
}
