"""Support payments on funding streams: the stream charged, closed streams, budgets and the benefits warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from courses.models import SupportPayment
from courses.selectors.payments import stream_budget
from courses.services.payments import (
    OverBudget,
    cohort_record_bursaries,
    payment_decide,
    payment_request,
    payment_request_on_stream,
)
from tests.courses.factories import CourseFactory
from tests.courses.factories_outcomes import SupportPaymentFactory, finished_cohort
from tests.courses.test_payments_services import bursary_cohort
from tests.factories import UserFactory
from tests.factories_funding import FundingStreamFactory, StreamAttributionFactory

pytestmark = pytest.mark.django_db

Status, Kind = SupportPayment.Status, SupportPayment.Kind
TODAY = timezone.localdate()


@pytest.fixture
def other_manager(db: None) -> User:
    return UserFactory.create(email="manager2@example.org", role="manager")


def closed_stream(**kwargs: object):
    return FundingStreamFactory.create(
        name="Last year's fund",
        start_date=TODAY - dt.timedelta(days=400),
        end_date=TODAY - dt.timedelta(days=35),
        **kwargs,
    )


def requested(stream, amount: str = "50.00", **kwargs: object) -> SupportPayment:
    return SupportPaymentFactory.create(funding_stream=stream, amount=Decimal(amount), **kwargs)


# --- which stream is charged ---


def test_a_request_is_charged_to_the_course_stream(staff: User) -> None:
    stream = FundingStreamFactory.create()
    made = finished_cohort(learners=1, course=CourseFactory.create(funding_stream=stream))

    payment = payment_request(
        cohort=made.cohort, enrolment=made.enrolments[0], actor=staff, kind=Kind.UNIFORM, amount=Decimal("35")
    )

    assert payment.funding_stream == stream
    assert payment.get_kind_display() == "Uniform"


def test_the_cohort_stream_wins_over_the_course_stream(staff: User) -> None:
    course_stream, cohort_stream = FundingStreamFactory.create(), FundingStreamFactory.create()
    made = finished_cohort(learners=1, course=CourseFactory.create(funding_stream=course_stream))
    made.cohort.funding_stream = cohort_stream
    made.cohort.save()

    payment = payment_request(
        cohort=made.cohort, enrolment=made.enrolments[0], actor=staff, kind=Kind.EXAM_FEES, amount=Decimal("85")
    )

    assert payment.funding_stream == cohort_stream


def test_a_request_records_that_it_may_affect_benefits(staff: User) -> None:
    made = finished_cohort(learners=1)

    payment = payment_request(
        cohort=made.cohort,
        enrolment=made.enrolments[0],
        actor=staff,
        kind=Kind.CHILDCARE,
        amount=Decimal("120"),
        may_affect_benefits=True,
    )

    assert payment.may_affect_benefits is True
    entry = AuditEntry.objects.get(action="payment.request")
    assert entry.data["may_affect_benefits"] is True


def test_a_request_on_a_closed_stream_is_refused_and_nothing_is_saved(staff: User) -> None:
    made = finished_cohort(learners=1, course=CourseFactory.create(funding_stream=closed_stream()))

    with pytest.raises(ValidationError) as exc:
        payment_request(
            cohort=made.cohort, enrolment=made.enrolments[0], actor=staff, kind=Kind.LUNCH, amount=Decimal("5")
        )

    ended = (TODAY - dt.timedelta(days=35)).strftime("%-d %B %Y")
    assert exc.value.messages == [
        f"Last year's fund is closed: it ended on {ended}. Charge the payment to an open stream."
    ]
    assert not SupportPayment.objects.exists()


def test_a_stream_not_open_yet_is_closed_too(staff: User) -> None:
    stream = FundingStreamFactory.create(name="Next year", start_date=TODAY + dt.timedelta(days=3))
    made = finished_cohort(learners=1, course=CourseFactory.create(funding_stream=stream))

    with pytest.raises(ValidationError, match="Next year is closed: it opens on"):
        payment_request(
            cohort=made.cohort, enrolment=made.enrolments[0], actor=staff, kind=Kind.LUNCH, amount=Decimal("5")
        )


@pytest.mark.parametrize("amount", [Decimal("-10.00"), Decimal("0.00")])
def test_negative_and_zero_amounts_are_refused(staff: User, amount: Decimal) -> None:
    made = finished_cohort(learners=1, course=CourseFactory.create(funding_stream=FundingStreamFactory.create()))

    with pytest.raises(ValidationError) as exc:
        payment_request(cohort=made.cohort, enrolment=made.enrolments[0], actor=staff, kind=Kind.LUNCH, amount=amount)

    assert exc.value.message_dict == {"amount": ["The amount must be more than £0.00."]}
    assert not SupportPayment.objects.exists()


# --- the budget ---


def test_budget_used_counts_approved_and_paid_only() -> None:
    stream = FundingStreamFactory.create(budget=Decimal("1000.00"))
    requested(stream, "10.00")
    requested(stream, "20.00", status=Status.APPROVED)
    requested(stream, "40.00", status=Status.PAID)
    requested(stream, "80.00", status=Status.REJECTED)
    requested(FundingStreamFactory.create(), "160.00", status=Status.PAID)  # another stream's

    budget = stream_budget(stream)

    assert (budget.requested, budget.approved, budget.paid) == (Decimal("10.00"), Decimal("20.00"), Decimal("40.00"))
    assert budget.used == Decimal("60.00")
    assert budget.left == Decimal("940.00")
    assert not budget.over


def test_approving_within_the_budget_needs_no_confirmation(manager: User) -> None:
    stream = FundingStreamFactory.create(budget=Decimal("100.00"))
    requested(stream, "60.00", status=Status.PAID)
    payment = requested(stream, "40.00")

    payment_decide(payment=payment, actor=manager, approve=True)

    assert stream_budget(stream).left == Decimal("0.00")


def test_approving_over_the_budget_warns_and_changes_nothing(manager: User) -> None:
    stream = FundingStreamFactory.create(name="Core", budget=Decimal("100.00"))
    requested(stream, "60.00", status=Status.PAID)
    payment = requested(stream, "40.01")

    with pytest.raises(OverBudget) as exc:
        payment_decide(payment=payment, actor=manager, approve=True)

    assert exc.value.messages == [
        "Approving £40.01 would take Core over its budget: £60.00 of £100.00 is already approved or paid, "
        "so £40.00 is left. Confirm that you approve it anyway."
    ]
    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED
    assert not AuditEntry.objects.filter(action="payment.approve").exists()


def test_a_manager_can_confirm_an_approval_over_the_budget(manager: User) -> None:
    stream = FundingStreamFactory.create(budget=Decimal("100.00"))
    payment = requested(stream, "150.00")

    payment_decide(payment=payment, actor=manager, approve=True, confirm_over_budget=True)

    payment.refresh_from_db()
    assert payment.status == Status.APPROVED
    assert stream_budget(stream).over
    assert AuditEntry.objects.get(action="payment.approve").data["over_budget_confirmed"] is True


def test_rejecting_never_needs_budget_confirmation(manager: User) -> None:
    stream = FundingStreamFactory.create(budget=Decimal("0.00"))
    payment = requested(stream, "150.00")

    payment_decide(payment=payment, actor=manager, approve=False, reason="Not needed")

    payment.refresh_from_db()
    assert payment.status == Status.REJECTED


def test_approving_on_a_closed_stream_is_refused_even_when_confirmed(manager: User) -> None:
    payment = requested(closed_stream(), "10.00")

    with pytest.raises(ValidationError, match="Last year's fund is closed"):
        payment_decide(payment=payment, actor=manager, approve=True, confirm_over_budget=True)

    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED


def test_the_requester_cannot_approve_their_own_payment_on_a_stream(manager: User) -> None:
    payment = requested(FundingStreamFactory.create(), "10.00", requested_by=manager)

    with pytest.raises(ValidationError, match="another manager must approve"):
        payment_decide(payment=payment, actor=manager, approve=True)


def test_bursaries_are_not_recorded_on_a_closed_stream(staff: User) -> None:
    cohort = bursary_cohort().cohort
    cohort.funding_stream = closed_stream()
    cohort.save()

    with pytest.raises(ValidationError, match="is closed"):
        cohort_record_bursaries(cohort=cohort, actor=staff)

    assert not SupportPayment.objects.exists()


# --- the approval page ---


def decide_url(payment: SupportPayment) -> str:
    return reverse("courses:payment-decide", kwargs={"public_id": payment.public_id})


def test_the_approval_page_shows_the_benefits_warning_and_the_budget(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create(name="Core", budget=Decimal("500.00"))
    requested(stream, "100.00", status=Status.PAID)
    payment = requested(stream, "25.00", may_affect_benefits=True)

    page = client_for("manager").get(decide_url(payment)).content.decode()

    assert "may affect" in page and "benefits. Check they know before you approve it." in page
    assert "Budget £500.00: £100.00 approved or paid, £400.00 left." in page
    assert "over its budget" not in page


def test_the_approval_page_warns_and_asks_to_confirm_when_over_budget(client_for: Callable[[str], Client]) -> None:
    stream = FundingStreamFactory.create(name="Core", budget=Decimal("100.00"))
    payment = requested(stream, "125.00")
    client = client_for("manager")

    page = client.get(decide_url(payment)).content.decode()
    assert "Approving £125.00 would take Core over its budget" in page
    assert 'name="confirm_over_budget"' in page

    refused = client.post(decide_url(payment), {"decision": "approve", "reason": ""})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED

    approved = client.post(decide_url(payment), {"decision": "approve", "reason": "", "confirm_over_budget": "on"})
    assert approved.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Status.APPROVED


def test_the_approval_page_refuses_a_closed_stream_with_the_reason(client_for: Callable[[str], Client]) -> None:
    payment = requested(closed_stream(), "10.00")

    response = client_for("manager").post(decide_url(payment), {"decision": "approve", "reason": ""})

    assert response.status_code == 200
    assert "Last year&#x27;s fund is closed" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED


# --- support outside a cohort, on a stream the person counts for ---


def learner_payment_url(candidate) -> str:
    return reverse("courses:payment-create-for-learner", kwargs={"public_id": candidate.public_id})


def test_support_outside_a_cohort_is_charged_to_a_stream_the_person_counts_for(staff: User, walk_in) -> None:
    stream = FundingStreamFactory.create(name="Core")
    StreamAttributionFactory.create(stream=stream, candidate=walk_in)

    payment = payment_request_on_stream(
        candidate=walk_in, stream=stream, actor=staff, kind=Kind.UNIFORM, amount=Decimal("38.50")
    )

    assert (payment.cohort, payment.funding_stream, payment.status) == (None, stream, Status.REQUESTED)


def test_support_on_a_stream_the_person_does_not_count_for_is_refused(staff: User, walk_in) -> None:
    stream = FundingStreamFactory.create(name="Core")

    with pytest.raises(ValidationError) as exc:
        payment_request_on_stream(
            candidate=walk_in, stream=stream, actor=staff, kind=Kind.UNIFORM, amount=Decimal("38.50")
        )

    assert exc.value.message_dict == {
        "funding_stream": [
            "Wendy Walkin does not count for Core: attribute them to it first, or choose a stream they count for."
        ]
    }
    assert not SupportPayment.objects.exists()


def test_support_on_a_closed_stream_is_refused_even_for_people_it_counted(staff: User, walk_in) -> None:
    stream = closed_stream()
    StreamAttributionFactory.create(stream=stream, candidate=walk_in, attributed_on=stream.start_date)

    with pytest.raises(ValidationError, match="Last year's fund is closed"):
        payment_request_on_stream(
            candidate=walk_in, stream=stream, actor=staff, kind=Kind.EXAM_FEES, amount=Decimal("85")
        )
    assert not SupportPayment.objects.exists()


def test_the_learner_payment_page_offers_open_streams_they_count_for(
    client_for: Callable[[str], Client], walk_in
) -> None:
    counted = FundingStreamFactory.create(name="Counted stream")
    StreamAttributionFactory.create(stream=counted, candidate=walk_in)
    FundingStreamFactory.create(name="Other stream")
    client = client_for("staff")

    page = client.get(learner_payment_url(walk_in)).content.decode()
    assert "Counted stream" in page and "Other stream" not in page

    bad = client.post(
        learner_payment_url(walk_in),
        {"funding_stream": str(counted.public_id), "kind": "uniform", "amount": "-3", "description": "Tunic"},
    )
    assert bad.status_code == 200
    assert "The amount must be more than £0.00" in bad.content.decode()
    assert 'value="Tunic"' in bad.content.decode()
    assert not SupportPayment.objects.exists()

    good = client.post(
        learner_payment_url(walk_in),
        {"funding_stream": str(counted.public_id), "kind": "uniform", "amount": "38.50", "may_affect_benefits": "on"},
    )
    assert good.status_code == 302
    payment = SupportPayment.objects.get()
    assert (payment.funding_stream, payment.amount, payment.may_affect_benefits) == (counted, Decimal("38.50"), True)


def test_with_no_open_stream_the_page_says_to_attribute_first(client_for: Callable[[str], Client], walk_in) -> None:
    page = client_for("staff").get(learner_payment_url(walk_in)).content.decode()
    assert "does not count for any open funding stream" in page


def test_the_approvals_queue_shows_the_stream_and_the_benefits_flag(client_for: Callable[[str], Client]) -> None:
    requested(FundingStreamFactory.create(name="Priority Groups"), "25.00", may_affect_benefits=True)

    page = client_for("manager").get(reverse("courses:payment-approvals")).content.decode()

    assert "Priority Groups" in page
    assert "May affect benefits" in page
