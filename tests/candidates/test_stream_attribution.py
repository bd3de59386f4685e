"""Attributing a person to funding streams from their record, and the record's eligibility section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck, StreamAttribution
from candidates.services.dbs import dbs_check_start
from candidates.services.funding import stream_attribute, stream_attribution_remove
from tests.factories import CandidateFactory
from tests.factories_funding import EligibilityRuleFactory, FundingStreamFactory, StreamAttributionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def record_url(candidate: Candidate) -> str:
    return reverse("candidates:candidate-detail", kwargs={"public_id": candidate.public_id})


def attribute_url(candidate: Candidate) -> str:
    return reverse("candidates:stream-attribute", kwargs={"public_id": candidate.public_id})


def test_staff_attribute_a_person_to_more_than_one_stream(staff: User, walk_in: Candidate) -> None:
    first, second = FundingStreamFactory.create(), FundingStreamFactory.create()

    stream_attribute(candidate=walk_in, stream=first, actor=staff, reason="Jobcentre referral")
    stream_attribute(candidate=walk_in, stream=second, actor=staff)

    assert set(walk_in.stream_attributions.values_list("stream", flat=True)) == {first.pk, second.pk}
    entry = AuditEntry.objects.filter(action="stream.attribute").order_by("created_at", "id").first()
    assert entry is not None and entry.data["reason"] == "Jobcentre referral"


def test_the_same_stream_twice_is_refused(staff: User, walk_in: Candidate) -> None:
    stream = FundingStreamFactory.create(name="Core")
    stream_attribute(candidate=walk_in, stream=stream, actor=staff)

    with pytest.raises(ValidationError) as exc:
        stream_attribute(candidate=walk_in, stream=stream, actor=staff)

    assert exc.value.message_dict == {"stream": ["Wendy Walkin already counts for Core."]}
    assert StreamAttribution.objects.count() == 1


def test_a_closed_stream_is_refused(staff: User, walk_in: Candidate) -> None:
    stream = FundingStreamFactory.create(name="Old", end_date=TODAY - dt.timedelta(days=1))

    with pytest.raises(ValidationError, match="Old is closed on"):
        stream_attribute(candidate=walk_in, stream=stream, actor=staff)

    assert not StreamAttribution.objects.exists()


def test_only_staff_attribute(learner: User, walk_in: Candidate) -> None:
    with pytest.raises(ValidationError):
        stream_attribute(candidate=walk_in, stream=FundingStreamFactory.create(), actor=learner)


def test_removing_needs_a_reason_which_is_audited(staff: User, walk_in: Candidate) -> None:
    attribution = StreamAttributionFactory.create(candidate=walk_in)

    with pytest.raises(ValidationError):
        stream_attribution_remove(attribution=attribution, actor=staff, reason="  ")
    assert StreamAttribution.objects.exists()

    stream_attribution_remove(attribution=attribution, actor=staff, reason="Wrong programme")

    assert not StreamAttribution.objects.exists()
    assert AuditEntry.objects.get(action="stream.unattribute").data["reason"] == "Wrong programme"


def test_the_record_says_which_streams_they_are_eligible_for_and_why_not(
    client_for: Callable[[str], Client],
) -> None:
    person = CandidateFactory.create(
        date_of_birth=TODAY.replace(year=TODAY.year - 17) - dt.timedelta(days=1), postcode=""
    )
    adults = FundingStreamFactory.create(name="Adults only")
    EligibilityRuleFactory.create(stream=adults, field="age", operator="at_least", value="19")
    postcode = FundingStreamFactory.create(name="Leeds only")
    EligibilityRuleFactory.create(stream=postcode, field="postcode_area", operator="one_of", value="LS")
    FundingStreamFactory.create(name="Anyone")
    counted = FundingStreamFactory.create(name="Counted for")
    StreamAttributionFactory.create(stream=counted, candidate=person, reason="Referred by the council")

    page = client_for("staff").get(record_url(person)).content.decode()

    assert "Referred by the council" in page
    assert "Adults only" in page and "aged 17, must be 19 or over" in page
    assert "Leeds only" in page and "no postcode recorded" in page
    assert "Anyone" in page
    assert "Attribute to a funding stream" in page


def test_the_attribute_page_offers_open_streams_with_each_verdict(
    client_for: Callable[[str], Client], walk_in: Candidate
) -> None:
    adults = FundingStreamFactory.create(name="Adults only")
    EligibilityRuleFactory.create(stream=adults, field="age", operator="at_least", value="19")
    FundingStreamFactory.create(name="Closed", end_date=TODAY - dt.timedelta(days=1))
    already = FundingStreamFactory.create(name="Already")
    StreamAttributionFactory.create(stream=already, candidate=walk_in)
    walk_in.date_of_birth = None
    walk_in.save()
    client = client_for("staff")

    page = client.get(attribute_url(walk_in)).content.decode()

    assert "Adults only (unknown: no date of birth recorded)" in page
    assert "Closed" not in page and "Already (" not in page

    response = client.post(attribute_url(walk_in), {"stream": str(adults.public_id), "reason": "Council referral"})

    assert response.status_code == 302
    assert StreamAttribution.objects.filter(candidate=walk_in, stream=adults, reason="Council referral").exists()


def test_attributing_to_a_stream_not_offered_is_refused(
    client_for: Callable[[str], Client], walk_in: Candidate
) -> None:
    closed = FundingStreamFactory.create(name="Closed", end_date=TODAY - dt.timedelta(days=1))

    response = client_for("staff").post(attribute_url(walk_in), {"stream": str(closed.public_id)})

    assert response.status_code == 200
    assert "Choose an open stream they do not already count for" in response.content.decode()
    assert not StreamAttribution.objects.exists()


def test_the_remove_page_asks_why_first(client_for: Callable[[str], Client], walk_in: Candidate) -> None:
    attribution = StreamAttributionFactory.create(candidate=walk_in)
    url = reverse(
        "candidates:stream-attribution-remove",
        kwargs={"public_id": walk_in.public_id, "stream_id": attribution.stream.public_id},
    )
    client = client_for("staff")

    assert "Remove them from" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert "Enter why they no longer count for this stream" in refused.content.decode()
    assert StreamAttribution.objects.exists()

    client.post(url, {"reason": "Attributed by mistake"})
    assert not StreamAttribution.objects.exists()


def test_the_record_section_queries_do_not_grow_with_streams(
    client_for: Callable[[str], Client], walk_in: Candidate, django_assert_num_queries
) -> None:
    client = client_for("staff")
    url = record_url(walk_in)
    client.get(url)

    def add(n: int) -> None:
        for _ in range(n):
            stream = FundingStreamFactory.create()
            EligibilityRuleFactory.create_batch(2, stream=stream)
            StreamAttributionFactory.create(stream=stream, candidate=walk_in)
            FundingStreamFactory.create()

    add(1)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    add(10)
    with django_assert_num_queries(len(first)):
        assert client.get(url).status_code == 200


# --- DBS checks charged to a stream ---


def test_a_dbs_check_paid_by_a_stream_names_the_stream(staff: User, walk_in: Candidate) -> None:
    stream = FundingStreamFactory.create()

    check = dbs_check_start(
        candidate=walk_in,
        actor=staff,
        level=DbsCheck.Level.ENHANCED_ADULTS,
        workforce=DbsCheck.Workforce.ADULT,
        paid_by=DbsCheck.PaidBy.FUNDING_STREAM,
        funding_stream=stream,
        started_on=TODAY,
    )

    assert check.funding_stream == stream
    assert AuditEntry.objects.get(action="dbs.start").data["stream"] == stream.code


@pytest.mark.parametrize(
    ("paid_by", "stream_days", "message"),
    [
        (DbsCheck.PaidBy.FUNDING_STREAM, None, "Choose the funding stream that pays for the check"),
        (DbsCheck.PaidBy.FUNDING_STREAM, -1, "is closed on the start date"),
    ],
)
def test_a_dbs_check_on_a_stream_needs_an_open_stream(
    staff: User, walk_in: Candidate, paid_by: str, stream_days: int | None, message: str
) -> None:
    stream = (
        None if stream_days is None else FundingStreamFactory.create(end_date=TODAY + dt.timedelta(days=stream_days))
    )

    with pytest.raises(ValidationError) as exc:
        dbs_check_start(
            candidate=walk_in,
            actor=staff,
            level=DbsCheck.Level.ENHANCED_ADULTS,
            workforce=DbsCheck.Workforce.ADULT,
            paid_by=paid_by,
            funding_stream=stream,
            started_on=TODAY,
        )

    assert message in exc.value.message_dict["funding_stream"][0]
    assert not DbsCheck.objects.exists()


def test_a_dbs_check_the_academy_pays_for_is_not_charged_to_a_stream(staff: User, walk_in: Candidate) -> None:
    check = dbs_check_start(
        candidate=walk_in,
        actor=staff,
        level=DbsCheck.Level.BASIC,
        workforce=DbsCheck.Workforce.ADULT,
        paid_by=DbsCheck.PaidBy.ACADEMY,
        funding_stream=FundingStreamFactory.create(),
        started_on=TODAY,
    )
    assert check.funding_stream is None
