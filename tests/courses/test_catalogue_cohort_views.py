"""Cohort and session pages for staff: HTTP contract, filters, errors naming fields, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from courses.models import Attendance, Cohort, Course, Session
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_catalogue import take_seats

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return response.content.decode()


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def date_parts(name: str, value: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


def cohort_form(course: Course, **overrides: Any) -> dict[str, str]:
    data = {
        "course": str(course.public_id),
        "name": "Leeds, March",
        **date_parts("start_date", days(14)),
        **date_parts("end_date", days(25)),
        "capacity": "12",
        "venue": "Park Lane",
        "town": "Leeds",
        "partner": "",
        "status": "planned",
    }
    return {**data, **overrides}


# --- cohort list --------------------------------------------------------------------------------


def test_cohort_list_shows_current_cohorts_with_seats(staff_client: Client) -> None:
    running = CohortFactory.create(name="Running cohort", status=Cohort.Status.RUNNING, capacity=4)
    take_seats(running, 4)
    CohortFactory.create(name="Old cohort", status=Cohort.Status.FINISHED, start_date=days(-60), end_date=days(-50))
    html = page(staff_client.get("/manage/cohorts/"))
    assert "1 cohort" in html
    assert running.get_absolute_url() in html  # the delivery area's cohort page
    assert "4 of 4" in html
    assert "Full" in html
    assert "Old cohort" not in html
    assert reverse("courses:session-list", kwargs={"public_id": running.public_id}) in html


def test_cohort_list_filters(staff_client: Client) -> None:
    care = CourseFactory.create(title="Care Certificate")
    leeds = CohortFactory.create(name="Leeds spring", town="Leeds", course=care, start_date=days(10))
    bradford = CohortFactory.create(name="Bradford spring", town="Bradford", start_date=days(40))
    old = CohortFactory.create(name="Old", status=Cohort.Status.FINISHED, start_date=days(-60), end_date=days(-50))

    def names(**params: str) -> set[str]:
        html = page(staff_client.get("/manage/cohorts/", params))
        return {c.name for c in (leeds, bradford, old) if c.get_absolute_url() in html}

    assert names(course=str(care.public_id)) == {"Leeds spring"}
    assert names(town="brad") == {"Bradford spring"}
    assert names(starts_from=days(20).isoformat()) == {"Bradford spring"}
    assert names(starts_to=days(20).isoformat()) == {"Leeds spring"}
    assert names(show="finished") == {"Old"}
    assert names(show="all") == {"Leeds spring", "Bradford spring", "Old"}
    assert names(status="open", show="all") == {"Leeds spring", "Bradford spring"}


def test_cohort_list_filter_errors_name_the_field(staff_client: Client) -> None:
    html = page(staff_client.get("/manage/cohorts/", {"starts_from": "soon", "course": "nope"}))
    assert "Starts from must be a real date, for example 2027-03-27" in html
    assert "Choose a course from the list" in html


def test_cohort_list_empty_states(staff_client: Client) -> None:
    assert "There are no upcoming or running cohorts" in page(staff_client.get("/manage/cohorts/"))
    assert "No cohorts match your filters" in page(staff_client.get("/manage/cohorts/", {"town": "Hull"}))


@pytest.mark.parametrize("rows", [2, 20])
def test_cohort_list_query_count_does_not_grow(staff_client: Client, django_assert_num_queries, rows: int) -> None:
    staff_client.get("/")  # the first request of a staff session writes its idle expiry once
    for cohort in CohortFactory.create_batch(rows):
        take_seats(cohort, 2)
    # session, user, MFA check, the filter's course choices, count, page of cohorts with seats
    with django_assert_num_queries(6):
        assert staff_client.get("/manage/cohorts/").status_code == 200


# --- create, update, delete ---------------------------------------------------------------------


def test_cohort_create_from_a_course_page(staff_client: Client) -> None:
    course = CourseFactory.create(title="Care basics")
    CourseFactory.create(title="Archived course", status=Course.Status.ARCHIVED)
    html = page(staff_client.get("/manage/cohorts/new/", {"course": str(course.public_id)}))
    assert f'<option value="{course.public_id}" selected>' in html
    assert "Archived course" not in html
    response = staff_client.post("/manage/cohorts/new/", cohort_form(course))
    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("courses:session-list", kwargs={"public_id": cohort.public_id})
    assert (cohort.course, cohort.start_date, cohort.capacity) == (course, days(14), 12)


def test_cohort_create_ignores_a_bad_course_parameter(staff_client: Client) -> None:
    assert staff_client.get("/manage/cohorts/new/", {"course": "not-a-uuid"}).status_code == 200


def test_cohort_end_before_start_is_named(staff_client: Client) -> None:
    course = CourseFactory.create()
    html = page(staff_client.post("/manage/cohorts/new/", cohort_form(course, **date_parts("end_date", days(13)))))
    assert "<title>Error: Add a cohort" in html
    assert "The end date must be the same as or after the start date" in html
    assert 'href="#id_end_date_0"' in html
    assert not Cohort.objects.exists()


def test_cohort_form_required_fields_are_named(staff_client: Client) -> None:
    html = page(staff_client.post("/manage/cohorts/new/", {}))
    for message in (
        "Choose the course",
        "Enter the cohort name",
        "Enter the start date",
        "Enter the end date",
        "Enter the capacity",
        "Enter the town or city",
        "Select the cohort&#x27;s status",
    ):
        assert message in html


def test_cohort_form_invalid_date_is_named(staff_client: Client) -> None:
    course = CourseFactory.create()
    data = cohort_form(course, start_date_0="31", start_date_1="2", start_date_2="2027")
    assert "Start date must be a real date" in page(staff_client.post("/manage/cohorts/new/", data))


def test_cohort_update_and_service_errors_on_fields(staff_client: Client) -> None:
    cohort = CohortFactory.create(capacity=12)
    take_seats(cohort, 3)
    url = reverse("courses:cohort-update", kwargs={"public_id": cohort.public_id})
    assert f'value="{cohort.name}"' in page(staff_client.get(url))
    data = cohort_form(
        cohort.course,
        name=cohort.name,
        **date_parts("start_date", cohort.start_date),
        **date_parts("end_date", cohort.end_date),
        capacity="2",
        status="open",
    )
    html = page(staff_client.post(url, data))
    assert "3 places are already offered or taken: the capacity must be 3 or more" in html
    assert 'href="#id_capacity"' in html
    response = staff_client.post(url, {**data, "capacity": "15"})
    assert response["Location"] == cohort.get_absolute_url()
    cohort.refresh_from_db()
    assert cohort.capacity == 15


def test_cohort_delete_flow(staff_client: Client) -> None:
    cohort = CohortFactory.create(name="Typo cohort")
    SessionFactory.create_batch(2, cohort=cohort)
    url = reverse("courses:cohort-delete", kwargs={"public_id": cohort.public_id})
    html = page(staff_client.get(url))
    assert "Delete Typo cohort?" in html
    assert "its 2 sessions" in html
    assert staff_client.post(url)["Location"] == reverse("courses:cohort-list")
    assert not Cohort.objects.exists()


def test_cohort_delete_refused_when_in_use(staff_client: Client) -> None:
    cohort = CohortFactory.create(name="Busy cohort")
    EnrolmentFactory.create(cohort=cohort)
    url = reverse("courses:cohort-delete", kwargs={"public_id": cohort.public_id})
    html = page(staff_client.get(url))
    assert "You cannot delete Busy cohort" in html
    assert "Yes, delete" not in html
    staff_client.post(url)
    assert Cohort.objects.filter(pk=cohort.pk).exists()


# --- sessions -----------------------------------------------------------------------------------


@pytest.fixture
def cohort() -> Cohort:
    return CohortFactory.create(start_date=days(14), end_date=days(27), name="Leeds, March", venue="Park Lane")


def test_session_list(staff_client: Client, cohort: Cohort) -> None:
    marked = SessionFactory.create(cohort=cohort, date=days(14), topic="Safeguarding")
    free = SessionFactory.create(cohort=cohort, date=days(15), online_link="https://meet.example.org/a")
    Attendance.objects.create(session=marked, enrolment=EnrolmentFactory.create(cohort=cohort), mark="present")
    html = page(staff_client.get(reverse("courses:session-list", kwargs={"public_id": cohort.public_id})))
    assert "2 sessions" in html
    assert "Safeguarding" in html
    assert "Register taken" in html
    assert reverse("courses:session-delete", kwargs={"public_id": marked.public_id}) not in html
    assert reverse("courses:session-delete", kwargs={"public_id": free.public_id}) in html
    assert reverse("courses:cohort-calendar", kwargs={"public_id": cohort.public_id}) in html
    assert "1 of 12" in html


def test_session_list_empty_state(staff_client: Client, cohort: Cohort) -> None:
    html = page(staff_client.get(reverse("courses:session-list", kwargs={"public_id": cohort.public_id})))
    assert "There are no sessions yet" in html
    assert "calendar.ics" not in html


@pytest.mark.parametrize("rows", [2, 20])
def test_session_list_query_count_does_not_grow(
    staff_client: Client, cohort: Cohort, django_assert_num_queries, rows: int
) -> None:
    staff_client.get("/")
    enrolment = EnrolmentFactory.create(cohort=cohort)
    for n in range(rows):
        session = SessionFactory.create(cohort=cohort, date=cohort.start_date + dt.timedelta(days=n % 14))
        session.start_time = dt.time(8 + n // 14, 0)
        session.end_time = dt.time(8 + n // 14, 30)
        session.save()
        Attendance.objects.create(session=session, enrolment=enrolment, mark="present")
    # session, user, MFA check, the cohort with its course and seats, its sessions with their marks counted
    with django_assert_num_queries(5):
        assert (
            staff_client.get(reverse("courses:session-list", kwargs={"public_id": cohort.public_id})).status_code == 200
        )


def session_form(**overrides: Any) -> dict[str, str]:
    data = {
        **date_parts("date", days(14)),
        "start_time": "9:30am",
        "end_time": "15:00",
        "topic": "Safeguarding",
        "venue": "",
        "online_link": "",
        "tutor": "Jo",
    }
    return {**data, **overrides}


def test_session_create_copies_the_last_session_and_repeats(staff_client: Client, cohort: Cohort) -> None:
    SessionFactory.create(cohort=cohort, date=days(14), start_time=dt.time(10), end_time=dt.time(12), tutor="Sam")
    url = reverse("courses:session-create", kwargs={"public_id": cohort.public_id})
    html = page(staff_client.get(url))
    assert 'value="10:00"' in html
    assert 'value="Sam"' in html
    assert "Repeat every week on (optional)" in html
    data = session_form(**date_parts("date", days(15)), repeat_weekdays=[str(days(15).weekday())])
    response = staff_client.post(url, data, follow=True)
    assert "2 sessions have been added to Leeds, March." in page(response)  # days 15 and 22
    assert cohort.sessions.count() == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start_time", "half nine", "Start time must be a time, like 9:30am or 14:30"),
        ("end_time", "", "Enter the end time"),
        ("end_time", "9am", "The end time must be after the start time"),
        ("online_link", "not a link", "Online meeting link must be a web address"),
    ],
)
def test_session_form_errors_name_the_field(
    staff_client: Client, cohort: Cohort, field: str, value: str, message: str
) -> None:
    url = reverse("courses:session-create", kwargs={"public_id": cohort.public_id})
    html = page(staff_client.post(url, session_form(**{field: value})))
    assert message in html
    assert "<title>Error: Add sessions" in html
    assert not Session.objects.exists()


def test_session_outside_the_cohort_is_reported_on_the_date(staff_client: Client, cohort: Cohort) -> None:
    url = reverse("courses:session-create", kwargs={"public_id": cohort.public_id})
    html = page(staff_client.post(url, session_form(**date_parts("date", days(30)))))
    assert "The date must be within the cohort&#x27;s dates" in html
    assert 'href="#id_date_0"' in html


def test_session_update(staff_client: Client, cohort: Cohort) -> None:
    session = SessionFactory.create(cohort=cohort, date=days(14))
    url = reverse("courses:session-update", kwargs={"public_id": session.public_id})
    html = page(staff_client.get(url))
    assert 'value="09:30"' in html
    assert "Repeat every week" not in html
    response = staff_client.post(url, session_form(start_time="2pm", end_time="4:30pm"))
    assert response["Location"] == reverse("courses:session-list", kwargs={"public_id": cohort.public_id})
    session.refresh_from_db()
    assert (session.start_time, session.end_time) == (dt.time(14), dt.time(16, 30))


def test_session_delete_flow(staff_client: Client, cohort: Cohort) -> None:
    session = SessionFactory.create(cohort=cohort, date=days(14))
    url = reverse("courses:session-delete", kwargs={"public_id": session.public_id})
    assert "Delete the session on" in page(staff_client.get(url))
    staff_client.post(url)
    assert not Session.objects.exists()


def test_session_with_marks_is_not_deleted(staff_client: Client, cohort: Cohort) -> None:
    session = SessionFactory.create(cohort=cohort)
    Attendance.objects.create(session=session, enrolment=EnrolmentFactory.create(cohort=cohort), mark="late")
    url = reverse("courses:session-delete", kwargs={"public_id": session.public_id})
    assert "You cannot delete the session" in page(staff_client.get(url))
    assert "Attendance has been taken" in page(staff_client.post(url, follow=True))
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_first_session_defaults_to_the_cohorts_first_day(staff_client: Client, cohort: Cohort) -> None:
    html = page(staff_client.get(reverse("courses:session-create", kwargs={"public_id": cohort.public_id})))
    assert f'name="date_0" value="{cohort.start_date.day}"' in html


def test_the_next_session_defaults_to_the_next_weekday(staff_client: Client, cohort: Cohort) -> None:
    friday = cohort.start_date + dt.timedelta(days=(4 - cohort.start_date.weekday()) % 7)
    SessionFactory.create(cohort=cohort, date=friday)
    monday = friday + dt.timedelta(days=3)
    html = page(staff_client.get(reverse("courses:session-create", kwargs={"public_id": cohort.public_id})))
    assert f'name="date_0" value="{monday.day}"' in html
