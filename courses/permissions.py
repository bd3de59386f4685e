"""Who may see and change courses, cohorts, applications and enrolments."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from academy.models import Academy, User
from academy.permissions import is_academy_staff, is_manager
from academy.tenancy import NO_ACADEMY, academy_in_use_id
from candidates.models import Candidate
from courses.models import Application, Certificate, Cohort, Course, Enrolment, SupportPayment


def offered_to_academy(academy_id: int | Subquery, course: str = "") -> Q:
    """Courses an academy offers: its own, and those another academy of its region shares."""
    prefix = f"{course}__" if course else ""
    its_region = Academy.objects.filter(Q(pk=academy_id)).values("region_id")
    return Q(**{f"{prefix}academy_id": academy_id}) | Q(
        **{f"{prefix}shared_with_region": True, f"{prefix}academy__region_id__in": its_region}
    )


def learner_academy(user: User) -> Subquery:
    """The academy a learner belongs to, as a subquery (no query of its own): their record's, else
    the one they chose when signing up, else the installation's first."""
    record = Candidate.objects.current().filter(user=user).values("academy_id")[:1]
    chosen = Academy.objects.filter(pk=user.home_academy_id or NO_ACADEMY).values("pk")[:1]
    first = Academy.objects.order_by("id").values("pk")[:1]
    return Subquery(
        Academy.objects.filter(pk=Coalesce(Subquery(record), Subquery(chosen), Subquery(first))).values("pk")[:1]
    )


def courses_visible_to(user: User) -> QuerySet[Course]:
    """Staff see their academy's courses and those shared with its region; a learner sees the
    published ones their academy offers; visitors see every published course."""
    if is_academy_staff(user):
        return Course.objects.filter(offered_to_academy(academy_in_use_id(user)))
    published = Course.objects.filter(status=Course.Status.PUBLISHED)
    if user.is_authenticated and user.is_learner:
        return published.filter(offered_to_academy(learner_academy(user)))
    return published


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    """Staff see the cohorts their academy runs; everyone else sees cohorts of the courses they may
    see that are not planned or cancelled."""
    if is_academy_staff(user):
        return Cohort.objects.filter(course__academy_id=academy_in_use_id(user))
    return Cohort.objects.filter(course__in=courses_visible_to(user)).exclude(
        status__in=[Cohort.Status.PLANNED, Cohort.Status.CANCELLED]
    )


def _run_by_or_belongs_to(academy_id: int | None) -> Q:
    """An application or enrolment on a cohort the academy runs, or of one of its own learners."""
    return Q(cohort__course__academy_id=academy_id) | Q(candidate__academy_id=academy_id)


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Staff see applications to their academy's cohorts and of its learners; a learner sees their own."""
    if is_academy_staff(user):
        return Application.objects.filter(_run_by_or_belongs_to(academy_in_use_id(user)))
    if user.is_authenticated and user.is_learner:
        return Application.objects.filter(candidate__user=user)
    return Application.objects.none()


def enrolments_visible_to(user: User) -> QuerySet[Enrolment]:
    """Staff see enrolments on their academy's cohorts and of its learners; a learner sees their own."""
    if is_academy_staff(user):
        return Enrolment.objects.filter(_run_by_or_belongs_to(academy_in_use_id(user)))
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
    """Learner support payments are academy staff business: staff and managers of the learner's academy."""
    if not is_academy_staff(user):
        return SupportPayment.objects.none()
    return SupportPayment.objects.filter(candidate__academy_id=academy_in_use_id(user))
