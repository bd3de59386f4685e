"""The courses app's tables that hold a person's data: how each merges, exports and is anonymised.

Collected by candidates.services.personal_data (discovered, never imported by candidates).
Applications and enrolments are one per person per cohort, so a merge moves a cohort's row
unless the survivor has one; attendance, certificates, feedback and questionnaires hang off the
enrolment and move with it. Erasure removes what identifies the person or tells their story
(application answers and staff's reasons, why they paused or left, attendance notes, feedback
comments, certificate files) and keeps what the figures need (statuses, dates, attendance marks,
ratings, questionnaire scores, certificate titles and dates). Values in the download are what the
learner would read (labels, not codes).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from academy.models import User
from academy.personal_data import ExportSection, PersonalTable, clear, keep, move_unless_taken
from candidates.models import Candidate
from courses.models import (
    Application,
    ApplicationStatusChange,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentStatusChange,
    Feedback,
    Questionnaire,
    ScreeningQuestion,
)
from courses.privacy_payments import PAYMENT_TABLES


def _course(cohort: Any) -> str:
    return f"{cohort.course.title} ({cohort.name})"


def _answers_text(answers: Any) -> str:
    if isinstance(answers, dict):
        return "; ".join(f"{key}: {value}" for key, value in answers.items())
    return str(answers or "")


def _applications(candidate: Candidate) -> list[Application]:
    return list(
        Application.objects.filter(candidate=candidate).select_related("cohort__course").order_by("created_at", "pk")
    )


def _export_applications(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    return [
        {
            "course": _course(a.cohort),
            "applied": a.created_at,
            "status": a.get_status_display(),
            "reason_given": a.decision_reason,
            "offered": a.offered_at,
            "you_answered": a.responded_at,
        }
        for a in _applications(candidate)
    ]


def _export_answers(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    questions = {
        str(q.pk): q.text
        for q in ScreeningQuestion.objects.filter(course__cohorts__applications__candidate=candidate).distinct()
    }
    return [
        {
            "course": _course(a.cohort),
            "question": questions.get(str(key), "A question no longer asked on this course"),
            "your_answer": value,
        }
        for a in _applications(candidate)
        for key, value in (a.answers or {}).items()
    ]


def _export_enrolments(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    enrolments = Enrolment.objects.filter(candidate=candidate).select_related("cohort__course")
    return [
        {
            "course": _course(e.cohort),
            "dates": f"{e.cohort.start_date:%-d %B %Y} to {e.cohort.end_date:%-d %B %Y}",
            "status": e.get_status_display(),
            "reason": e.status_reason,
            "ended": e.ended_at,
            "care_certificate_standards_achieved": e.care_certificate_standards,
        }
        for e in enrolments.order_by("created_at", "pk")
    ]


def _export_attendance(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    marks = (
        Attendance.objects.filter(enrolment__candidate=candidate)
        .select_related("session__cohort__course")
        .order_by("session__date", "session__start_time", "pk")
    )
    return [
        {
            "course": _course(mark.session.cohort),
            "session": mark.session.date,
            "mark": mark.get_mark_display(),
            "note": mark.note,
        }
        for mark in marks
    ]


def _export_certificates(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    certificates = Certificate.objects.filter(enrolment__candidate=candidate).select_related(
        "enrolment__cohort__course"
    )
    return [
        {"title": c.title, "course": _course(c.enrolment.cohort), "issued": c.issued_on, "file": c.original_name}
        for c in certificates
    ]


def _export_feedback(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    feedback = (
        Feedback.objects.filter(enrolment__candidate=candidate)
        .select_related("enrolment__cohort__course")
        .order_by("enrolment__created_at", "enrolment__pk")
    )
    return [
        {
            "course": _course(f.enrolment.cohort),
            "rating_out_of_5": f.rating,
            "comment": f.comment,
            "sent": f.submitted_at,
        }
        for f in feedback
    ]


def _export_questionnaires(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    questionnaires = (
        Questionnaire.objects.filter(enrolment__candidate=candidate)
        .select_related("enrolment__cohort__course")
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "course": _course(q.enrolment.cohort),
            "when": q.get_when_display(),
            "score": q.score,
            "answers": _answers_text(q.answers),
            "sent": q.submitted_at,
        }
        for q in questionnaires
    ]


def _clear_certificate_files(rows: QuerySet[Certificate]) -> None:
    """The certificate stays (title and date count); the file, which may carry the name, goes after commit."""
    certificates = rows.exclude(file="")
    files = [(c.file.storage, c.file.name) for c in certificates]
    certificates.update(file="", original_name="", content_type="")

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


PERSONAL_TABLES = [
    PersonalTable(
        model=Application,
        person="candidate",
        label="Course applications",
        merge=move_unless_taken("cohort"),
        anonymise=clear(answers={}, decision_reason=""),
        export=(
            ExportSection("course_applications", "Your course applications", _export_applications),
            ExportSection("course_application_answers", "Your answers to course screening questions", _export_answers),
        ),
    ),
    PersonalTable(
        model=Enrolment,
        person="candidate",
        label="Course enrolments",
        merge=move_unless_taken("cohort"),
        anonymise=clear(status_reason=""),
        export=(ExportSection("course_enrolments", "Your courses", _export_enrolments),),
    ),
    PersonalTable(
        model=ApplicationStatusChange,
        person="application__candidate",
        label="Course application history",
        merge=None,
        anonymise=clear(reason=""),
        not_exported="Each status and its date are in the applications section; the history adds staff's reasons.",
    ),
    PersonalTable(
        model=EnrolmentStatusChange,
        person="enrolment__candidate",
        label="Course enrolment history",
        merge=None,
        anonymise=clear(reason=""),
        not_exported="Each status and its date are in the courses section; the history adds staff's reasons.",
    ),
    PersonalTable(
        model=Attendance,
        person="enrolment__candidate",
        label="Attendance marks",
        merge=None,
        anonymise=clear(note=""),
        export=(ExportSection("course_attendance", "Your attendance", _export_attendance),),
    ),
    PersonalTable(
        model=Certificate,
        person="enrolment__candidate",
        label="Certificates",
        merge=None,
        anonymise=_clear_certificate_files,
        export=(ExportSection("certificates", "Your certificates", _export_certificates),),
    ),
    PersonalTable(
        model=Feedback,
        person="enrolment__candidate",
        label="Course feedback",
        merge=None,
        anonymise=clear(comment=""),
        export=(ExportSection("course_feedback", "Your feedback on courses", _export_feedback),),
    ),
    PersonalTable(
        model=Questionnaire,
        person="enrolment__candidate",
        label="Before and after questionnaires",
        merge=None,
        anonymise=keep("Scores and the answers behind them (numbers on a scale), which the course figures count."),
        export=(
            ExportSection("course_questionnaires", "Your before and after questionnaires", _export_questionnaires),
        ),
    ),
    *PAYMENT_TABLES,
]
