"""Anonymising a learner's course data, part of candidates.services.privacy.candidate_anonymise.

What identifies the person or tells their story goes (application answers and staff's reasons,
why they paused or left (also in the status history), attendance notes, feedback comments, certificate files, payment
descriptions); what the figures need stays (statuses, dates, attendance marks, ratings,
questionnaire scores, certificate titles and dates, payment kinds and amounts).
"""

from __future__ import annotations

from django.db import transaction

from academy.models import SupportPayment
from candidates.models import Candidate
from courses.models import (
    Application,
    ApplicationStatusChange,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentStatusChange,
    Feedback,
)


def candidate_courses_anonymise(candidate: Candidate) -> None:
    """Clear the free text and files of one record's course data; runs inside the caller's transaction."""
    Application.objects.filter(candidate=candidate).update(answers={}, decision_reason="")
    Enrolment.objects.filter(candidate=candidate).update(status_reason="")
    ApplicationStatusChange.objects.filter(application__candidate=candidate).update(reason="")
    EnrolmentStatusChange.objects.filter(enrolment__candidate=candidate).update(reason="")
    Attendance.objects.filter(enrolment__candidate=candidate).update(note="")
    Feedback.objects.filter(enrolment__candidate=candidate).update(comment="")
    SupportPayment.objects.filter(candidate=candidate).update(description="")
    certificates = Certificate.objects.filter(enrolment__candidate=candidate).exclude(file="")
    files = [(c.file.storage, c.file.name) for c in certificates]
    certificates.update(file="", original_name="", content_type="")

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
