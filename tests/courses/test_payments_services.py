"""Learner support payments: request, approve or reject, pay, attendance bursaries, totals as Decimal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.models import AuditEntry, User
from courses.models import Attendance, Enrolment, SupportPayment
from courses.selectors.outcomes import cohort_payments_total
from courses.selectors.payments import bursary_qualifiers, cohort_bursary_rows, cohort_payment_totals
from courses.services.payments import (
    cohort_record_bursaries,
    payment_decide,
    payment_mark_paid,
    payment_request,
)
from tests.courses.factories import CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import SupportPaymentFactory, finished_cohort
from tests.factories import UserFactory
from tests.factories_funding import FundingStreamFactory

pytestmark = pytest.mark.django_db

Status = SupportPayment.Status
Kind = SupportPayment.Kind


@pytest.fixture
def other_manager(db: None) -> User:
    return UserFactory.create(email="manager2@example.org", role="manager")


def test_staff_ask_for_a_payment_for_a_learner_on_the_cohort(staff: User) -> None:
    stream = FundingStreamFactory.create(name="UKSPF 2026-27")
    cohort = finished_cohort(learners=1, course=CourseFactory.create(funding_stream=stream)).cohort
    enrolment = cohort.enrolments.get()

    payment = payment_request(
        cohort=cohort, enrolment=enrolment, actor=staff, kind=Kind.TRANSPORT, amount=Decimal("12.5")
    )

    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED
    assert payment.amount == Decimal("12.50")
    assert payment.candidate == enrolment.candidate
    assert payment.funding_stream == stream
    assert payment.requested_by == staff
    assert AuditEntry.objects.filter(action="payment.request", object_id=str(payment.pk)).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "more than £0.00"),
        (Decimal("-5"), "more than £0.00"),
        (Decimal("1.005"), "no more than 2 decimal places"),
        (Decimal("1000000"), "£999,999.99 or less"),
        (Decimal("NaN"), "pounds and pence"),
    ],
)
def test_payment_amounts_are_checked(staff: User, amount: Decimal, message: str) -> None:
    cohort = finished_cohort(learners=1).cohort

    with pytest.raises(ValidationError) as error:
        payment_request(cohort=cohort, enrolment=cohort.enrolments.get(), actor=staff, kind=Kind.LUNCH, amount=amount)

    assert message in error.value.message_dict["amount"][0]


def test_a_payment_is_for_a_learner_on_this_cohort_and_other_support_needs_details(staff: User) -> None:
    cohort = finished_cohort(learners=1).cohort
    elsewhere = EnrolmentFactory.create()

    with pytest.raises(ValidationError) as wrong_learner:
        payment_request(cohort=cohort, enrolment=elsewhere, actor=staff, kind=Kind.LUNCH, amount=Decimal("5"))
    with pytest.raises(ValidationError) as no_details:
        payment_request(
            cohort=cohort, enrolment=cohort.enrolments.get(), actor=staff, kind=Kind.OTHER, amount=Decimal("5")
        )
    with pytest.raises(ValidationError) as bursary:
        payment_request(
            cohort=cohort,
            enrolment=cohort.enrolments.get(),
            actor=staff,
            kind=Kind.ATTENDANCE_BURSARY,
            amount=Decimal("60"),
        )

    assert "enrolment" in wrong_learner.value.message_dict
    assert "description" in no_details.value.message_dict
    assert "kind" in bursary.value.message_dict
    assert not SupportPayment.objects.exists()


def test_a_manager_approves_then_staff_record_it_paid(staff: User, manager: User) -> None:
    payment = SupportPaymentFactory.create(requested_by=staff)

    payment_decide(payment=payment, actor=manager, approve=True)
    payment_mark_paid(payment=payment, actor=staff)

    payment.refresh_from_db()
    assert payment.status == Status.PAID
    assert payment.decided_by == manager and payment.decided_at is not None and payment.paid_at is not None
    actions = set(AuditEntry.objects.filter(object_id=str(payment.pk)).values_list("action", flat=True))
    assert actions == {"payment.approve", "payment.paid"}


def test_a_rejection_needs_a_reason_which_is_kept(staff: User, manager: User) -> None:
    payment = SupportPaymentFactory.create(requested_by=staff)

    with pytest.raises(ValidationError) as error:
        payment_decide(payment=payment, actor=manager, approve=False, reason=" ")
    payment_decide(payment=payment, actor=manager, approve=False, reason="Covered by the Jobcentre")

    assert "reason" in error.value.message_dict
    payment.refresh_from_db()
    assert (payment.status, payment.decision_reason) == (Status.REJECTED, "Covered by the Jobcentre")


def test_managers_do_not_approve_their_own_requests_and_staff_cannot_approve(
    staff: User, manager: User, other_manager: User
) -> None:
    payment = SupportPaymentFactory.create(requested_by=manager)

    with pytest.raises(ValidationError, match="another manager"):
        payment_decide(payment=payment, actor=manager, approve=True)
    with pytest.raises(ValidationError, match="Only a manager"):
        payment_decide(payment=payment, actor=staff, approve=True)
    payment_decide(payment=payment, actor=other_manager, approve=True)

    payment.refresh_from_db()
    assert payment.status == Status.APPROVED


def test_only_requested_payments_are_decided_and_only_approved_ones_paid(staff: User, manager: User) -> None:
    requested = SupportPaymentFactory.create(requested_by=staff)
    paid = SupportPaymentFactory.create(status=Status.PAID, paid_at=timezone.now())

    with pytest.raises(ValidationError, match="Only approved payments"):
        payment_mark_paid(payment=requested, actor=staff)
    with pytest.raises(ValidationError, match="already recorded as paid"):
        payment_mark_paid(payment=paid, actor=staff)
    with pytest.raises(ValidationError, match="already been paid"):
        payment_decide(payment=paid, actor=manager, approve=False, reason="No")


def test_deciding_again_the_same_way_changes_nothing_and_is_not_an_error(
    staff: User, manager: User, other_manager: User
) -> None:
    """A double-click (or a second manager agreeing) repeats the decision: one audit entry, no error."""
    approved = SupportPaymentFactory.create(requested_by=staff)
    rejected = SupportPaymentFactory.create(requested_by=staff)
    payment_decide(payment=approved, actor=manager, approve=True)
    payment_decide(payment=rejected, actor=manager, approve=False, reason="Covered by the Jobcentre")

    again = payment_decide(payment=approved, actor=other_manager, approve=True)
    payment_decide(payment=rejected, actor=manager, approve=False, reason="Another reason")

    assert again.status == Status.APPROVED and again.decided_by == manager
    rejected.refresh_from_db()
    assert rejected.decision_reason == "Covered by the Jobcentre"
    actions = list(AuditEntry.objects.filter(action__startswith="payment.").values_list("action", flat=True))
    assert sorted(actions) == ["payment.approve", "payment.reject"]
    with pytest.raises(ValidationError, match="already been approved"):
        payment_decide(payment=approved, actor=manager, approve=False, reason="Changed my mind")


def test_totals_are_decimal_by_status_and_the_cohort_total_is_approved_plus_paid(
    django_assert_num_queries,
) -> None:
    cohort = finished_cohort(learners=0).cohort
    for amount, status in [
        ("12.50", Status.REQUESTED),
        ("20.10", Status.APPROVED),
        ("0.20", Status.APPROVED),
        ("60.00", Status.PAID),
        ("99.99", Status.REJECTED),
    ]:
        SupportPaymentFactory.create(cohort=cohort, amount=Decimal(amount), status=status)
    SupportPaymentFactory.create(amount=Decimal("500"), status=Status.PAID)  # another cohort

    with django_assert_num_queries(1):
        totals = cohort_payment_totals(cohort)

    assert totals.requested == Decimal("12.50")
    assert totals.approved == Decimal("20.30")  # not 20.300000000000001
    assert totals.paid == Decimal("60.00")
    assert cohort_payments_total(cohort) == Decimal("80.30")
    assert all(isinstance(value, Decimal) for value in (totals.requested, totals.approved, totals.paid))
    assert str(cohort_payments_total(finished_cohort(learners=0).cohort)) == "0.00"


# --- attendance bursaries ---


def bursary_cohort(*, amount: str | None = "60.00", threshold: int = 90, ended_days_ago: int = 1):
    """A finished cohort of 10 sessions and 5 learners attending 10, 9, 8, 10 (withdrawn) and 10 (paused) sessions."""
    course = CourseFactory.create(
        attendance_bursary_amount=Decimal(amount) if amount else None, attendance_bursary_threshold=threshold
    )
    made = finished_cohort(learners=5, course=course, ended_days_ago=ended_days_ago)
    sessions = [
        SessionFactory.create(cohort=made.cohort, date=made.cohort.start_date + dt.timedelta(days=i)) for i in range(10)
    ]
    for enrolment, attended in zip(made.enrolments, (10, 9, 8, 10, 10), strict=True):
        for i, session in enumerate(sessions):
            late_or_present = Attendance.Mark.LATE if i == 0 else Attendance.Mark.PRESENT
            mark(session, enrolment, late_or_present if i < attended else Attendance.Mark.ABSENT_REASON)
    Enrolment.objects.filter(pk=made.enrolments[3].pk).update(status=Enrolment.Status.WITHDRAWN)
    Enrolment.objects.filter(pk=made.enrolments[4].pk).update(status=Enrolment.Status.PAUSED)
    return made


def test_bursary_rows_show_who_qualifies_at_or_above_the_threshold(django_assert_num_queries) -> None:
    made = bursary_cohort()

    with django_assert_num_queries(1):
        rows = [(row.attendance_percent, row.qualifies) for row in cohort_bursary_rows(made.cohort)]  # type: ignore[attr-defined]

    assert rows == [
        (Decimal("100.0"), True),
        (Decimal("90.0"), True),
        (Decimal("80.0"), False),
        (Decimal("100.0"), False),  # withdrawn
        (Decimal("100.0"), False),  # paused
    ]
    assert list(bursary_qualifiers(made.cohort)) == made.enrolments[:2]


def test_recording_bursaries_creates_approved_payments_once(staff: User) -> None:
    made = bursary_cohort()

    created = cohort_record_bursaries(cohort=made.cohort, actor=staff)
    again = cohort_record_bursaries(cohort=made.cohort, actor=staff)

    assert again == []
    assert {p.candidate for p in created} == {made.enrolments[0].candidate, made.enrolments[1].candidate}
    payment = created[1]
    assert (payment.kind, payment.status, payment.amount) == (Kind.ATTENDANCE_BURSARY, Status.APPROVED, Decimal("60"))
    assert payment.description == "Attendance bursary: 90.0% attendance"
    assert cohort_payments_total(made.cohort) == Decimal("120.00")
    statuses = [row.bursary_status for row in cohort_bursary_rows(made.cohort)]  # type: ignore[attr-defined]
    assert statuses[:2] == [Status.APPROVED] * 2
    assert AuditEntry.objects.filter(action="payment.bursary").count() == 2


def test_a_rejected_bursary_can_be_recorded_again(staff: User, manager: User) -> None:
    made = bursary_cohort()
    first = cohort_record_bursaries(cohort=made.cohort, actor=staff)[0]
    SupportPayment.objects.filter(pk=first.pk).update(status=Status.REJECTED)

    assert [p.candidate for p in cohort_record_bursaries(cohort=made.cohort, actor=staff)] == [first.candidate]


def test_the_database_refuses_a_second_bursary_for_the_same_learner_and_cohort(staff: User) -> None:
    made = bursary_cohort()
    payment = cohort_record_bursaries(cohort=made.cohort, actor=staff)[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPaymentFactory.create(
            cohort=made.cohort, candidate=payment.candidate, kind=Kind.ATTENDANCE_BURSARY, amount=Decimal("60")
        )


def test_bursaries_wait_for_the_last_day_and_need_a_bursary_on_the_course(staff: User) -> None:
    running = bursary_cohort(ended_days_ago=-3)
    none = bursary_cohort(amount=None)

    with pytest.raises(ValidationError, match="Bursaries can be recorded from"):
        cohort_record_bursaries(cohort=running.cohort, actor=staff)
    with pytest.raises(ValidationError, match="has no attendance bursary"):
        cohort_record_bursaries(cohort=none.cohort, actor=staff)
    assert not SupportPayment.objects.exists()
