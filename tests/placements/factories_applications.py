"""Factories for job applications: a published vacancy and an application the learner agreed to share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from placements.models import JobApplication, Vacancy
from placements.models.choices import ContractType, JobRole
from tests.factories import CandidateFactory, ProviderFactory


class PublishedVacancyFactory(factory.django.DjangoModelFactory[Vacancy]):
    class Meta:
        model = Vacancy

    provider = factory.SubFactory(ProviderFactory)
    title = factory.Sequence(lambda n: f"Care worker {n}")
    job_role = JobRole.CARE_WORKER
    description = "Support people in their own homes."
    hours_per_week = Decimal("25")
    contract_type = ContractType.PERMANENT
    place = "Leeds"
    postcode = "LS9 8AB"
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=21))
    status = Vacancy.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class JobApplicationFactory(factory.django.DjangoModelFactory[JobApplication]):
    class Meta:
        model = JobApplication

    vacancy = factory.SubFactory(PublishedVacancyFactory)
    candidate = factory.SubFactory(CandidateFactory)
    route = JobApplication.Route.APPLIED
    status = JobApplication.Status.APPLIED
    consented_at = factory.LazyFunction(timezone.now)
