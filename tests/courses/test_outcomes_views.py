"""Outcomes for staff: the HTTP contract of recording outcomes, the cohort's outcomes, course feedback, certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from academy.models import AuditEntry
from candidates.models import Candidate, Milestone, PipelineStage
from courses.models import Certificate, Cohort, Course, Enrolment
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import (
    CertificateFactory,
    FeedbackFactory,
    finished_cohort,
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


# --- recording outcomes ---


def test_the_outcome_form_shows_the_learner_and_their_attendance(staff_client: Client) -> None:
    made = finished_cohort(learners=1)
    enrolment = made.enrolments[0]
    mark(SessionFactory.create(cohort=made.cohort, date=made.cohort.start_date), enrolment)

    response = staff_client.get(complete_url(enrolment))

    assert response.status_code == 200
    page = html(response)
    assert escape(enrolment.candidate.full_name) in page
    assert "100.0% (1 of 1 sessions)" in page
    assert "Record the outcome" in page
    assert "Care Certificate standards achieved" not in page  # not a Care Certificate course


def test_recording_an_outcome_redirects_to_the_cohort_outcomes_with_a_message(staff_client: Client) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]

    response = staff_client.post(complete_url(enrolment), {"status": "completed"}, follow=True)

    assert response.redirect_chain[0][0] == f"{outcomes_url(enrolment.cohort)}#learner-{enrolment.public_id}"
    assert f"Course outcome recorded for {enrolment.candidate.full_name}: Completed." in html(response)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_recording_completion_tells_staff_when_the_learner_could_not_move_on(staff_client: Client) -> None:
    PipelineStage.objects.filter(milestone=Milestone.COMPLETED_COURSE).update(is_active=False)
    enrolment = finished_cohort(learners=1).enrolments[0]

    response = staff_client.post(complete_url(enrolment), {"status": "completed"}, follow=True)

    page = html(response)
    assert f"Course outcome recorded for {enrolment.candidate.full_name}: Completed." in page
    assert f"{enrolment.candidate.full_name} could not be moved to Completed course" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "status", "Select how the course ended for them"),
        ({"status": "withdrawn", "reason": ""}, "reason", "Enter why they withdrew"),
        ({"status": "did_not_complete"}, "reason", "Enter why they did not complete the course"),
        ({"status": "paused"}, "status", "Select a valid choice"),
    ],
)
def test_outcome_errors_name_the_field(staff_client: Client, data: dict, field: str, message: str) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]

    response = staff_client.post(complete_url(enrolment), data)

    assert response.status_code == 200
    page = html(response)
    assert "<title>Error: " in page
    assert message in page
    assert f'href="#id_{field}' in page  # the error summary links to the field
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_care_certificate_courses_record_standards_achieved(staff_client: Client) -> None:
    course = CourseFactory.create(kind=Course.Kind.CARE_CERTIFICATE)
    enrolment = finished_cohort(learners=1, course=course).enrolments[0]

    assert "Care Certificate standards achieved" in html(staff_client.get(complete_url(enrolment)))
    too_many = staff_client.post(complete_url(enrolment), {"status": "completed", "care_certificate_standards": "17"})
    staff_client.post(complete_url(enrolment), {"status": "completed", "care_certificate_standards": "15"})

    assert "Standards achieved must be 16 or fewer" in html(too_many)
    enrolment.refresh_from_db()
    assert enrolment.care_certificate_standards == 15


def test_a_service_refusal_is_shown_on_the_form(staff_client: Client) -> None:
    enrolment = EnrolmentFactory.create(cohort=CohortFactory.create())  # starts in two weeks

    response = staff_client.post(complete_url(enrolment), {"status": "completed"})

    assert response.status_code == 200
    assert "nobody can complete it before then" in html(response)


# --- the cohort's outcomes page and a course's feedback ---


def test_cohort_outcomes_page_shows_each_learner_and_the_figures(staff_client: Client) -> None:
    made = finished_cohort(learners=2)
    first, second = made.enrolments
    Enrolment.objects.filter(pk=first.pk).update(status=Enrolment.Status.COMPLETED)
    CertificateFactory.create(enrolment=first, title="Introduction to care certificate")
    FeedbackFactory.create(enrolment=first, rating=5, comment="The placement was brilliant")

    response = staff_client.get(outcomes_url(made.cohort))

    page = html(response)
    assert "50% completion" in page
    assert "5.0 out of 5" in page
    assert "Introduction to care certificate" in page
    assert "The placement was brilliant" in page
    assert complete_url(second) in page
    assert escape(first.candidate.full_name) in page and escape(second.candidate.full_name) in page


def test_cohort_outcomes_page_without_learners(staff_client: Client) -> None:
    response = staff_client.get(outcomes_url(CohortFactory.create()))

    page = html(response)
    assert "Nobody is enrolled on this cohort yet" in page
    assert "No learner has given feedback yet" in page


def _add_learners(cohort: Cohort, count: int) -> None:
    for _ in range(count):
        enrolment = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.COMPLETED)
        CertificateFactory.create(enrolment=enrolment)
        CertificateFactory.create(enrolment=enrolment, title="First aid")
        FeedbackFactory.create(enrolment=enrolment, comment="Good")


OUTCOMES_PAGE_QUERIES = 11  # session, user, MFA, cohort, learners, certificates, 5 figures


def test_cohort_outcomes_page_query_count_does_not_grow_with_learners(
    staff_client: Client, django_assert_num_queries
) -> None:
    cohort = finished_cohort(learners=0).cohort
    _add_learners(cohort, 2)
    staff_client.get(outcomes_url(cohort))  # the first request after signing in also saves the session
    with django_assert_num_queries(OUTCOMES_PAGE_QUERIES):
        assert staff_client.get(outcomes_url(cohort)).status_code == 200

    _add_learners(cohort, 18)
    with django_assert_num_queries(OUTCOMES_PAGE_QUERIES):
        response = staff_client.get(outcomes_url(cohort))
    assert html(response).count('id="learner-') == 20


COURSE_FEEDBACK_QUERIES = 6  # session, user, MFA, course, cohorts with averages, summary


def test_course_feedback_page_query_count_does_not_grow_with_cohorts(
    staff_client: Client, django_assert_num_queries
) -> None:
    course = CourseFactory.create()
    url = reverse("courses:course-feedback", kwargs={"public_id": course.public_id})

    cohorts: list[Cohort] = []

    def add_cohorts(count: int) -> None:
        for i in range(count):
            cohort = CohortFactory.create(course=course, start_date=timezone.localdate() - dt.timedelta(days=30 + i))
            FeedbackFactory.create(enrolment__cohort=cohort, rating=4)
            cohorts.append(cohort)

    add_cohorts(2)
    staff_client.get(url)  # the first request after signing in also saves the session
    with django_assert_num_queries(COURSE_FEEDBACK_QUERIES):
        assert staff_client.get(url).status_code == 200
    add_cohorts(18)
    with django_assert_num_queries(COURSE_FEEDBACK_QUERIES):
        response = staff_client.get(url)
    page = html(response)
    assert "4.0 out of 5" in page
    assert all(outcomes_url(cohort) in page for cohort in cohorts)


# --- certificates ---


def certificate_create_url(enrolment: Enrolment) -> str:
    return reverse("courses:certificate-create", kwargs={"public_id": enrolment.public_id})


def date_data(day: dt.date) -> dict[str, str]:
    return {"issued_on_0": str(day.day), "issued_on_1": str(day.month), "issued_on_2": str(day.year)}


def test_staff_add_a_certificate_with_a_file_and_the_learner_downloads_it(
    staff_client: Client, learner_client: Client, own_enrolment: Enrolment
) -> None:
    upload = SimpleUploadedFile("Care certificate.pdf", PDF, content_type="application/pdf")
    data = {"title": "Care Certificate", **date_data(timezone.localdate()), "file": upload}

    response = staff_client.post(certificate_create_url(own_enrolment), data)

    assert response.status_code == 302
    certificate = Certificate.objects.get(enrolment=own_enrolment)
    url = reverse("courses:certificate-download", kwargs={"public_id": certificate.public_id})
    download = learner_client.get(url)
    assert download.status_code == 200
    assert download.getvalue() == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="Care certificate.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="certificate.download", actor__email="learner@example.org").exists()
    page = html(learner_client.get(reverse("courses:my-enrolments")))
    assert url in page


def test_a_certificate_without_a_file_is_recorded_and_has_nothing_to_download(
    staff_client: Client, learner_client: Client, own_enrolment: Enrolment
) -> None:
    staff_client.post(certificate_create_url(own_enrolment), {"title": "First aid", **date_data(timezone.localdate())})

    certificate = Certificate.objects.get()
    assert not certificate.file
    url = reverse("courses:certificate-download", kwargs={"public_id": certificate.public_id})
    assert learner_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Enter the certificate title"),
        ({"issued_on_0": "31", "issued_on_1": "2", "issued_on_2": "2026"}, "Date issued must be a real date"),
        ({"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")}, "The selected file must be a PDF"),
        ({"file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00")}, "its contents do not match its name"),
    ],
)
def test_certificate_errors_name_the_field(staff_client: Client, own_enrolment: Enrolment, data: dict, message: str):
    valid = {"title": "First aid", **date_data(timezone.localdate())}

    response = staff_client.post(certificate_create_url(own_enrolment), {**valid, **data})

    assert response.status_code == 200
    assert message in html(response)
    assert not Certificate.objects.exists()


def test_a_future_certificate_date_is_refused(staff_client: Client, own_enrolment: Enrolment) -> None:
    data = {"title": "First aid", **date_data(timezone.localdate() + dt.timedelta(days=2))}

    response = staff_client.post(certificate_create_url(own_enrolment), data)

    assert "Date issued must be in the past" in html(response)


def test_deleting_a_certificate_asks_first(staff_client: Client, own_enrolment: Enrolment) -> None:
    certificate = CertificateFactory.create(enrolment=own_enrolment, title="First aid")
    url = reverse("courses:certificate-delete", kwargs={"public_id": certificate.public_id})

    confirm = staff_client.get(url)
    assert 'Delete the certificate "First aid"?' in html(confirm)
    assert Certificate.objects.exists()
    response = staff_client.post(url)

    assert response.status_code == 302
    assert not Certificate.objects.exists()
