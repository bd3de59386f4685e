"""factory_boy factories for funding streams, their eligibility rules and who counts for them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from academy.models import FundingStream
from candidates.models import EligibilityRule, StreamAttribution


class FundingStreamFactory(factory.django.DjangoModelFactory[FundingStream]):
    """A stream open from 90 days ago to 275 days ahead, with £10,000 and 4/13/26/52-week follow-ups."""

    class Meta:
        model = FundingStream

    name = factory.Sequence(lambda n: f"Care Academy Fund {n}")
    funder = "North Tyneside Council"
    code = factory.Sequence(lambda n: f"CAF-{n:03d}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=275))
    budget = Decimal("10000.00")
    target_job_starts = 40
    follow_up_weeks = factory.LazyFunction(lambda: [4, 13, 26, 52])
    sustained_after_weeks = 26


class EligibilityRuleFactory(factory.django.DjangoModelFactory[EligibilityRule]):
    class Meta:
        model = EligibilityRule

    stream = factory.SubFactory(FundingStreamFactory)
    field = EligibilityRule.Field.AGE
    operator = EligibilityRule.Operator.AT_LEAST
    value = "19"


class StreamAttributionFactory(factory.django.DjangoModelFactory[StreamAttribution]):
    class Meta:
        model = StreamAttribution

    stream = factory.SubFactory(FundingStreamFactory)
    attributed_on = factory.LazyFunction(timezone.localdate)
