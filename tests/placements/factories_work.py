"""Factories for work placements, readiness feedback and CVs (and the small vacancy, application and
job start they need, kept here so this area's tests stand alone)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from courses.models import Cohort, Enrolment
from placements.models import (
    ContractType,
    Cv,
    CvComment,
    JobApplication,
    JobRole,
    JobStart,
    ReadinessFeedback,
    Vacancy,
    WorkPlacement,
)
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory, ProviderFactory


def past_cohort(*, days_ago: int = 30, **kwargs: object) -> Cohort:
    """A two-week cohort that started `days_ago` days ago (finished unless it is still within two weeks)."""
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    return CohortFactory.create(
        start_date=start,
        end_date=start + dt.timedelta(days=13),
        status=Cohort.Status.FINISHED if days_ago > 13 else Cohort.Status.RUNNING,
        **kwargs,
    )


class WorkPlacementFactory(factory.django.DjangoModelFactory[WorkPlacement]):
    """A four-day, 28-hour placement for a learner enrolled on the cohort (the enrolment is made too)."""

    class Meta:
        model = WorkPlacement
        skip_postgeneration_save = True

    cohort = factory.LazyFunction(lambda: past_cohort(days_ago=10))
    candidate = factory.SubFactory(CandidateFactory)
    provider = factory.SubFactory(ProviderFactory)
    start_date = factory.LazyAttribute(lambda o: o.cohort.end_date - dt.timedelta(days=3))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=3))
    planned_hours = Decimal("28")
    supervisor_name = "Sam Supervisor"
    status = WorkPlacement.Status.PLANNED

    @factory.post_generation
    def enrol(obj: WorkPlacement, create: bool, extracted: object, **kwargs: object) -> None:
        if (
            create
            and obj.cohort_id
            and not Enrolment.objects.filter(cohort=obj.cohort, candidate=obj.candidate).exists()
        ):
            EnrolmentFactory.create(cohort=obj.cohort, candidate=obj.candidate)


class VacancyFactory(factory.django.DjangoModelFactory[Vacancy]):
    class Meta:
        model = Vacancy

    provider = factory.SubFactory(ProviderFactory)
    title = "Care worker, days"
    job_role = JobRole.CARE_WORKER
    description = "Supporting people in their own homes."
    hours_per_week = Decimal("30")
    contract_type = ContractType.PERMANENT
    pay_amount = Decimal("12.60")
    place = "Leeds"
    postcode = "LS1 4AP"
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    status = Vacancy.Status.PUBLISHED


class JobApplicationFactory(factory.django.DjangoModelFactory[JobApplication]):
    class Meta:
        model = JobApplication

    vacancy = factory.SubFactory(VacancyFactory)
    candidate = factory.SubFactory(CandidateFactory)
    route = JobApplication.Route.APPLIED
    status = JobApplication.Status.APPLIED
    consented_at = factory.LazyFunction(timezone.now)
    cv_attached = True


class JobStartFactory(factory.django.DjangoModelFactory[JobStart]):
    class Meta:
        model = JobStart

    candidate = factory.SubFactory(CandidateFactory)
    provider = factory.SubFactory(ProviderFactory)
    employer_name = factory.LazyAttribute(lambda o: o.provider.name if o.provider else "Another employer")
    job_role = JobRole.CARE_WORKER
    hours_per_week = Decimal("30")
    contract_type = ContractType.PERMANENT
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(weeks=5))
    confirmed_at = factory.LazyFunction(timezone.now)


class ReadinessFeedbackFactory(factory.django.DjangoModelFactory[ReadinessFeedback]):
    class Meta:
        model = ReadinessFeedback

    placement = factory.SubFactory(WorkPlacementFactory, status=WorkPlacement.Status.SIGNED_OFF)
    provider = factory.LazyAttribute(lambda o: o.placement.provider if o.placement else o.job_start.provider)
    due_on = factory.LazyFunction(timezone.localdate)


class CvFactory(factory.django.DjangoModelFactory[Cv]):
    class Meta:
        model = Cv

    candidate = factory.SubFactory(CandidateFactory)
    personal_statement = "I cared for my grandmother for three years and want to make it my job."
    work_history = factory.LazyFunction(
        lambda: [
            {"employer": "Leeds Food Bank", "role": "Volunteer", "from": "2023-01", "to": "", "summary": "Packing"}
        ]
    )
    skills = "Listening\nCooking"
    interests = "Walking"


class CvCommentFactory(factory.django.DjangoModelFactory[CvComment]):
    class Meta:
        model = CvComment

    cv = factory.SubFactory(CvFactory)
    body = "Add the dates of your caring role."
