"""The demo vacancies: every kind and status from the demo providers, one ring-fenced; safe to run twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from placements import demo_vacancies
from placements.models import Vacancy, VacancyKind, VacancyStatusChange
from placements.selectors.board import BoardSearch, job_board_search
from tests.courses.factories import CohortFactory
from tests.factories import ProviderFactory, ProviderMembershipFactory
from tests.placements.factories_vacancies import postcode_centroids  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postcode_centroids")]


def test_seed_makes_each_kind_and_status_once() -> None:
    today = timezone.localdate()
    for name in (demo_vacancies.RIVERSIDE, demo_vacancies.OAKWOOD):
        ProviderMembershipFactory.create(provider=ProviderFactory.create(name=name))
    cohort = CohortFactory.create(
        name=demo_vacancies.RING_FENCE_COHORT, status="finished", start_date=today - dt.timedelta(days=56)
    )
    now = timezone.now()
    demo_vacancies.seed(now=now)
    demo_vacancies.seed(now=now)
    assert Vacancy.objects.count() == len(demo_vacancies.SPECS)
    assert set(Vacancy.objects.values_list("kind", flat=True)) == set(VacancyKind.values)
    assert set(Vacancy.objects.values_list("status", flat=True)) == set(Vacancy.Status.values)
    assert Vacancy.objects.filter(ring_fenced_cohort=cohort, status=Vacancy.Status.PUBLISHED).count() == 1
    # Every row has the history its status implies, ending in its status.
    for vacancy in Vacancy.objects.all():
        last = VacancyStatusChange.objects.filter(vacancy=vacancy).order_by("-changed_at", "-id").first()
        assert last is not None and last.to_status == vacancy.status
    # The published Leeds vacancies are on the board nearest to a Leeds postcode, with grid references.
    board = [v.provider.name for v in job_board_search(BoardSearch(where="LS9 8AB")).vacancies]
    assert board[0] == demo_vacancies.RIVERSIDE and board[-1] == demo_vacancies.OAKWOOD
    assert not Vacancy.objects.filter(easting__isnull=True).exists()
