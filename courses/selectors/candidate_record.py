"""A person's courses for the staff record page (courses/record.py), in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from academy.models import User
from candidates.models import Candidate
from courses.models import Application, ApplicationStatusChange, Enrolment, EnrolmentStatusChange
from courses.permissions import applications_visible_to, enrolments_visible_to, payments_visible_to
from courses.selectors.delivery import enrolments_with_attendance


@dataclass(frozen=True)
class CandidateCourses:
    # Newest first, each with `status_changes` prefetched (newest first, changed_by joined).
    applications: list[Application]
    # Newest cohort first, annotated with attendance (courses.selectors.delivery), history prefetched.
    enrolments: list[Enrolment]
    # Learner support payments (courses.permissions.payments_visible_to), newest first, cohort joined.
    payments: list[object]


def _history(model: type[ApplicationStatusChange] | type[EnrolmentStatusChange]) -> Prefetch[str]:
    return Prefetch(
        "status_changes", queryset=model.objects.select_related("changed_by").order_by("-changed_at", "-id")
    )


def candidate_courses(*, candidate: Candidate, actor: User) -> CandidateCourses:
    """The person's applications, enrolments and support payments that `actor` may see.

    Five queries at most whatever the number of rows: applications and their history, enrolments
    (with attendance) and their history, payments.
    """
    applications: QuerySet[Application] = (
        applications_visible_to(actor)
        .filter(candidate=candidate)
        .select_related("cohort__course")
        .prefetch_related(_history(ApplicationStatusChange))
        .order_by("-created_at", "-id")
    )
    enrolments: QuerySet[Enrolment] = (
        enrolments_with_attendance(enrolments_visible_to(actor).filter(candidate=candidate))
        .select_related("cohort__course")
        .prefetch_related(_history(EnrolmentStatusChange))
        .order_by("-cohort__start_date", "-id")
    )
    payments = (
        payments_visible_to(actor)
        .filter(candidate=candidate)
        .select_related("cohort__course")
        .order_by("-created_at", "-id")
    )
    return CandidateCourses(applications=list(applications), enrolments=list(enrolments), payments=list(payments))
