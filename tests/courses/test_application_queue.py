"""The staff queue of new applications across cohorts, and the home page figures that link to the work queues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import SupportPayment, User
from courses.models import Application
from courses.selectors.applications import application_queue_cohorts, application_queue_for_staff
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory
from tests.courses.factories_outcomes import SupportPaymentFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = Application.Status
QUEUE_URL = "/manage/applications/"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def staff_client(client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


@pytest.fixture
def manager_client(client_for: Callable[[str], Client]) -> Client:
    return client_for("manager")


def applied(days_ago: int, **kwargs: object) -> Application:
    with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago), tick=False):
        return ApplicationFactory.create(**kwargs)


def test_the_queue_is_every_cohorts_submitted_and_shortlisted_applications_oldest_first() -> None:
    newer = applied(1, status=Status.SUBMITTED)
    older = applied(5, status=Status.SHORTLISTED)
    for status in (Status.WAITING_LIST, Status.OFFERED, Status.DECLINED, Status.ACCEPTED):
        applied(9, status=status)

    assert list(application_queue_for_staff(applications=Application.objects.all())) == [older, newer]


def test_the_queue_filters_by_course_cohort_and_status() -> None:
    cohort = CohortFactory.create()
    same_course = CohortFactory.create(course=cohort.course)
    submitted = ApplicationFactory.create(cohort=cohort, status=Status.SUBMITTED)
    shortlisted = ApplicationFactory.create(cohort=cohort, status=Status.SHORTLISTED)
    sibling = ApplicationFactory.create(cohort=same_course, status=Status.SUBMITTED)
    ApplicationFactory.create(status=Status.SUBMITTED)  # another course
    everything = Application.objects.all()

    assert set(application_queue_for_staff(applications=everything, course=cohort.course)) == {
        submitted,
        shortlisted,
        sibling,
    }
    assert set(application_queue_for_staff(applications=everything, cohort=cohort)) == {submitted, shortlisted}
    assert list(application_queue_for_staff(applications=everything, cohort=cohort, status=Status.SHORTLISTED)) == [
        shortlisted
    ]


def test_filter_choices_are_cohorts_with_applications_waiting_and_how_many() -> None:
    busy = CohortFactory.create(name="Busy")
    ApplicationFactory.create_batch(2, cohort=busy, status=Status.SUBMITTED)
    ApplicationFactory.create(cohort=busy, status=Status.OFFERED)
    quiet = CohortFactory.create(name="Quiet")
    ApplicationFactory.create(cohort=quiet, status=Status.DECLINED)

    cohorts = application_queue_cohorts(Application.objects.all())

    assert [(c.name, c.waiting) for c in cohorts] == [("Busy", 2)]  # type: ignore[attr-defined]


def test_staff_see_the_queue_with_links_to_each_application(staff_client: Client) -> None:
    application = applied(3, status=Status.SUBMITTED, candidate=CandidateFactory.create(first_name="Ada"))
    ApplicationFactory.create(status=Status.DECLINED, candidate=CandidateFactory.create(first_name="Decided"))

    page = html(staff_client.get(QUEUE_URL))

    assert reverse("courses:application-detail", kwargs={"public_id": application.public_id}) in page
    assert "Ada" in page and "Decided" not in page
    assert "1 application, oldest first" in page


def test_the_filters_stay_in_the_url_and_bad_values_are_reported_and_ignored(staff_client: Client) -> None:
    leeds = CohortFactory.create(name="Leeds March", course=CourseFactory.create(title="Care basics"))
    ApplicationFactory.create(cohort=leeds, candidate=CandidateFactory.create(first_name="Lee"))
    ApplicationFactory.create(candidate=CandidateFactory.create(first_name="Other"))

    page = html(staff_client.get(QUEUE_URL, {"cohort": str(leeds.public_id)}))
    bad = html(staff_client.get(QUEUE_URL, {"cohort": "not-a-cohort"}))

    assert "Lee" in page and "Other" not in page
    assert f'value="{leeds.public_id}" selected' in page
    assert "Choose a cohort from the list" in bad and "Lee" in bad and "Other" in bad


def test_pagination_keeps_the_filters(staff_client: Client) -> None:
    course = CourseFactory.create()
    cohort = CohortFactory.create(course=course, capacity=40)
    ApplicationFactory.create_batch(26, cohort=cohort)

    page = html(staff_client.get(QUEUE_URL, {"course": str(course.public_id)}))

    assert f"course={course.public_id}&amp;page=2" in page


@pytest.mark.parametrize("rows", [2, 30])
def test_queue_query_count_does_not_grow(staff_client: Client, rows: int, django_assert_num_queries) -> None:
    cohorts = CohortFactory.create_batch(3, capacity=40)
    for i in range(rows):
        ApplicationFactory.create(cohort=cohorts[i % 3], status=Status.SUBMITTED)
    staff_client.get(QUEUE_URL)  # the first request after signing in also saves the session
    # session, user, two-factor check, the filter's cohorts with counts, page count, page rows
    with django_assert_num_queries(6):
        response = staff_client.get(QUEUE_URL)
    assert html(response).count("/manage/applications/") == min(rows, 25)


# --- the home pages ---


def test_staff_home_links_the_queue_with_its_count(staff_client: Client) -> None:
    ApplicationFactory.create_batch(2, status=Status.SUBMITTED)
    ApplicationFactory.create(status=Status.SHORTLISTED)
    ApplicationFactory.create(status=Status.OFFERED)

    page = html(staff_client.get(reverse("academy:home")))

    assert reverse("courses:application-queue") in page
    assert "3 waiting for a decision" in page
    assert reverse("courses:payment-approvals") not in page


def test_manager_home_links_payments_waiting_for_approval_with_their_count(staff: User, manager_client: Client) -> None:
    SupportPaymentFactory.create_batch(2, requested_by=staff)
    SupportPaymentFactory.create(status=SupportPayment.Status.APPROVED)

    page = html(manager_client.get(reverse("academy:home")))

    assert reverse("courses:payment-approvals") in page
    assert "2 payments waiting for approval" in page
