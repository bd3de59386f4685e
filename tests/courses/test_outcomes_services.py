"""Outcomes: recording how a course ended, certificates, feedback and questionnaires (services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import PipelineStage
from candidates.services.pipeline import candidate_move_stage
from courses.models import Application, Certificate, Cohort, Course, Enrolment, Feedback, Questionnaire
from courses.services.feedback import (
    feedback_problem,
    feedback_submit,
    questionnaire_problem,
    questionnaire_submit,
)
from courses.services.outcomes import certificate_create, certificate_delete, enrolment_record_outcome
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory, EnrolmentFactory
from tests.courses.factories_outcomes import FeedbackFactory, QuestionnaireFactory, finished_cohort, scores
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stage(slug: str) -> PipelineStage:
    return PipelineStage.objects.get(slug=slug)


# --- completion ---


def test_completing_moves_the_learner_to_the_completed_course_milestone(staff: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]
    candidate_move_stage(candidate=enrolment.candidate, actor=staff, stage=stage("on_course"))

    result = enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)

    enrolment.refresh_from_db()
    enrolment.candidate.refresh_from_db()
    assert enrolment.status == Status.COMPLETED and enrolment.ended_at is not None
    assert result.moved_to == stage("completed_course") and result.move_problem == ""
    assert enrolment.candidate.stage.milestone == "completed_course"
    assert enrolment.candidate.stage_changes.filter(to_stage__slug="completed_course", changed_by=staff).exists()
    assert AuditEntry.objects.filter(action="enrolment.outcome", object_id=str(enrolment.pk)).exists()


def test_completing_says_why_a_switched_off_milestone_stage_was_not_reached(staff: User) -> None:
    PipelineStage.objects.filter(milestone="completed_course").update(is_active=False, name="Course done")
    enrolment = finished_cohort(learners=1).enrolments[0]

    result = enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)

    assert result.moved_to is None
    assert "could not be moved to Course done" in result.move_problem
    assert "switched that stage off" in result.move_problem
    assert result.enrolment.status == Status.COMPLETED
    missed = AuditEntry.objects.get(action="candidate.milestone_missed", object_id=str(enrolment.candidate_id))
    assert missed.data == {"milestone": "completed_course", "problem": result.move_problem}


def test_completing_does_not_move_someone_already_further_on_or_closed(staff: User) -> None:
    further, closed = finished_cohort(learners=2).enrolments
    candidate_move_stage(candidate=further.candidate, actor=staff, stage=stage("in_work"))
    candidate_move_stage(candidate=closed.candidate, actor=staff, stage=stage("closed"), reason="moved_away")

    assert enrolment_record_outcome(enrolment=further, actor=staff, status=Status.COMPLETED).moved_to is None
    assert enrolment_record_outcome(enrolment=closed, actor=staff, status=Status.COMPLETED).moved_to is None
    further.candidate.refresh_from_db()
    assert further.candidate.stage.slug == "in_work"


def test_completing_emails_a_learner_with_an_account_to_ask_for_feedback(
    staff: User, candidate, django_capture_on_commit_callbacks
) -> None:
    cohort = finished_cohort(learners=0).cohort
    enrolment = EnrolmentFactory.create(cohort=cohort, candidate=candidate)

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [candidate.email]
    assert "You have completed" in message.subject
    assert f"/me/enrolments/{enrolment.public_id}/feedback/" in message.body


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.DID_NOT_COMPLETE])
def test_withdrawing_or_not_completing_needs_a_reason(staff: User, status: str) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]

    with pytest.raises(ValidationError) as error:
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status=status, reason="  ")

    assert "reason" in error.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ENROLLED


def test_withdrawing_before_the_start_offers_the_seat_to_the_waiting_list(staff: User) -> None:
    cohort = CohortFactory.create(capacity=1, status=Cohort.Status.OPEN)
    enrolment = EnrolmentFactory.create(cohort=cohort)
    waiting = ApplicationFactory.create(
        cohort=cohort, status=Application.Status.WAITING_LIST, waiting_since=timezone.now()
    )

    result = enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.WITHDRAWN, reason="Found a job")

    waiting.refresh_from_db()
    assert waiting.status == Application.Status.OFFERED
    assert result.offered == [waiting]
    enrolment.refresh_from_db()
    assert enrolment.status_reason == "Found a job"


def test_completing_someone_before_the_course_starts_is_refused(staff: User) -> None:
    enrolment = EnrolmentFactory.create(cohort=CohortFactory.create())  # starts in two weeks

    with pytest.raises(ValidationError, match="nobody can complete it before then"):
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)


def test_someone_paused_can_be_withdrawn_but_not_completed(staff: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.PAUSED)
    enrolment.refresh_from_db()

    with pytest.raises(ValidationError, match="rejoins a later cohort"):
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)
    enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.WITHDRAWN, reason="Moved away")

    enrolment.refresh_from_db()
    assert enrolment.status == Status.WITHDRAWN


def test_an_outcome_recorded_by_mistake_can_be_corrected_but_not_repeated(staff: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]
    enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.DID_NOT_COMPLETE, reason="Absent")

    with pytest.raises(ValidationError, match="already recorded"):
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.DID_NOT_COMPLETE, reason="Absent")
    enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)

    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED and enrolment.status_reason == ""


def test_care_certificate_standards_are_between_0_and_16_and_only_on_care_certificate_courses(staff: User) -> None:
    care = finished_cohort(learners=1, course=CourseFactory.create(kind=Course.Kind.CARE_CERTIFICATE)).enrolments[0]
    other = finished_cohort(learners=1).enrolments[0]

    with pytest.raises(ValidationError) as too_many:
        enrolment_record_outcome(enrolment=care, actor=staff, status=Status.COMPLETED, care_certificate_standards=17)
    with pytest.raises(ValidationError) as not_care:
        enrolment_record_outcome(enrolment=other, actor=staff, status=Status.COMPLETED, care_certificate_standards=3)
    enrolment_record_outcome(enrolment=care, actor=staff, status=Status.COMPLETED, care_certificate_standards=16)

    assert "care_certificate_standards" in too_many.value.message_dict
    assert "Only Care Certificate courses" in not_care.value.message_dict["care_certificate_standards"][0]
    care.refresh_from_db()
    assert care.care_certificate_standards == 16


# --- certificates ---


def test_a_certificate_with_a_checked_file_is_stored_and_audited(staff: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]
    upload = SimpleUploadedFile("../../Care cert.pdf", PDF, content_type="application/pdf")

    certificate = certificate_create(
        enrolment=enrolment, actor=staff, title=" Care Certificate ", issued_on=timezone.localdate(), file=upload
    )

    assert certificate.title == "Care Certificate"
    assert certificate.original_name == "Care cert.pdf"
    assert certificate.content_type == "application/pdf"
    assert certificate.file.name.startswith(f"certificates/{enrolment.public_id}/")
    assert certificate.file.read() == PDF
    assert AuditEntry.objects.filter(action="certificate.create", object_id=str(enrolment.pk)).exists()


def test_a_certificate_file_whose_contents_do_not_match_its_name_is_refused(staff: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf")

    with pytest.raises(ValidationError) as error:
        certificate_create(
            enrolment=enrolment, actor=staff, title="First aid", issued_on=timezone.localdate(), file=fake
        )

    assert "contents do not match" in error.value.message_dict["file"][0]
    assert not Certificate.objects.exists()


def test_a_certificate_cannot_be_dated_in_the_future(staff: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        certificate_create(enrolment=enrolment, actor=staff, title="First aid", issued_on=tomorrow)

    assert "issued_on" in error.value.message_dict


def test_deleting_a_certificate_removes_its_file_after_commit(staff: User, django_capture_on_commit_callbacks) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]
    upload = SimpleUploadedFile("cert.pdf", PDF)
    certificate = certificate_create(
        enrolment=enrolment, actor=staff, title="First aid", issued_on=timezone.localdate(), file=upload
    )
    storage, name = certificate.file.storage, certificate.file.name

    with django_capture_on_commit_callbacks(execute=True):
        certificate_delete(certificate=certificate, actor=staff)

    assert not Certificate.objects.exists()
    assert not storage.exists(name)


# --- feedback ---


def test_feedback_opens_on_the_last_day_or_on_completion_and_not_while_paused() -> None:
    today = timezone.localdate()
    running = EnrolmentFactory.create(
        cohort=CohortFactory.create(start_date=today - dt.timedelta(days=3), end_date=today + dt.timedelta(days=3))
    )
    last_day = EnrolmentFactory.create(
        cohort=CohortFactory.create(start_date=today - dt.timedelta(days=3), end_date=today)
    )

    assert "when the course ends" in feedback_problem(running, given=False, today=today)
    assert feedback_problem(last_day, given=False, today=today) == ""
    running.status = Status.COMPLETED
    assert feedback_problem(running, given=False, today=today) == ""
    assert "already given feedback" in feedback_problem(running, given=True, today=today)
    last_day.status = Status.PAUSED
    assert "paused" in feedback_problem(last_day, given=False, today=today)


def test_feedback_is_given_once_with_a_rating_from_1_to_5(learner: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]

    with pytest.raises(ValidationError) as bad_rating:
        feedback_submit(enrolment=enrolment, actor=learner, rating=6)
    feedback = feedback_submit(enrolment=enrolment, actor=learner, rating=5, comment="  Loved the placement. ")
    with pytest.raises(ValidationError, match="already given feedback"):
        feedback_submit(enrolment=enrolment, actor=learner, rating=4)

    assert "rating" in bad_rating.value.message_dict
    assert (feedback.rating, feedback.comment) == (5, "Loved the placement.")
    entry = AuditEntry.objects.get(action="feedback.submit")
    assert entry.data == {"rating": 5}  # the comment stays out of the log


def test_feedback_before_the_end_is_refused(learner: User) -> None:
    enrolment = EnrolmentFactory.create(cohort=CohortFactory.create())

    with pytest.raises(ValidationError, match="when the course ends"):
        feedback_submit(enrolment=enrolment, actor=learner, rating=4)
    assert not Feedback.objects.exists()


# --- questionnaires ---


def test_the_before_questionnaire_closes_after_the_first_week() -> None:
    today = timezone.localdate()
    cohort = CohortFactory.create(start_date=today - dt.timedelta(days=6), end_date=today + dt.timedelta(days=20))
    enrolment = EnrolmentFactory.create(cohort=cohort)

    assert questionnaire_problem(enrolment, when="before", answered=False, today=today) == ""
    closed = questionnaire_problem(enrolment, when="before", answered=False, today=today + dt.timedelta(days=1))
    assert closed == f"The questionnaire before the course closed on {today:%-d %B %Y}."
    assert "when the course ends" in questionnaire_problem(enrolment, when="after", answered=False, today=today)


def test_questionnaire_scores_are_totalled_and_answered_once(learner: User) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]

    questionnaire = questionnaire_submit(
        enrolment=enrolment, actor=learner, when="after", answers={**scores(7), "job_ready": 10}
    )
    with pytest.raises(ValidationError, match="already answered"):
        questionnaire_submit(enrolment=enrolment, actor=learner, when="after", answers=scores(1))

    assert questionnaire.score == 7 * 4 + 10
    assert questionnaire.answers["job_ready"] == 10


@pytest.mark.parametrize("bad", [{}, {"confidence": 11}, {"confidence": -1}, {"confidence": "7"}])
def test_questionnaire_answers_must_be_whole_scores_from_0_to_10(learner: User, bad: dict) -> None:
    enrolment = finished_cohort(learners=1).enrolments[0]

    with pytest.raises(ValidationError) as error:
        questionnaire_submit(
            enrolment=enrolment, actor=learner, when="after", answers={**scores(5), **bad} if bad else {}
        )

    assert "confidence" in error.value.message_dict
    assert not Questionnaire.objects.exists()


def test_factories_make_valid_rows() -> None:
    assert FeedbackFactory.create().rating == 4
    assert QuestionnaireFactory.create().score == 25
    assert CandidateFactory.create().stage.slug == "enquiry"
