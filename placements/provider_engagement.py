"""Placements' part of the provider engagement pages (providers.selectors.open_vacancy_places discovers it):
a provider's recruitment need as the open places of its published job and apprenticeship vacancies."""

from __future__ import annotations

from django.db.models import F, Sum

from placements.models import Vacancy
from placements.models.choices import VacancyKind

# Paid roles: work placements and volunteering are not a recruitment need.
RECRUITING_KINDS = (VacancyKind.JOB, VacancyKind.APPRENTICESHIP)


def open_vacancy_places(provider_ids: list[int]) -> dict[int, int]:
    """Unfilled places of published job and apprenticeship vacancies, by provider id. One query."""
    rows = (
        Vacancy.objects.filter(provider_id__in=provider_ids, status__in=Vacancy.OPEN, kind__in=RECRUITING_KINDS)
        .order_by()
        .values("provider_id")
        .annotate(places=Sum(F("places") - F("places_filled")))
    )
    return {row["provider_id"]: int(row["places"] or 0) for row in rows}
