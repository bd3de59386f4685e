"""The demo's funding streams: three streams with different rules, people attributed, support across four quarters."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from academy.models import FundingStream
from candidates.demo_funding import CORE, DWP, PRIORITY
from candidates.models import DbsCheck, StreamAttribution
from candidates.selectors.eligibility import ELIGIBLE, stream_eligibility, streams_with_rules
from courses.models import SupportPayment
from courses.selectors.payments import stream_budget
from placements.selectors.funding import last_quarters

pytestmark = pytest.mark.django_db


def test_the_demo_funds_three_streams_idempotently(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (StreamAttribution.objects.count(), SupportPayment.objects.count(), FundingStream.objects.count())
    call_command("seed_demo")
    assert (StreamAttribution.objects.count(), SupportPayment.objects.count(), FundingStream.objects.count()) == counts

    streams = {s.code: s for s in streams_with_rules()}
    assert set(streams) == {CORE, DWP, PRIORITY}
    # Different questions: rules, follow-up points and sustained points differ.
    assert {len(s.eligibility_rules.all()) for s in streams.values()} == {2, 3}
    assert len({tuple(s.follow_up_weeks) for s in streams.values()}) == 3
    assert {s.sustained_after_weeks for s in streams.values()} == {13, 26, 52}

    today = timezone.localdate()
    for code in (DWP, PRIORITY):
        people = StreamAttribution.objects.filter(stream=streams[code], reason__startswith="Referred").select_related(
            "candidate"
        )
        for attribution in people:
            assert stream_eligibility(attribution.candidate, streams[code], on=today).status == ELIGIBLE
    # Someone counts for two streams.
    assert StreamAttribution.objects.values("candidate").annotate(n=Count("stream")).filter(n__gt=1).exists()
    # Support in each of the last four quarters; every stream within budget, one request waiting with a benefits flag.
    outside_cohorts = SupportPayment.objects.filter(funding_stream__isnull=False, cohort__isnull=True)
    for start, end in last_quarters(today):
        if (today - start).days < 3:  # a quarter a day or two old has nothing yet
            continue
        assert outside_cohorts.filter(created_at__date__range=(start, end)).exists(), start
    for stream in streams.values():
        outside = outside_cohorts.filter(funding_stream=stream)
        assert not stream_budget(stream).over
        waiting = outside.get(status=SupportPayment.Status.REQUESTED)
        assert waiting.may_affect_benefits
    assert DbsCheck.objects.filter(funding_stream=streams[DWP], paid_by=DbsCheck.PaidBy.FUNDING_STREAM).exists()
    # Every payment charged to a stream was asked for while the stream was open.
    for payment in SupportPayment.objects.exclude(funding_stream=None).select_related("funding_stream"):
        assert payment.funding_stream is not None
        assert payment.funding_stream.is_open_on(timezone.localdate(payment.created_at)), payment
