"""Who may see and change courses, cohorts, applications and enrolments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from courses.models import Application, Cohort, Course, Enrolment


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
