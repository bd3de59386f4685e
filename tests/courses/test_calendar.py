"""The .ics calendar of a cohort's sessions: valid iCalendar (RFC 5545) and only for staff and learners on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from academy.models import User
from candidates.models import Candidate
from courses.ics import cohort_calendar, escape_text, fold, local_to_utc
from courses.models import Cohort, Course, Enrolment
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


# --- the format ---------------------------------------------------------------------------------


def test_escape_text() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_fold_keeps_lines_within_75_octets_without_splitting_characters() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold("SHORT:line") == "SHORT:line"


def test_local_times_become_utc_in_winter_and_summer() -> None:
    assert local_to_utc(dt.date(2027, 1, 11), dt.time(9, 30)) == "20270111T093000Z"  # GMT
    assert local_to_utc(dt.date(2027, 6, 14), dt.time(9, 30)) == "20270614T083000Z"  # BST


@pytest.mark.django_db
def test_calendar_has_one_event_per_session(settings: Any) -> None:
    settings.SITE_URL = "https://academy.example.org"
    course = CourseFactory.create(title="Care, basics; part 1")
    cohort = CohortFactory.create(
        course=course,
        name="Leeds",
        venue="Park Lane, Leeds",
        start_date=dt.date(2027, 6, 14),
        end_date=dt.date(2027, 6, 25),
    )
    first = SessionFactory.create(
        cohort=cohort, date=dt.date(2027, 6, 14), start_time=dt.time(9, 30), end_time=dt.time(15), topic="Safeguarding"
    )
    second = SessionFactory.create(
        cohort=cohort,
        date=dt.date(2027, 6, 15),
        start_time=dt.time(10),
        end_time=dt.time(12),
        tutor="Sam Okafor",
        online_link="https://meet.example.org/abc",
    )
    text = cohort_calendar(cohort=cohort, sessions=[first, second], now=NOW)
    lines = unfold(text)
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", lines[2], "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    assert lines[2].startswith("PRODID:")
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert f"UID:session-{first.public_id}@academy.example.org" in lines
    assert f"UID:session-{second.public_id}@academy.example.org" in lines
    assert lines.count("DTSTAMP:20270301T120000Z") == 2
    assert "DTSTART:20270614T083000Z" in lines
    assert "DTEND:20270614T140000Z" in lines
    assert "SUMMARY:Care\\, basics\\; part 1: Safeguarding" in lines
    assert "SUMMARY:Care\\, basics\\; part 1: session 2 of 2" in lines
    assert lines.count("LOCATION:Park Lane\\, Leeds") == 2
    assert "URL:https://meet.example.org/abc" in lines
    assert "DESCRIPTION:Leeds\\nTutor: Sam Okafor\\nJoin online: https://meet.example.org/abc" in lines
    assert lines.count("STATUS:CONFIRMED") == 2
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.django_db
def test_a_cancelled_cohort_cancels_its_events() -> None:
    cohort = CohortFactory.create(status=Cohort.Status.CANCELLED, venue="")
    session = SessionFactory.create(cohort=cohort)
    lines = unfold(cohort_calendar(cohort=cohort, sessions=[session], now=NOW))
    assert "STATUS:CANCELLED" in lines
    assert not any(line.startswith("LOCATION:") for line in lines)


@pytest.mark.django_db
def test_an_empty_cohort_is_still_a_valid_calendar() -> None:
    lines = unfold(cohort_calendar(cohort=CohortFactory.create(), sessions=[], now=NOW))
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" not in lines


# --- the download -------------------------------------------------------------------------------


@pytest.fixture
def cohort(db: None) -> Cohort:
    cohort = CohortFactory.create(course=CourseFactory.create(title="Care basics"), name="Leeds March")
    SessionFactory.create(cohort=cohort)
    return cohort


def url(cohort: Cohort) -> str:
    return reverse("courses:cohort-calendar", kwargs={"public_id": cohort.public_id})


def test_url_name(cohort: Cohort) -> None:
    assert url(cohort) == f"/cohorts/{cohort.public_id}/calendar.ics"


def test_learner_with_a_place_downloads_it(
    cohort: Cohort, candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    EnrolmentFactory.create(cohort=cohort, candidate=candidate)
    response = client_for("learner").get(url(cohort))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="care-basics-leeds-march.ics"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.decode().startswith("BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Enrolment.Status.COMPLETED, 200), (Enrolment.Status.PAUSED, 200), (Enrolment.Status.WITHDRAWN, 403)],
)
def test_a_withdrawn_learner_no_longer_gets_it(
    cohort: Cohort, candidate: Candidate, client_for: Callable[[str], Client], status: str, expected: int
) -> None:
    EnrolmentFactory.create(cohort=cohort, candidate=candidate, status=status)
    assert client_for("learner").get(url(cohort)).status_code == expected


def test_staff_get_it_others_do_not(cohort: Cohort, client_for: Callable[[str], Client], staff: User) -> None:
    assert client_for("staff").get(url(cohort)).status_code == 200
    assert client_for("other_learner").get(url(cohort)).status_code == 403
    assert client_for("provider_user").get(url(cohort)).status_code == 403
    response = client_for("anonymous").get(url(cohort))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_cohort_hidden_from_learners_is_not_found(
    candidate: Candidate, client_for: Callable[[str], Client], db: None
) -> None:
    hidden = CohortFactory.create(course=CourseFactory.create(status=Course.Status.DRAFT))
    EnrolmentFactory.create(cohort=hidden, candidate=candidate)
    assert client_for("learner").get(url(hidden)).status_code == 404
