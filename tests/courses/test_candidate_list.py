"""The staff candidate list's course, cohort and DBS status filters and its "add to cohort" action.

candidates finds the course parts in courses/candidate_list.py through academy.discovery; these
tests drive them through the list's own selector, forms and views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck
from candidates.selectors.candidate_list import CandidateListFilters, candidate_list_for_staff, candidate_list_options
from courses.candidate_list import candidate_list_choices
from courses.models import Application, Cohort, Enrolment
from courses.services.delivery import cohort_add_candidates
from tests.candidates.factories_dbs_records import DbsCheckFactory
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory, EnrolmentFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/candidates/"
BULK_URL = "/candidates/bulk/"


def listed(**filters: Any) -> list[Candidate]:
    return list(
        candidate_list_for_staff(
            candidates=Candidate.objects.all(), filters=CandidateListFilters(**filters, sort="name")
        )
    )


def flash(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


# --- filters -----------------------------------------------------------------------------------


def test_course_and_cohort_filters_find_people_with_a_place_once() -> None:
    course = CourseFactory.create()
    march, may = CohortFactory.create(course=course), CohortFactory.create(course=course)
    twice = CandidateFactory.create(last_name="Twice")
    EnrolmentFactory.create(cohort=march, candidate=twice, status=Enrolment.Status.PAUSED)
    EnrolmentFactory.create(cohort=may, candidate=twice)
    left = CandidateFactory.create(last_name="Left")
    EnrolmentFactory.create(cohort=march, candidate=left, status=Enrolment.Status.WITHDRAWN)
    EnrolmentFactory.create(candidate=CandidateFactory.create(last_name="Elsewhere"))
    ApplicationFactory.create(cohort=march, candidate=CandidateFactory.create(last_name="Applied"))

    assert listed(course=str(course.public_id)) == [left, twice]
    assert listed(cohort=str(may.public_id)) == [twice]
    assert listed(course=str(course.public_id), cohort=str(march.public_id)) == [left, twice]


def test_dbs_filter_reads_the_current_check_only() -> None:
    moved_on = CandidateFactory.create(last_name="Moved")
    DbsCheckFactory.create(candidate=moved_on, status=DbsCheck.Status.SUBMITTED, started_on=dt.date(2026, 1, 1))
    DbsCheckFactory.create(candidate=moved_on, status=DbsCheck.Status.CLEARED, started_on=dt.date(2026, 3, 1))
    waiting = CandidateFactory.create(last_name="Waiting")
    DbsCheckFactory.create(candidate=waiting, status=DbsCheck.Status.SUBMITTED)
    none = CandidateFactory.create(last_name="None")

    assert listed(dbs_status="submitted") == [waiting]
    assert listed(dbs_status="cleared") == [moved_on]
    assert listed(dbs_status="none") == [none]


def test_the_filters_live_in_the_url_and_show_as_selected(staff_client: Client) -> None:
    cohort = CohortFactory.create(name="Leeds March", course=CourseFactory.create(title="Care basics"))
    on = CandidateFactory.create(first_name="Onna")
    EnrolmentFactory.create(cohort=cohort, candidate=on)
    CandidateFactory.create(first_name="Offa")

    page = html(staff_client.get(LIST_URL, {"cohort": str(cohort.public_id), "dbs_status": "none"}))

    assert "Onna" in page and "Offa" not in page
    assert (
        f'value="{cohort.public_id}"\n                selected' in page
        or f'value="{cohort.public_id}" selected' in page
    )
    assert "Cohort: <strong>Care basics: Leeds March</strong>" in page
    assert "DBS check: <strong>No DBS check yet</strong>" in page
    assert AuditEntry.objects.filter(action="dbs.filter", data__status="none").count() == 1


def test_an_unknown_cohort_is_reported_and_ignored(staff_client: Client) -> None:
    CandidateFactory.create(first_name="Still")

    page = html(staff_client.get(LIST_URL, {"cohort": "not-a-cohort"}))

    assert "Choose a cohort from the list" in page and "Still" in page


# --- add to cohort -----------------------------------------------------------------------------


def test_choices_offer_cohorts_taking_people_with_seats_left(staff: User) -> None:
    today = timezone.localdate()
    roomy = CohortFactory.create(name="Roomy", capacity=3)
    EnrolmentFactory.create(cohort=roomy)
    full = CohortFactory.create(name="Full", capacity=1)
    EnrolmentFactory.create(cohort=full)
    over = CohortFactory.create(name="Over", status=Cohort.Status.FINISHED, start_date=today - dt.timedelta(days=30))
    CohortFactory.create(name="Planned", status=Cohort.Status.PLANNED)

    choices = candidate_list_choices(staff)

    labels = dict(choices.addable_cohorts)
    assert "2 seats left" in labels[str(roomy.public_id)] and "full" in labels[str(full.public_id)]
    assert str(over.public_id) not in labels
    assert len(choices.cohorts) == 4  # every cohort can be filtered on


def test_add_to_cohort_reports_each_person_added_or_not_and_why(staff_client: Client, staff: User) -> None:
    cohort = CohortFactory.create(name="Leeds March", capacity=3)
    already = CandidateFactory.create(first_name="Al", last_name="Ready")
    EnrolmentFactory.create(cohort=cohort, candidate=already)
    applied = CandidateFactory.create(first_name="Ap", last_name="Plied")
    ApplicationFactory.create(cohort=cohort, candidate=applied, status=Application.Status.SUBMITTED)
    first = CandidateFactory.create(first_name="Bea", last_name="First")
    second = CandidateFactory.create(first_name="Cy", last_name="Second")
    third = CandidateFactory.create(first_name="Di", last_name="Third")
    chosen = [already, applied, first, second, third]

    response = staff_client.post(
        BULK_URL,
        {"candidates": [str(c.public_id) for c in chosen], "action": "cohort", "cohort": str(cohort.public_id)},
    )

    assert response.status_code == 302
    assert flash(response) == [
        "2 candidates added to Leeds March: Bea First, Cy Second.",
        "Ap Plied was not added. Ap Plied has an application for Leeds March that is submitted: "
        "decide on it from the application instead.",
        "Al Ready was not added. Al Ready is already on Leeds March.",
        "Di Third was not added. There are no seats left on Leeds March (all 3 are taken).",
    ]
    assert set(Enrolment.objects.filter(cohort=cohort).values_list("candidate__last_name", flat=True)) == {
        "Ready",
        "First",
        "Second",
    }
    first.refresh_from_db()
    assert first.stage.slug == "on_course"
    assert AuditEntry.objects.filter(action="enrolment.add").count() == 2
    summary = AuditEntry.objects.get(action="cohort.bulk_add")
    assert summary.data["added"] == [str(first.public_id), str(second.public_id)]
    assert set(summary.data["not_added"]) == {str(already.public_id), str(applied.public_id), str(third.public_id)}


def test_add_to_cohort_needs_a_cohort_from_the_list(staff_client: Client) -> None:
    person = CandidateFactory.create()
    finished = CohortFactory.create(status=Cohort.Status.FINISHED, start_date=timezone.localdate() - dt.timedelta(30))

    missing = staff_client.post(BULK_URL, {"candidates": [str(person.public_id)], "action": "cohort", "cohort": ""})
    closed = staff_client.post(
        BULK_URL, {"candidates": [str(person.public_id)], "action": "cohort", "cohort": str(finished.public_id)}
    )

    assert "Choose the cohort to add them to" in html(missing)
    assert "Choose a cohort from the list" in html(closed)
    assert not Enrolment.objects.exists()


def test_only_staff_add_people_to_a_cohort(learner: User) -> None:
    cohort = CohortFactory.create()
    with pytest.raises(ValidationError, match="Only academy staff"):
        cohort_add_candidates(cohort=cohort, candidates=[CandidateFactory.create()], actor=learner)
    assert not Enrolment.objects.exists()


def test_the_list_offers_the_action_and_the_filters(staff_client: Client, staff: User) -> None:
    cohort = CohortFactory.create(name="Leeds March")
    CandidateFactory.create()

    page = html(staff_client.get(LIST_URL))
    options = candidate_list_options(staff)

    assert "Add to a cohort" in page and 'name="cohort"' in page and 'name="course"' in page
    assert options.has_courses and str(cohort.public_id) in dict(options.addable_cohorts)
