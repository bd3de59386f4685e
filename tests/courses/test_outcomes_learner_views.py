"""Learners' own courses: the HTTP contract of "your courses", feedback and the before/after questionnaire."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from academy.discovery import app_hooks
from candidates.models import Candidate
from courses.models import Cohort, Enrolment, Feedback, Questionnaire
from tests.courses.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import (
    CertificateFactory,
    FeedbackFactory,
    QuestionnaireFactory,
    finished_cohort,
    scores,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def html(response) -> str:
    return response.content.decode()


def complete_url(enrolment: Enrolment) -> str:
    return reverse("courses:enrolment-complete", kwargs={"public_id": enrolment.public_id})


def outcomes_url(cohort: Cohort) -> str:
    return reverse("courses:cohort-outcomes", kwargs={"public_id": cohort.public_id})


def feedback_url(enrolment: Enrolment) -> str:
    return reverse("courses:feedback-create", kwargs={"public_id": enrolment.public_id})


def questionnaire_url(enrolment: Enrolment, when: str) -> str:
    return reverse("courses:questionnaire", kwargs={"public_id": enrolment.public_id, "when": when})


@pytest.fixture
def staff_client(client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


@pytest.fixture
def learner_client(client_for: Callable[[str], Client], candidate: Candidate) -> Client:
    return client_for("learner")


@pytest.fixture
def own_enrolment(candidate: Candidate) -> Enrolment:
    """The learner persona's place on a cohort that ended yesterday."""
    return EnrolmentFactory.create(cohort=finished_cohort(learners=0).cohort, candidate=candidate)


def test_learner_gives_feedback_once(learner_client: Client, own_enrolment: Enrolment) -> None:
    form = learner_client.get(feedback_url(own_enrolment))
    assert "Overall, how would you rate the course?" in html(form)

    response = learner_client.post(feedback_url(own_enrolment), {"rating": "4", "comment": "More placement days"})

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:my-enrolments")
    feedback = Feedback.objects.get(enrolment=own_enrolment)
    assert (feedback.rating, feedback.comment) == (4, "More placement days")
    again = learner_client.get(feedback_url(own_enrolment))
    assert "You rated the course 4 out of 5" in html(again)
    assert "Send feedback" not in html(again)
    assert learner_client.post(feedback_url(own_enrolment), {"rating": "1"}).status_code == 200
    assert Feedback.objects.get().rating == 4


def test_feedback_without_a_rating_says_so(learner_client: Client, own_enrolment: Enrolment) -> None:
    response = learner_client.post(feedback_url(own_enrolment), {"comment": "ok"})

    assert "Select a rating for the course, from 1 to 5" in html(response)
    assert not Feedback.objects.exists()


def test_feedback_before_the_course_ends_explains_when(learner_client: Client, candidate: Candidate) -> None:
    enrolment = EnrolmentFactory.create(cohort=CohortFactory.create(), candidate=candidate)

    response = learner_client.get(feedback_url(enrolment))

    assert "You can give feedback from" in html(response)
    assert "Send feedback" not in html(response)


def test_questionnaire_after_the_course_is_scored(learner_client: Client, own_enrolment: Enrolment) -> None:
    QuestionnaireFactory.create(enrolment=own_enrolment, when="before", score=20)

    form = learner_client.get(questionnaire_url(own_enrolment, "after"))
    assert "I feel confident about working in adult social care" in html(form)
    response = learner_client.post(questionnaire_url(own_enrolment, "after"), scores(8))

    assert response.status_code == 302
    assert Questionnaire.objects.get(enrolment=own_enrolment, when="after").score == 40
    assert "Your score: 40 out of 50" in html(learner_client.get(questionnaire_url(own_enrolment, "after")))


def test_questionnaire_errors_name_the_statement(learner_client: Client, own_enrolment: Enrolment) -> None:
    data = {**scores(5)}
    del data["resilience"]

    response = learner_client.post(questionnaire_url(own_enrolment, "after"), data)

    assert "Choose a score for: I can cope when things do not go to plan" in html(response)
    assert not Questionnaire.objects.exists()


def test_an_unknown_questionnaire_is_not_found(learner_client: Client, own_enrolment: Enrolment) -> None:
    assert learner_client.get(questionnaire_url(own_enrolment, "during")).status_code == 404


def test_learners_cannot_answer_for_someone_else(client_for: Callable[[str], Client], own_enrolment: Enrolment) -> None:
    other = client_for("other_learner")

    assert other.post(feedback_url(own_enrolment), {"rating": "1"}).status_code == 404
    assert other.post(questionnaire_url(own_enrolment, "after"), scores(0)).status_code == 404
    assert not Feedback.objects.exists() and not Questionnaire.objects.exists()


def test_my_courses_page_without_courses_points_to_the_finder(learner_client: Client) -> None:
    response = learner_client.get(reverse("courses:my-enrolments"))

    assert "You are not on a course yet" in html(response)
    assert reverse("courses:finder") in html(response)


# Session, user, enrolments with their annotations, certificates; plus one for each section an app
# above adds through courses/views/feedback.my_courses_sections (placements: the work placements).
MY_COURSES_QUERIES = 4 + len(app_hooks("my_courses", "my_courses_sections"))


def test_my_courses_page_query_count_does_not_grow_with_courses(
    learner_client: Client, candidate: Candidate, django_assert_num_queries
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            enrolment = EnrolmentFactory.create(cohort=finished_cohort(learners=0).cohort, candidate=candidate)
            mark(SessionFactory.create(cohort=enrolment.cohort, date=enrolment.cohort.start_date), enrolment)
            CertificateFactory.create(enrolment=enrolment)
            FeedbackFactory.create(enrolment=enrolment)

    add(2)
    learner_client.get(reverse("courses:my-enrolments"))  # the first request after signing in also saves the session
    with django_assert_num_queries(MY_COURSES_QUERIES):
        assert learner_client.get(reverse("courses:my-enrolments")).status_code == 200
    add(18)
    with django_assert_num_queries(MY_COURSES_QUERIES):
        response = learner_client.get(reverse("courses:my-enrolments"))
    page = html(response)
    assert page.count('<h2 class="govuk-summary-card__title">') == 20
    assert "You have already given feedback on this course" in page
