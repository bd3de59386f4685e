"""Factories for the interviews, offers, folder and starts tests: a vacancy and an application at any status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from candidates.models import Candidate
from placements.models import ContractType, Interview, JobApplication, JobRole, Vacancy
from providers.models import Provider
from tests.factories import CandidateFactory, ProviderFactory


class VacancyFactory(factory.django.DjangoModelFactory[Vacancy]):
    class Meta:
        model = Vacancy

    provider = factory.SubFactory(ProviderFactory)
    title = factory.Sequence(lambda n: f"Care worker, days {n}")
    job_role = JobRole.CARE_WORKER
    description = "Supporting people in their own homes across north Leeds."
    hours_per_week = Decimal("30.0")
    contract_type = ContractType.PERMANENT
    pay_amount = Decimal("12.60")
    place = "Leeds"
    postcode = "LS7 3QB"
    places = 1
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=21))
    status = Vacancy.Status.PUBLISHED


class JobApplicationFactory(factory.django.DjangoModelFactory[JobApplication]):
    class Meta:
        model = JobApplication

    vacancy = factory.SubFactory(VacancyFactory)
    candidate = factory.SubFactory(CandidateFactory)
    route = JobApplication.Route.APPLIED
    status = JobApplication.Status.SHORTLISTED
    consented_at = factory.LazyFunction(timezone.now)


class InterviewFactory(factory.django.DjangoModelFactory[Interview]):
    class Meta:
        model = Interview

    application = factory.SubFactory(JobApplicationFactory, status=JobApplication.Status.INTERVIEW)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    duration_minutes = 45
    location = "Oak House, 12 Chapel Road, Leeds"


def application_for(
    provider: Provider, candidate: Candidate | None = None, *, places: int = 1, **extra: Any
) -> JobApplication:
    """An application of `candidate` (a new one if None) to a new vacancy of `provider`."""
    vacancy = VacancyFactory.create(provider=provider, places=places)
    return JobApplicationFactory.create(vacancy=vacancy, candidate=candidate or CandidateFactory.create(), **extra)


def offered(provider: Provider, candidate: Candidate | None = None, **extra: Any) -> JobApplication:
    """An application with an offer made yesterday, starting in a week."""
    extra.setdefault("status", JobApplication.Status.OFFERED)
    extra.setdefault("offered_at", timezone.now() - dt.timedelta(days=1))
    extra.setdefault("offer_start_date", timezone.localdate() + dt.timedelta(days=7))
    return application_for(provider, candidate, **extra)
