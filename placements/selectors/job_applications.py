"""What the job application screens read: the learner's list, the provider's applicants, staff's list,
one application with its history, and the guaranteed interviews still owed.

Each list is one queryset with its joins; the counts per status are one grouped query. Nothing here
loads rows to filter them in Python, so a page costs the same at 50 or 5,000 applications.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from candidates.models import Candidate, CandidateQuerySet
from candidates.models.choices import Availability, Interest
from courses.models import Enrolment
from placements.models import Cv, InterviewDue, JobApplication, JobApplicationStatusChange, Vacancy
from providers.models import Provider

Status = JobApplication.Status


def _search(applications: QuerySet[JobApplication], search: str) -> QuerySet[JobApplication]:
    """Applicants whose first name, last name or "first last" contains each word of `search`."""
    for word in search.split():
        applications = applications.filter(
            Q(candidate__first_name__icontains=word) | Q(candidate__last_name__icontains=word)
        )
    return applications


def job_application_list(
    *,
    applications: QuerySet[JobApplication],
    status: str = "",
    vacancy: Vacancy | None = None,
    provider: Provider | None = None,
    vacancy_public_id: uuid.UUID | None = None,
    search: str = "",
) -> QuerySet[JobApplication]:
    """`applications` (already scoped to the user) filtered, newest first, with the vacancy and person joined."""
    if vacancy_public_id is not None:
        applications = applications.filter(vacancy__public_id=vacancy_public_id)
    if status:
        applications = applications.filter(status=status)
    if vacancy is not None:
        applications = applications.filter(vacancy=vacancy)
    if provider is not None:
        applications = applications.filter(vacancy__provider=provider)
    if search:
        applications = _search(applications, search)
    # Only the columns the list shows: the database sorts narrow rows, which keeps deep pages fast (make bench).
    return (
        applications.select_related("vacancy__provider", "candidate").only(*LIST_COLUMNS).order_by("-created_at", "-pk")
    )


LIST_COLUMNS = (
    "public_id",
    "status",
    "route",
    "created_at",
    "vacancy__title",
    "vacancy__provider__name",
    "candidate__first_name",
    "candidate__last_name",
)


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int


def job_application_status_counts(
    applications: QuerySet[JobApplication], statuses: tuple[str, ...]
) -> list[StatusCount]:
    """How many of `applications` are in each of `statuses`, in one grouped query (each counts applications)."""
    rows = dict(applications.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [StatusCount(value=s, label=Status(s).label, count=rows.get(s, 0)) for s in statuses]


def provider_vacancy_choices(vacancies: QuerySet[Vacancy]) -> list[Vacancy]:
    """The provider's vacancies for the applicant filter, newest closing date first."""
    return list(vacancies.only("public_id", "title", "closing_date").order_by("-closing_date", "title"))


def my_job_application_list(applications: QuerySet[JobApplication]) -> QuerySet[JobApplication]:
    """The learner's own applications and referrals, newest first."""
    return applications.select_related("vacancy__provider").order_by("-created_at", "-pk")


def job_application_detail_queryset(applications: QuerySet[JobApplication]) -> QuerySet[JobApplication]:
    """One application with its vacancy, person, referrer and history (oldest step first)."""
    return applications.select_related("vacancy__provider", "candidate__user", "referred_by").prefetch_related(
        Prefetch(
            "status_changes",
            queryset=JobApplicationStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk"),
        )
    )


def applicant_completed_courses(candidate_id: int) -> list[Enrolment]:
    """The courses the applicant completed, with their certificates: part of the profile a provider sees."""
    return list(
        Enrolment.objects.filter(candidate_id=candidate_id, status=Enrolment.Status.COMPLETED)
        .select_related("cohort__course")
        .prefetch_related("certificates")
        .order_by("-ended_at", "-pk")
    )


def interviews_due_list(*, today: dt.date | None = None, days: int | None = None) -> QuerySet[InterviewDue]:
    """Guaranteed interviews still owed (no interview yet) whose learner completed at least `days` days ago.

    `days` defaults to GUARANTEED_INTERVIEW_DUE_DAYS; only current records; longest waiting first.
    """
    today = today or timezone.localdate()
    days = settings.GUARANTEED_INTERVIEW_DUE_DAYS if days is None else days
    return (
        InterviewDue.objects.filter(
            met_at__isnull=True,
            due_since__lte=today - dt.timedelta(days=days),
            candidate__merged_into__isnull=True,
            candidate__anonymised_at__isnull=True,
        )
        .select_related("candidate", "enrolment__cohort__course")
        .order_by("due_since", "pk")
    )


@dataclass(frozen=True)
class ApplicantProfile:
    """What a provider sees of an applicant: the one list of shared profile fields.

    The learner's confirm page shows this same object before they apply, so what they agree to share is
    exactly what the provider gets. Never equality data, never DBS details (those go only through a
    personnel folder release).
    """

    name: str
    email: str
    phone: str
    area: str
    availability: str
    interests: list[str]
    driving_licence: bool
    has_car: bool
    completed: list[Enrolment]
    has_cv: bool


def applicant_profile(candidate: Candidate) -> ApplicantProfile:
    """The profile a provider sees of `candidate` (three queries: courses, certificates, CV)."""
    postcode = candidate.postcode.strip().upper()
    return ApplicantProfile(
        name=candidate.full_name,
        email=candidate.email or (candidate.user.email if candidate.user_id and candidate.user else ""),
        phone=candidate.phone,
        # The postcode district only (the first half): enough to judge travel, not the address.
        area=postcode.split()[0] if " " in postcode else postcode[:-3] if len(postcode) > 4 else postcode,
        availability=Availability(candidate.availability).label
        if candidate.availability in Availability.values
        else "",
        interests=[Interest(i).label for i in candidate.interests if i in Interest.values],
        driving_licence=candidate.driving_licence,
        has_car=candidate.has_car,
        completed=applicant_completed_courses(candidate.pk),
        has_cv=Cv.objects.filter(candidate=candidate).exists(),
    )


def referral_candidate_search(search: str, *, candidates: CandidateQuerySet, limit: int = 20) -> list[Candidate]:
    """Current records of `candidates` whose name or email contains each word of `search`, for staff to
    pick whom to refer."""
    candidates = candidates.current()
    for word in search.split():
        candidates = candidates.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return list(candidates.select_related("stage").order_by("last_name", "first_name", "pk")[:limit])


def interviews_due_people(interviews_due: QuerySet[InterviewDue]) -> int:
    """How many distinct people the guaranteed interviews in `interviews_due` are owed to."""
    return interviews_due.order_by().values("candidate_id").distinct().count()
