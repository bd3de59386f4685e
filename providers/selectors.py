"""What the provider screens read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from academy.discovery import app_hooks
from academy.models import AuditEntry, Invitation
from academy.periods import add_months
from academy.validators import uk_postcode
from providers.forms import normalise_cqc_location_id
from providers.models import (
    Provider,
    ProviderContact,
    ProviderMembership,
    ProviderSupport,
    ProviderSurvey,
)


def provider_list(
    *, providers: QuerySet[Provider], search: str = "", kind: str = "", agreement: str = ""
) -> QuerySet[Provider]:
    """Providers with their number of active users, searchable by name, postcode or CQC location ID.

    One query for the page, whatever the number of rows (the user count is an annotation).
    """
    qs = providers.annotate(user_count=Count("memberships", filter=Q(memberships__user__is_active=True)))
    search = search.strip()
    if search:
        condition = (
            Q(name__icontains=search)
            | Q(postcode__icontains=search)
            | Q(cqc_location_id__iexact=normalise_cqc_location_id(search))
        )
        with suppress(ValidationError):  # "ls98ab" finds LS9 8AB
            condition |= Q(postcode=uk_postcode(search))
        qs = qs.filter(condition)
    if kind:
        qs = qs.filter(kind=kind)
    if agreement:
        qs = qs.filter(agreement_status=agreement)
    return qs.order_by("name")


def provider_members(provider: Provider) -> QuerySet[ProviderMembership]:
    """The provider's users, for its detail page and the colleagues page."""
    return provider.memberships.select_related("user").order_by("-is_admin", "user__full_name", "user__email")


def provider_pending_invitations(provider: Provider) -> QuerySet[Invitation]:
    """Invitations to this provider still waiting to be accepted, newest first."""
    return (
        Invitation.objects.pending(timezone.now())
        .filter(provider_invitation__provider=provider)
        .select_related("invited_by", "provider_invitation")
        .order_by("-created_at")
    )


def provider_imports_recent(limit: int = 5) -> list[AuditEntry]:
    """The latest CQC imports (done or refused), from the audit log, newest first: one query."""
    return list(
        AuditEntry.objects.filter(action__in=["provider_import.commit", "provider_import.refuse"]).order_by(
            "-created_at", "-id"
        )[:limit]
    )


# --- engagement: who the academy talks to, who needs help, what providers say -----------------------

# CQC ratings that call for the academy's support: "requires improvement" or worse.
WEAK_RATINGS = (Provider.CqcRating.REQUIRES_IMPROVEMENT, Provider.CqcRating.INADEQUATE)


def open_vacancy_places(provider_ids: Iterable[int]) -> dict[int, int]:
    """Open places per provider, from the apps above that hold vacancies (placements registers
    `provider_engagement.open_vacancy_places(provider_ids)`); one query per app that offers it."""
    ids = list(provider_ids)
    totals: dict[int, int] = {}
    if not ids:
        return totals
    for hook in app_hooks("provider_engagement", "open_vacancy_places"):
        for provider_id, places in cast(Callable[[list[int]], dict[int, int]], hook)(ids).items():
            totals[provider_id] = totals.get(provider_id, 0) + places
    return totals


def provider_engagement_list(
    *,
    providers: QuerySet[Provider],
    today: date,
    not_contacted_months: int | None = None,
    weak_rating_only: bool = False,
    search: str = "",
) -> QuerySet[Provider]:
    """Active providers with their last contact, contacts and support in the last 12 months and the latest
    turnover they reported; optionally only those not contacted in N months, or rated "requires
    improvement" or worse. One query for the page (annotations and subqueries), whatever the rows.
    """
    year_ago = add_months(today, -12)
    latest_survey = ProviderSurvey.objects.filter(provider=OuterRef("pk"), turnover_percent__isnull=False).order_by(
        "-quarter_start"
    )
    qs = providers.filter(is_active=True).annotate(
        last_contact_on=Subquery(
            ProviderContact.objects.filter(provider=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")[:1]
        ),
        contacts_last_year=Subquery(
            ProviderContact.objects.filter(provider=OuterRef("pk"), occurred_on__gte=year_ago)
            .order_by()
            .values("provider")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        support_last_year=Subquery(
            ProviderSupport.objects.filter(provider=OuterRef("pk"), offered_on__gte=year_ago)
            .order_by()
            .values("provider")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        reported_turnover=Subquery(latest_survey.values("turnover_percent")[:1]),
    )
    if not_contacted_months:
        cutoff = add_months(today, -not_contacted_months)
        qs = qs.filter(Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True))
    if weak_rating_only:
        qs = qs.filter(cqc_rating__in=WEAK_RATINGS)
    search = search.strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(postcode__icontains=search))
    return qs.order_by(F("last_contact_on").asc(nulls_first=True), "name")


@dataclass(frozen=True)
class ProviderEngagement:
    """One provider's engagement page: contacts, support, survey answers and recruitment need."""

    contacts: list[ProviderContact]
    support: list[ProviderSupport]
    surveys: list[ProviderSurvey]
    open_places: int
    latest_turnover: ProviderSurvey | None


def provider_engagement_detail(provider: Provider, *, limit: int = 50) -> ProviderEngagement:
    """The latest contacts, support and survey answers (newest first): three queries, plus one per vacancy app."""
    contacts = list(provider.contacts.select_related("recorded_by").order_by("-occurred_on", "-id")[:limit])
    support = list(provider.support_offered.select_related("recorded_by").order_by("-offered_on", "-id")[:limit])
    surveys = list(provider.survey_answers.select_related("answered_by").order_by("-quarter_start")[:limit])
    return ProviderEngagement(
        contacts=contacts,
        support=support,
        surveys=surveys,
        open_places=open_vacancy_places([provider.pk]).get(provider.pk, 0),
        latest_turnover=next((s for s in surveys if s.turnover_percent is not None), None),
    )


@dataclass(frozen=True)
class SurveyFigures:
    """Survey answers in a period: how many, from how many providers, and the average of each 1-5 score."""

    responses: int
    providers: int
    readiness: Decimal | None
    values: Decimal | None
    retention: Decimal | None
    support: Decimal | None


def _survey_aggregates() -> dict[str, Any]:
    return {
        "responses": Count("pk"),
        "providers": Count("provider", distinct=True),
        **{score: Avg(score) for score in ProviderSurvey.SCORES},
    }


def _one_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def survey_figures(*, start: date, end: date, provider: Provider | None = None) -> SurveyFigures:
    """Average scores and response counts for the quarters starting between `start` and `end`
    (inclusive), for every provider or one; for the reporting app's provider section. One query."""
    qs = ProviderSurvey.objects.filter(quarter_start__gte=start, quarter_start__lte=end)
    if provider is not None:
        qs = qs.filter(provider=provider)
    row = qs.aggregate(**_survey_aggregates())
    return SurveyFigures(
        responses=row["responses"],
        providers=row["providers"],
        **{score: _one_decimal(row[score]) for score in ProviderSurvey.SCORES},
    )


@dataclass(frozen=True)
class ProviderSurveyFigures:
    provider_id: int
    provider_name: str
    figures: SurveyFigures


def survey_figures_by_provider(*, start: date, end: date) -> list[ProviderSurveyFigures]:
    """`survey_figures` for each provider that answered in the period, by name. One query."""
    rows = (
        ProviderSurvey.objects.filter(quarter_start__gte=start, quarter_start__lte=end)
        .order_by()
        .values("provider_id", "provider__name")
        .annotate(**_survey_aggregates())
        .order_by("provider__name")
    )
    return [
        ProviderSurveyFigures(
            provider_id=row["provider_id"],
            provider_name=row["provider__name"],
            figures=SurveyFigures(
                responses=row["responses"],
                providers=row["providers"],
                **{score: _one_decimal(row[score]) for score in ProviderSurvey.SCORES},
            ),
        )
        for row in rows
    ]


def survey_answer_list(*, answers: QuerySet[ProviderSurvey], start: date, end: date) -> QuerySet[ProviderSurvey]:
    """Answers for the quarters starting in the period, newest quarter first, with provider and who answered."""
    return (
        answers.filter(quarter_start__gte=start, quarter_start__lte=end)
        .select_related("provider", "answered_by")
        .order_by("-quarter_start", "provider__name")
    )
