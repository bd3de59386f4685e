"""A learner's course data for their "My data" download: applications and answers, enrolments,
attendance, certificates, feedback, questionnaires and support payments.

Part of candidates.selectors.learner.export (which calls `learner_course_data` for each record);
values are what the learner would read (labels, not codes). Seven queries, however long the history.
"""

from __future__ import annotations

from typing import Any

from candidates.models import Candidate
from courses.models import (
    Application,
    Attendance,
    Certificate,
    Enrolment,
    Questionnaire,
    ScreeningQuestion,
    SupportPayment,
)

# Section key -> title in the readable download (merged into the export's SECTION_TITLES).
COURSE_SECTION_TITLES = {
    "course_applications": "Your course applications",
    "course_application_answers": "Your answers to course screening questions",
    "course_enrolments": "Your courses",
    "course_attendance": "Your attendance",
    "certificates": "Your certificates",
    "course_feedback": "Your feedback on courses",
    "course_questionnaires": "Your before and after questionnaires",
    "support_payments": "Support payments",
}


def _course(cohort: Any) -> str:
    return f"{cohort.course.title} ({cohort.name})"


def _answers_text(answers: Any) -> str:
    if isinstance(answers, dict):
        return "; ".join(f"{key}: {value}" for key, value in answers.items())
    return str(answers or "")


def learner_course_data(candidate: Candidate) -> dict[str, list[dict[str, Any]]]:
    """The candidate's course data, one list per section of COURSE_SECTION_TITLES, oldest first."""
    applications = list(
        Application.objects.filter(candidate=candidate).select_related("cohort__course").order_by("created_at", "pk")
    )
    questions = {
        str(q.pk): q.text
        for q in ScreeningQuestion.objects.filter(course__cohorts__applications__candidate=candidate).distinct()
    }
    enrolments = list(
        Enrolment.objects.filter(candidate=candidate)
        .select_related("cohort__course", "feedback")
        .order_by("created_at", "pk")
    )
    attendance = (
        Attendance.objects.filter(enrolment__candidate=candidate)
        .select_related("session__cohort__course")
        .order_by("session__date", "session__start_time", "pk")
    )
    certificates = Certificate.objects.filter(enrolment__candidate=candidate).select_related(
        "enrolment__cohort__course"
    )
    questionnaires = (
        Questionnaire.objects.filter(enrolment__candidate=candidate)
        .select_related("enrolment__cohort__course")
        .order_by("submitted_at", "pk")
    )
    payments = (
        SupportPayment.objects.filter(candidate=candidate).select_related("cohort__course").order_by("created_at")
    )
    feedback = [(e, getattr(e, "feedback", None)) for e in enrolments]
    return {
        "course_applications": [
            {
                "course": _course(a.cohort),
                "applied": a.created_at,
                "status": a.get_status_display(),
                "reason_given": a.decision_reason,
                "offered": a.offered_at,
                "you_answered": a.responded_at,
            }
            for a in applications
        ],
        "course_application_answers": [
            {
                "course": _course(a.cohort),
                "question": questions.get(str(key), "A question no longer asked on this course"),
                "your_answer": value,
            }
            for a in applications
            for key, value in (a.answers or {}).items()
        ],
        "course_enrolments": [
            {
                "course": _course(e.cohort),
                "dates": f"{e.cohort.start_date:%-d %B %Y} to {e.cohort.end_date:%-d %B %Y}",
                "status": e.get_status_display(),
                "reason": e.status_reason,
                "ended": e.ended_at,
                "care_certificate_standards_achieved": e.care_certificate_standards,
            }
            for e in enrolments
        ],
        "course_attendance": [
            {
                "course": _course(mark.session.cohort),
                "session": mark.session.date,
                "mark": mark.get_mark_display(),
                "note": mark.note,
            }
            for mark in attendance
        ],
        "certificates": [
            {
                "title": c.title,
                "course": _course(c.enrolment.cohort),
                "issued": c.issued_on,
                "file": c.original_name,
            }
            for c in certificates
        ],
        "course_feedback": [
            {"course": _course(e.cohort), "rating_out_of_5": f.rating, "comment": f.comment, "sent": f.submitted_at}
            for e, f in feedback
            if f is not None
        ],
        "course_questionnaires": [
            {
                "course": _course(q.enrolment.cohort),
                "when": q.get_when_display(),
                "score": q.score,
                "answers": _answers_text(q.answers),
                "sent": q.submitted_at,
            }
            for q in questionnaires
        ],
        "support_payments": [
            {
                "kind": p.get_kind_display(),
                "course": _course(p.cohort) if p.cohort else "",
                "amount": f"£{p.amount}",
                "description": p.description,
                "status": p.get_status_display(),
                "requested": p.created_at,
                "paid": p.paid_at,
            }
            for p in payments
        ],
    }
