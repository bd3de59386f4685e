"""Factories and fixtures for vacancies and the job board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
import pytest
from django.utils import timezone

from academy.postcodes import postcodes_load_demo
from placements.models import ContractType, JobRole, PayPeriod, Vacancy, VacancyKind
from tests.factories import ProviderFactory


class VacancyFactory(factory.django.DjangoModelFactory[Vacancy]):
    class Meta:
        model = Vacancy

    provider = factory.SubFactory(ProviderFactory)
    kind = VacancyKind.JOB
    title = factory.Sequence(lambda n: f"Care worker {n}")
    job_role = JobRole.CARE_WORKER
    description = "Supporting people at home."
    hours_per_week = Decimal("30")
    contract_type = ContractType.PERMANENT
    pay_amount = Decimal("12.60")
    pay_period = PayPeriod.HOUR
    place = "Harehills, Leeds"
    postcode = "LS9 8AB"
    easting = 432300
    northing = 433400
    places = 1
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    status = Vacancy.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


@pytest.fixture
def postcode_centroids(db: None) -> None:
    """The shipped demo and test centroids (academy/data/postcodes_demo.csv)."""
    postcodes_load_demo()
