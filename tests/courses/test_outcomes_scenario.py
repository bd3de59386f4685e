"""The issue's "done when", through the screens: 12 learners, 10 complete, 1 withdraws, 1 does not complete;
the cohort page shows 83% completion and the average rating."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from academy.models import Role
from candidates.models import PipelineStage
from courses.models import Enrolment, Feedback
from tests.conftest import AUTH_BACKEND
from tests.courses.factories_outcomes import finished_cohort
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RATINGS = [5, 5, 4, 4, 4, 5, 3, 5, 4, 5]  # the 10 who completed: 44 / 10 = 4.4


def test_twelve_learners_complete_withdraw_or_not_and_the_cohort_page_shows_83_percent_and_the_rating(
    client_for: Callable[[str], Client],
) -> None:
    made = finished_cohort(learners=12)
    cohort, enrolments = made.cohort, made.enrolments
    on_course = PipelineStage.objects.get(slug="on_course")
    users = []
    for i, enrolment in enumerate(enrolments):
        user = UserFactory.create(role=Role.LEARNER, email=f"scenario{i}@example.org")
        users.append(user)
        enrolment.candidate.user = user
        enrolment.candidate.stage = on_course
        enrolment.candidate.save(update_fields=["user", "stage"])
    staff = client_for("staff")

    for enrolment in enrolments[:10]:
        url = reverse("courses:enrolment-complete", kwargs={"public_id": enrolment.public_id})
        response = staff.post(url, {"status": "completed", "reason": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
    withdraw = reverse("courses:enrolment-complete", kwargs={"public_id": enrolments[10].public_id})
    assert staff.post(withdraw, {"status": "withdrawn", "reason": "Started a job in retail"}).status_code == 302
    not_complete = reverse("courses:enrolment-complete", kwargs={"public_id": enrolments[11].public_id})
    assert staff.post(not_complete, {"status": "did_not_complete", "reason": "Missed the placement"}).status_code == 302

    for enrolment, user, rating in zip(enrolments[:10], users, RATINGS, strict=False):
        learner = Client()
        learner.force_login(user, backend=AUTH_BACKEND)
        url = reverse("courses:feedback-create", kwargs={"public_id": enrolment.public_id})
        assert learner.post(url, {"rating": rating, "comment": ""}).status_code == 302

    assert Enrolment.objects.filter(cohort=cohort, status="completed").count() == 10
    assert Feedback.objects.filter(enrolment__cohort=cohort).count() == 10
    completed = enrolments[0].candidate
    completed.refresh_from_db()
    assert completed.stage.milestone == "completed_course"  # moved on from "On course"

    cohort_page = staff.get(reverse("courses:cohort-detail", kwargs={"public_id": cohort.public_id}))
    outcomes_page = staff.get(reverse("courses:cohort-outcomes", kwargs={"public_id": cohort.public_id}))
    for page in (cohort_page, outcomes_page):
        html = page.content.decode()
        assert page.status_code == 200
        assert "83% completion" in html
        assert "10 of 12" in html
        assert "4.4 out of 5" in html
