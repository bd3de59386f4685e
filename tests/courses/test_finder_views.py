"""The public course finder and course page: anyone can use them, on a phone, with or without an account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate
from courses.models import Cohort, Course
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_catalogue import take_seats

pytestmark = pytest.mark.django_db

FINDER = "/courses/"


def page(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def public_url(course: Course) -> str:
    return reverse("courses:course-public", kwargs={"public_id": course.public_id})


def test_url_names() -> None:
    assert reverse("courses:finder") == FINDER


# --- finder -------------------------------------------------------------------------------------


def test_visitors_find_bookable_cohorts(client: Client) -> None:
    course = CourseFactory.create(title="Introduction to care", placement_days=4, guaranteed_interview=True)
    cohort = CohortFactory.create(course=course, town="Leeds", capacity=12, start_date=days(10))
    take_seats(cohort, 3)
    CohortFactory.create(course=CourseFactory.create(title="Secret draft", status=Course.Status.DRAFT))
    html = page(client.get(FINDER))
    assert "1 course date open for applications" in html
    assert "Introduction to care" in html
    assert f"{public_url(course)}#cohort-{cohort.public_id}" in html
    assert "a 4-day work placement" in html
    assert "Ends with a guaranteed job interview" in html
    assert '<dd class="govuk-summary-list__value">9</dd>' in html  # places left
    assert "Secret draft" not in html
    assert 'name="viewport"' in html  # phone-friendly layout from the base template


def test_finder_filters_in_the_query_string(client: Client) -> None:
    CohortFactory.create(course=CourseFactory.create(title="Leeds course"), town="Leeds")
    CohortFactory.create(course=CourseFactory.create(title="Bradford course"), town="Bradford")
    html = page(client.get(FINDER, {"town": "Bradford"}))
    assert "1 course date matches your search" in html
    assert "Bradford course" in html
    assert "Leeds course" not in html
    assert '<option value="Bradford" selected>' in html


def test_finder_unknown_town_says_so_and_keeps_other_filters(client: Client) -> None:
    CohortFactory.create(course=CourseFactory.create(title="Leeds care", kind=Course.Kind.BITE_SIZE), town="Leeds")
    CohortFactory.create(course=CourseFactory.create(title="Leeds cert", kind=Course.Kind.REFRESHER), town="Leeds")
    html = page(client.get(FINDER, {"town": "Hull", "kind": "refresher"}))
    assert "There are no courses in Hull at the moment: choose another place" in html
    assert "<title>Error: Find a course" in html
    assert "Leeds cert" in html
    assert "Leeds care" not in html


def test_finder_bad_dates_are_named(client: Client) -> None:
    CohortFactory.create()
    html = page(client.get(FINDER, {"starts_from_0": "31", "starts_from_1": "2", "starts_from_2": "2027"}))
    assert "Starting from must be a real date, for example 27 3 2007" in html
    html = page(client.get(FINDER, {"starts_from_0": "3", "starts_from_2": "2027"}))
    assert "Starting from must include a day, month and year" in html
    html = page(client.get(FINDER, {**_date("starts_from", days(9)), **_date("starts_to", days(3))}))
    assert "Starting by must be the same as or after Starting from" in html


def test_finder_dates_are_the_design_systems_date_input(client: Client) -> None:
    CohortFactory.create()
    html = page(client.get(FINDER, _date("starts_from", days(9))))
    assert 'type="date"' not in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Starting from</legend>' in html
    assert f'name="starts_from_0" type="text" inputmode="numeric" value="{days(9).day}"' in html


def _date(prefix: str, day: object) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}  # type: ignore[attr-defined]


def test_finder_empty_states(client: Client, client_for: Callable[[str], Client], learner: User) -> None:
    html = page(client.get(FINDER))
    assert "There are no courses open for applications at the moment" in html
    assert reverse("account_signup") in html
    assert reverse("account_signup") not in page(client_for("learner").get(FINDER)).split("<main")[1]
    CohortFactory.create(town="Leeds")
    html = page(client.get(FINDER, {"kind": "refresher"}))
    assert "No courses match your search" in html


def test_finder_pages_ten_at_a_time_keeping_filters(client: Client) -> None:
    course = CourseFactory.create(kind=Course.Kind.BITE_SIZE)
    for n in range(12):
        CohortFactory.create(course=course, start_date=days(5 + n), town="Leeds")
    html = page(client.get(FINDER, {"kind": "bite_size"}))
    assert "12 course dates match your search" in html
    assert html.count('class="govuk-summary-card__title"') == 10
    assert "?kind=bite_size&amp;page=2" in html
    assert page(client.get(FINDER, {"kind": "bite_size", "page": "2"})).count('class="govuk-summary-card__title"') == 2


@pytest.mark.parametrize("persona", ["anonymous", "learner"])
@pytest.mark.parametrize("rows", [2, 20])
def test_finder_query_count_does_not_grow(
    persona: str, rows: int, client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    client = client_for(persona)
    client.get(FINDER)
    for cohort in CohortFactory.create_batch(rows):
        take_seats(cohort, 2)
    # towns for the filter, count, page of cohorts with course and seats; a learner adds session and user
    with django_assert_num_queries(3 if persona == "anonymous" else 5):
        assert client.get(FINDER).status_code == 200


# --- course page --------------------------------------------------------------------------------


@pytest.fixture
def course() -> Course:
    return CourseFactory.create(
        title="Introduction to care",
        entry_requirements="Aged 18 or over.",
        attendance_bursary_amount="60.00",
        attendance_bursary_threshold=90,
    )


def test_course_page_for_visitors(client: Client, course: Course) -> None:
    cohort = CohortFactory.create(course=course, name="Leeds, March", start_date=days(10), venue="Park Lane")
    SessionFactory.create(cohort=cohort, date=days(10), start_time=dt.time(9, 30), end_time=dt.time(15), topic="Values")
    SessionFactory.create(cohort=cohort, date=days(11), online_link="https://meet.example.org/secret")
    CohortFactory.create(course=course, name="Last year", start_date=days(-300), end_date=days(-290))
    html = page(client.get(public_url(course)))
    assert "Aged 18 or over." in html
    assert "£60.00 if you attend 90% of sessions or more" in html
    assert "Leeds, March" in html
    assert f'id="cohort-{cohort.public_id}"' in html
    assert "Session times (2)" in html
    assert "9:30am to 3:00pm: Values" in html
    assert "(online)" in html
    assert "https://meet.example.org/secret" not in html  # only people with a place get the link
    assert "Last year" not in html
    assert reverse("courses:application-create", kwargs={"public_id": cohort.public_id}) in html
    assert "To apply you need an account" in html


def test_course_page_without_dates(client: Client, course: Course) -> None:
    html = page(client.get(public_url(course)))
    assert "There are no dates for this course at the moment" in html
    assert reverse("courses:finder") in html


def test_full_and_closed_cohorts_are_shown_without_apply(client: Client, course: Course) -> None:
    full = CohortFactory.create(course=course, name="Full one", capacity=1)
    take_seats(full, 1)
    closed = CohortFactory.create(course=course, name="Closed one", status=Cohort.Status.CLOSED)
    html = page(client.get(public_url(course)))
    assert "Full</strong>" in html
    assert "Closed for applications" in html
    for cohort in (full, closed):
        assert reverse("courses:application-create", kwargs={"public_id": cohort.public_id}) not in html


def test_learner_sees_what_they_applied_for_and_a_calendar_for_their_place(
    client_for: Callable[[str], Client], candidate: Candidate, course: Course
) -> None:
    applied = CohortFactory.create(course=course, name="Applied", start_date=days(5))
    placed = CohortFactory.create(course=course, name="Placed", start_date=days(6))
    other = CohortFactory.create(course=course, name="Other", start_date=days(7))
    ApplicationFactory.create(cohort=applied, candidate=candidate)
    EnrolmentFactory.create(cohort=placed, candidate=candidate)
    html = page(client_for("learner").get(public_url(course)))
    assert "You have applied for these dates" in html
    assert reverse("courses:my-applications") in html
    assert reverse("courses:cohort-calendar", kwargs={"public_id": placed.public_id}) in html
    assert reverse("courses:application-create", kwargs={"public_id": other.public_id}) in html
    assert reverse("courses:application-create", kwargs={"public_id": applied.public_id}) not in html
    assert "To apply you need an account" not in html


def test_staff_preview_a_draft_without_apply_buttons(client_for: Callable[[str], Client], staff: User) -> None:
    draft = CourseFactory.create(title="Draft course", status=Course.Status.DRAFT)
    cohort = CohortFactory.create(course=draft, status=Cohort.Status.PLANNED)
    html = page(client_for("staff").get(public_url(draft)))
    assert "This course is draft: learners cannot see this page." in html
    assert draft.get_absolute_url() in html
    assert reverse("courses:application-create", kwargs={"public_id": cohort.public_id}) not in html
    assert cohort.get_absolute_url() in html


@pytest.mark.parametrize("persona", ["anonymous", "learner", "provider_user"])
def test_draft_and_archived_courses_are_not_public(persona: str, client_for: Callable[[str], Client]) -> None:
    for status in (Course.Status.DRAFT, Course.Status.ARCHIVED):
        course = CourseFactory.create(status=status)
        assert client_for(persona).get(public_url(course)).status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_course_page_query_count_does_not_grow(
    client_for: Callable[[str], Client], candidate: Candidate, course: Course, rows: int, django_assert_num_queries
) -> None:
    client = client_for("learner")
    client.get(FINDER)
    for n in range(rows):
        cohort = CohortFactory.create(course=course, start_date=days(5 + n))
        SessionFactory.create_batch(2, cohort=cohort)
        take_seats(cohort, 1)
    # session, user, course, cohorts with seats, their sessions, the learner's applications and places
    with django_assert_num_queries(7):
        page(client.get(public_url(course)))
