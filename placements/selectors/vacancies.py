"""What the vacancy management screens read: the provider's list, staff's list and approval queue, one vacancy.

Each list is one scoped queryset with its joins, so a page is a fixed number of queries whatever
the number of rows (the tests pin them).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from courses.models import Cohort
from placements.models import Vacancy, VacancyStatusChange

Status = Vacancy.Status

# A vacancy can be ring-fenced for a cohort that is running, or that finished this many days ago or fewer:
# its completers are looking for work now.
RING_FENCE_FINISHED_WITHIN_DAYS = 90


def _with_joins(queryset: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    return queryset.select_related("provider", "ring_fenced_cohort__course")


def provider_vacancy_list(scope: QuerySet[Vacancy], *, status: str = "") -> QuerySet[Vacancy]:
    """The provider's vacancies, those needing its attention first (changes needed, drafts), then by closing date."""
    queryset = scope
    if status:
        queryset = queryset.filter(status=status)
    return _with_joins(queryset).order_by("status", "-closing_date", "title", "pk")


def staff_vacancy_list(
    scope: QuerySet[Vacancy], *, search: str = "", status: str = "", provider: str = "", kind: str = ""
) -> QuerySet[Vacancy]:
    """Every provider's vacancies, newest first; search by title, provider, town or postcode."""
    queryset = scope
    search = search.strip()
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(provider__name__icontains=search)
            | Q(place__icontains=search)
            | Q(postcode__icontains=search)
        )
    if status:
        queryset = queryset.filter(status=status)
    if provider:
        queryset = queryset.filter(provider__public_id=provider)
    if kind:
        queryset = queryset.filter(kind=kind)
    return _with_joins(queryset).order_by("-created_at", "-pk")


def vacancy_approval_queue(scope: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    """Vacancies waiting for staff approval, the longest waiting first."""
    return _with_joins(scope.filter(status=Status.SUBMITTED)).order_by("updated_at", "pk")


def vacancies_awaiting_approval_count(scope: QuerySet[Vacancy]) -> int:
    """How many vacancies wait for staff approval (one query)."""
    return scope.filter(status=Status.SUBMITTED).count()


def vacancy_detail_queryset(scope: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    """One vacancy with its provider, ring-fenced cohort, author and status history (two queries)."""
    history = VacancyStatusChange.objects.select_related("changed_by").order_by("-changed_at", "-id")
    return (
        _with_joins(scope).select_related("created_by").prefetch_related(Prefetch("status_changes", queryset=history))
    )


def ring_fence_cohorts(*, today: dt.date | None = None, current: Cohort | None = None) -> QuerySet[Cohort]:
    """Cohorts a vacancy may be ring-fenced for: running, or finished within RING_FENCE_FINISHED_WITHIN_DAYS;
    plus the vacancy's current cohort, so editing keeps it."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=RING_FENCE_FINISHED_WITHIN_DAYS)
    condition = Q(status=Cohort.Status.RUNNING) | Q(status=Cohort.Status.FINISHED, end_date__gte=since)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Cohort.objects.filter(condition).select_related("course").order_by("-end_date", "name")


def cohort_label(cohort: Cohort) -> str:
    """How a cohort reads in the ring-fence choice and on the vacancy: course, cohort and when it ends."""
    ending = "ended" if cohort.end_date < timezone.localdate() else "ends"
    return f"{cohort.course.title}: {cohort.name} ({ending} {cohort.end_date:%-d %b %Y})"
