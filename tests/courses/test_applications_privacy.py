"""A learner's course data in their "My data" download and in anonymisation; the demo applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate
from candidates.selectors.learner import learner_data_export, learner_data_sections
from candidates.services.privacy import candidate_anonymise
from courses.demo_applications import seed_applications
from courses.models import (
    Application,
    Attendance,
    Certificate,
    Cohort,
    Enrolment,
    Feedback,
    Questionnaire,
    SupportPayment,
)
from tests.courses.factories import ApplicationFactory, CohortFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_applications import ScreeningQuestionFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_history(candidate: Candidate, staff: User) -> Enrolment:
    """The learner applied with an answer, was enrolled, attended, got a certificate, gave feedback."""
    cohort = CohortFactory.create(name="Leeds January")
    question = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    application = ApplicationFactory.create(
        cohort=cohort,
        candidate=candidate,
        status=Application.Status.ACCEPTED,
        answers={str(question.pk): "I looked after my gran", "999": "An answer to a removed question"},
        decision_reason="",
    )
    enrolment = EnrolmentFactory.create(
        cohort=cohort, candidate=candidate, application=application, status_reason="Paused for childcare"
    )
    session = SessionFactory.create(cohort=cohort)
    Attendance.objects.create(session=session, enrolment=enrolment, mark="absent_reason", note="Hospital visit")
    certificate = Certificate(enrolment=enrolment, title="Care Certificate", issued_on=dt.date(2026, 3, 1))
    certificate.original_name = "lena-certificate.pdf"
    certificate.file.save("certificate.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    certificate.save()
    Feedback.objects.create(enrolment=enrolment, rating=4, comment="Tutor was great, my anxiety got better")
    Questionnaire.objects.create(enrolment=enrolment, when="before", answers={"confidence": 3}, score=21)
    SupportPayment.objects.create(
        candidate=candidate,
        cohort=cohort,
        kind=SupportPayment.Kind.CHILDCARE,
        amount=Decimal("45.50"),
        description="Nursery fees for Jamie",
        requested_by=staff,
    )
    ApplicationFactory.create(
        candidate=candidate, status=Application.Status.DECLINED, decision_reason="Not enough weekday availability"
    )
    return enrolment


def test_export_holds_the_learners_course_data(course_history: Enrolment, candidate: Candidate) -> None:
    data = learner_data_export(candidate)
    assert [a["status"] for a in data["course_applications"]] == ["Place accepted", "Not offered a place"]
    assert data["course_applications"][1]["reason_given"] == "Not enough weekday availability"
    assert [(a["question"], a["your_answer"]) for a in data["course_application_answers"]] == [
        ("Why care?", "I looked after my gran"),
        ("A question no longer asked on this course", "An answer to a removed question"),
    ]
    enrolment = data["course_enrolments"][0]
    assert enrolment["course"].endswith("(Leeds January)")
    assert (enrolment["status"], enrolment["reason"]) == ("Enrolled", "Paused for childcare")
    assert data["course_attendance"][0]["mark"] == "Absent with reason"
    assert data["course_attendance"][0]["note"] == "Hospital visit"
    assert data["certificates"][0]["file"] == "lena-certificate.pdf"
    assert data["course_feedback"][0]["rating_out_of_5"] == 4
    assert data["course_questionnaires"][0]["answers"] == "confidence: 3"
    assert data["support_payments"][0]["amount"] == "£45.50"
    titles = {s.key: s.title for s in learner_data_sections(data)}
    assert titles["course_application_answers"] == "Your answers to course screening questions"
    assert titles["support_payments"] == "Support payments"


def test_export_of_someone_without_courses_has_empty_sections(other_candidate: Candidate) -> None:
    data = learner_data_export(other_candidate)
    assert data["course_applications"] == [] and data["support_payments"] == []


def test_anonymising_clears_course_free_text_and_keeps_the_figures(
    course_history: Enrolment, candidate: Candidate, staff: User, django_capture_on_commit_callbacks
) -> None:
    certificate = course_history.certificates.get()
    storage, name = certificate.file.storage, certificate.file.name
    other = ApplicationFactory.create(answers={"1": "Someone else's answer"})
    with django_capture_on_commit_callbacks(execute=True):
        candidate_anonymise(candidate=candidate, actor=staff)
    applications = Application.objects.filter(candidate=candidate).order_by("created_at")
    assert [(a.answers, a.decision_reason) for a in applications] == [({}, ""), ({}, "")]
    assert [a.status for a in applications] == [Application.Status.ACCEPTED, Application.Status.DECLINED]
    course_history.refresh_from_db()
    assert (course_history.status, course_history.status_reason) == (Enrolment.Status.ENROLLED, "")
    assert Attendance.objects.get().mark == "absent_reason" and Attendance.objects.get().note == ""
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (4, "")
    assert Questionnaire.objects.get().score == 21
    payment = SupportPayment.objects.get()
    assert (payment.amount, payment.kind, payment.description) == (Decimal("45.50"), "childcare", "")
    certificate.refresh_from_db()
    assert (certificate.title, certificate.file.name, certificate.original_name) == ("Care Certificate", "", "")
    assert not storage.exists(name)
    other.refresh_from_db()
    assert other.answers == {"1": "Someone else's answer"}


# --- demo -------------------------------------------------------------------------------------------


def test_demo_applications_cover_every_status_within_capacity_and_run_once() -> None:
    CandidateFactory.create_batch(30)
    full = CohortFactory.create(capacity=6, start_date=timezone.localdate() + dt.timedelta(days=10))
    second = CohortFactory.create(capacity=6, start_date=timezone.localdate() + dt.timedelta(days=20))
    CohortFactory.create(status=Cohort.Status.RUNNING, start_date=timezone.localdate())  # left alone
    ScreeningQuestionFactory.create(course=full.course)
    created = seed_applications()
    assert created == Application.objects.count() > 0
    assert set(Application.objects.filter(cohort=full).values_list("status", flat=True)) == set(
        Application.Status.values
    )
    from courses.selectors.applications import cohort_seats_taken

    assert cohort_seats_taken(full) == full.capacity  # full, with a waiting list
    assert cohort_seats_taken(second) <= second.capacity
    assert Enrolment.objects.filter(application__status=Application.Status.ACCEPTED).count() == (
        Application.objects.filter(status=Application.Status.ACCEPTED).count()
    )
    assert all(a.answers for a in Application.objects.filter(cohort=full))
    assert seed_applications() == 0


def test_demo_gives_the_demo_learner_an_offer_to_accept(learner: User) -> None:
    User.objects.filter(pk=learner.pk).update(email="learner@demo.academy")
    demo_learner = CandidateFactory.create(user=learner)
    CandidateFactory.create_batch(20)
    CohortFactory.create(capacity=4)
    seed_applications()
    assert Application.objects.get(candidate=demo_learner).status == Application.Status.OFFERED
