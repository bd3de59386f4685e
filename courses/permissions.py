"""Who may see and change courses, cohorts, applications and enrolments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from courses.models import Application, Certificate, Cohort, Course, Enrolment, SupportPayment


def courses_visible_to(user: User) -> QuerySet[Course]:
    """Staff see every course; everyone else (visitors included) sees published ones."""
    if is_academy_staff(user):
        return Course.objects.all()
    return Course.objects.filter(status=Course.Status.PUBLISHED)


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    """Staff see every cohort; everyone else sees cohorts of published courses that are not planned or cancelled."""
    if is_academy_staff(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(course__status=Course.Status.PUBLISHED).exclude(
        status__in=[Cohort.Status.PLANNED, Cohort.Status.CANCELLED]
    )


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Staff see every application; a learner sees their own."""
    if is_academy_staff(user):
        return Application.objects.all()
    if user.is_authenticated and user.is_learner:
        return Application.objects.filter(candidate__user=user)
    return Application.objects.none()


def enrolments_visible_to(user: User) -> QuerySet[Enrolment]:
    """Staff see every enrolment; a learner sees their own."""
    if is_academy_staff(user):
        return Enrolment.objects.all()
    if user.is_authenticated and user.is_learner:
        return Enrolment.objects.filter(candidate__user=user)
    return Enrolment.objects.none()


def can_manage_courses(user: User, obj: Any = None) -> bool:
    """Managers create and edit courses and their screening questions."""
    return is_manager(user)


def can_run_cohorts(user: User, obj: Any = None) -> bool:
    """Staff and managers run cohorts: sessions, applications, attendance, completion, payments."""
    return is_academy_staff(user)


def can_approve_payments(user: User, obj: Any = None) -> bool:
    """Managers approve learner support payments (staff request and record them)."""
    return is_manager(user)


def is_anyone(user: User, obj: Any = None) -> bool:
    """Public pages (course finder): visitors and every signed-in user."""
    return True


def can_view_course_settings(user: User, obj: Any = None) -> bool:
    """Staff and managers see how courses are set up (staff plan cohorts of them); managers change it."""
    return is_academy_staff(user)


def can_view_cohort_calendar(user: User, cohort: Cohort | None = None) -> bool:
    """Staff, and learners with a place on the cohort (not withdrawn), download its sessions as a calendar."""
    if is_academy_staff(user):
        return True
    if cohort is None or not (user.is_authenticated and user.is_learner):
        return False
    places = Enrolment.objects.filter(cohort=cohort, candidate__user=user)
    return places.exclude(status=Enrolment.Status.WITHDRAWN).exists()


def can_apply_to_cohort(user: User, obj: Any = None) -> bool:
    """Learners apply for themselves; staff and providers do not apply through the learner's form."""
    return bool(user.is_authenticated and user.is_active and user.is_learner)


def can_respond_to_application(user: User, obj: Application | None = None) -> bool:
    """Only the applicant answers an offer or withdraws their application."""
    if not can_apply_to_cohort(user):
        return False
    return obj is None or obj.candidate.user_id == user.pk


# --- outcomes: certificates, feedback, support payments ---


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    """Certificates of the enrolments the user can see: staff all, a learner their own."""
    return Certificate.objects.filter(enrolment__in=enrolments_visible_to(user))


def can_download_certificate(user: User, obj: Certificate | None = None) -> bool:
    """Staff and the learner it belongs to (scoping decides whose) download a certificate's file."""
    return bool(user.is_authenticated and user.is_active and (user.is_academy_staff or user.is_learner))


def can_give_feedback(user: User, obj: Enrolment | None = None) -> bool:
    """Only learners give feedback and answer questionnaires, on their own enrolments (scoping decides whose)."""
    return bool(user.is_authenticated and user.is_active and user.is_learner)


def payments_visible_to(user: User) -> QuerySet[SupportPayment]:
    """Learner support payments are academy staff business: staff and managers see all, nobody else any."""
    return SupportPayment.objects.all() if is_academy_staff(user) else SupportPayment.objects.none()
