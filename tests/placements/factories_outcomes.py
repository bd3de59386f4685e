"""Factories for outcomes and follow-ups: funding streams, attributions, job starts and outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from academy.models import FundingStream
from candidates.models import Candidate, StreamAttribution
from courses.models import SupportPayment
from placements.models import ContractType, JobRole, JobStart, Outcome
from tests.factories import CandidateFactory


class FundingStreamFactory(factory.django.DjangoModelFactory[FundingStream]):
    class Meta:
        model = FundingStream

    name = factory.Sequence(lambda n: f"Stream {n}")
    funder = "West Yorkshire Combined Authority"
    code = factory.Sequence(lambda n: f"WY-{n:03d}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    budget = Decimal("10000.00")
    follow_up_weeks = factory.LazyFunction(lambda: [4, 13, 26])
    sustained_after_weeks = 26


def attribute(candidate: Candidate, stream: FundingStream) -> StreamAttribution:
    return StreamAttribution.objects.create(candidate=candidate, stream=stream, attributed_on=stream.start_date)


class JobStartFactory(factory.django.DjangoModelFactory[JobStart]):
    class Meta:
        model = JobStart

    candidate = factory.SubFactory(CandidateFactory)
    employer_name = "Acme Care"
    job_role = JobRole.CARE_WORKER
    hours_per_week = Decimal("30.0")
    contract_type = ContractType.PERMANENT
    start_date = factory.LazyFunction(timezone.localdate)
    confirmed_at = factory.LazyFunction(timezone.now)


class OutcomeFactory(factory.django.DjangoModelFactory[Outcome]):
    class Meta:
        model = Outcome

    candidate = factory.SubFactory(CandidateFactory)
    kind = Outcome.Kind.PAID_JOB_CARE
    employer_name = "Acme Care"
    role = "Care worker"
    start_date = factory.LazyFunction(timezone.localdate)
    hours_per_week = Decimal("30.0")
    evidence = Outcome.Evidence.PROVIDER_CONFIRMATION


def charge(stream: FundingStream, **fields: Any) -> SupportPayment:
    """A support payment charged to `stream`, whether the payment holds the stream as a key or a label."""
    relation = SupportPayment._meta.get_field("funding_stream").is_relation
    charged: Any = stream if relation else stream.name
    return SupportPayment.objects.create(funding_stream=charged, **fields)
