"""Learner support payments for a cohort: requested by staff, approved or rejected by a manager, then paid.

Amounts are Decimal pounds and pence throughout. A manager does not approve a payment they asked
for themselves: money needs two people. Attendance bursaries follow the course's rule (amount and
threshold set by a manager), so recording them creates them approved, once per learner per cohort
(the database's academy_supportpayment_one_bursary_per_cohort constraint backs that up).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import SupportPayment, User
from courses.models import Cohort, Enrolment
from courses.permissions import can_approve_payments
from courses.selectors.payments import bursary_qualifiers

Status = SupportPayment.Status
Kind = SupportPayment.Kind

MAX_AMOUNT = Decimal("999999.99")  # what the amount column holds (8 digits, 2 after the point)
PENCE = Decimal("0.01")


def _check_amount(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationError({"amount": "Enter the amount in pounds and pence, like 12.50."})
    if amount != amount.quantize(PENCE):
        raise ValidationError({"amount": "The amount must be in pounds and pence, with no more than 2 decimal places."})
    if amount <= 0:
        raise ValidationError({"amount": "The amount must be more than £0.00."})
    if amount > MAX_AMOUNT:
        raise ValidationError({"amount": f"The amount must be £{MAX_AMOUNT:,} or less."})
    return amount.quantize(PENCE)


@transaction.atomic
def payment_request(
    *, cohort: Cohort, enrolment: Enrolment, actor: User, kind: str, amount: Decimal, description: str = ""
) -> SupportPayment:
    """Ask for a support payment for a learner on the cohort (status requested); audited.

    Attendance bursaries are not requested one by one: they are recorded from the bursary list.
    """
    if enrolment.cohort_id != cohort.pk:
        raise ValidationError({"enrolment": "Choose a learner on this cohort."})
    if kind not in Kind.values or kind == Kind.ATTENDANCE_BURSARY:
        raise ValidationError({"kind": "Select what the payment is for."})
    description = description.strip()
    if kind == Kind.OTHER and not description:
        raise ValidationError({"description": "Describe what the payment is for."})
    payment = SupportPayment.objects.create(
        candidate=enrolment.candidate,
        cohort=cohort,
        kind=kind,
        amount=_check_amount(amount),
        description=description,
        funding_stream=cohort.course.funding_stream,
        requested_by=actor,
    )
    audit_log(
        actor=actor,
        action="payment.request",
        obj=payment,
        data={"kind": kind, "amount": str(payment.amount), "candidate": str(enrolment.candidate.public_id)},
    )
    return payment


def _locked(payment: SupportPayment) -> SupportPayment:
    return (
        SupportPayment.objects.select_for_update(of=("self",)).select_related("candidate", "cohort").get(pk=payment.pk)
    )


@transaction.atomic
def payment_decide(*, payment: SupportPayment, actor: User, approve: bool, reason: str = "") -> SupportPayment:
    """A manager approves or rejects a requested payment (a rejection needs a reason); audited.

    Idempotent: repeating the decision already made (a double-click, or two managers agreeing at
    once) returns the payment unchanged, without a second audit entry. The opposite decision on a
    decided payment is refused.
    """
    payment = _locked(payment)
    if not can_approve_payments(actor, payment):
        raise ValidationError("Only a manager can approve or reject a payment.")
    if payment.status == (Status.APPROVED if approve else Status.REJECTED):
        return payment
    if payment.status != Status.REQUESTED:
        raise ValidationError(f"This payment has already been {payment.get_status_display().lower()}.")
    if payment.requested_by_id == actor.pk:
        raise ValidationError("You asked for this payment, so another manager must approve or reject it.")
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": "Enter why the payment is rejected."})
    payment.status = Status.APPROVED if approve else Status.REJECTED
    payment.decided_by = actor
    payment.decided_at = timezone.now()
    payment.decision_reason = reason
    payment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    audit_log(
        actor=actor,
        action="payment.approve" if approve else "payment.reject",
        obj=payment,
        data={"amount": str(payment.amount), "reason": reason},
    )
    return payment


@transaction.atomic
def payment_mark_paid(*, payment: SupportPayment, actor: User) -> SupportPayment:
    """Record that an approved payment has been paid to the learner; audited."""
    payment = _locked(payment)
    if payment.status != Status.APPROVED:
        if payment.status == Status.PAID:
            raise ValidationError(
                f"This payment was already recorded as paid on {timezone.localtime(payment.paid_at):%-d %B %Y}."
            )
        raise ValidationError(
            f"Only approved payments can be paid: this one is {payment.get_status_display().lower()}."
        )
    payment.status = Status.PAID
    payment.paid_at = timezone.now()
    payment.save(update_fields=["status", "paid_at", "updated_at"])
    audit_log(actor=actor, action="payment.paid", obj=payment, data={"amount": str(payment.amount)})
    return payment


@transaction.atomic
def cohort_record_bursaries(*, cohort: Cohort, actor: User) -> list[SupportPayment]:
    """Record the course's attendance bursary (approved) for everyone on the cohort who qualifies and has none yet.

    Safe to repeat: the cohort row is locked while the list is read, so two people pressing the
    button together record each bursary once. Returns the payments created (often none). Audited.
    """
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=cohort.pk)
    course = cohort.course
    if course.attendance_bursary_amount is None:
        raise ValidationError(f"{course.title} has no attendance bursary.")
    if timezone.localdate() < cohort.end_date:
        raise ValidationError(
            f"Bursaries can be recorded from {cohort.end_date:%-d %B %Y}, the cohort's last day, "
            "when everyone's attendance is known."
        )
    now = timezone.now()
    created = []
    for enrolment in bursary_qualifiers(cohort):
        payment = bursary_payment(enrolment, cohort=cohort, actor=actor, now=now)
        payment.save()
        audit_log(
            actor=actor,
            action="payment.bursary",
            obj=payment,
            data={"amount": str(payment.amount), "attendance": payment.description},
        )
        created.append(payment)
    return created


def bursary_payment(enrolment: Enrolment, *, cohort: Cohort, actor: User | None, now: dt.datetime) -> SupportPayment:
    """The bursary payment (unsaved, approved by the course's rule) for a row of bursary_qualifiers(cohort)."""
    course = cohort.course
    if course.attendance_bursary_amount is None:
        raise ValidationError(f"{course.title} has no attendance bursary.")
    attendance = enrolment.attendance_percent  # type: ignore[attr-defined]
    rule = f"Approved by the course's bursary rule: {course.attendance_bursary_threshold}% attendance or more."
    return SupportPayment(
        candidate=enrolment.candidate,
        cohort=cohort,
        kind=Kind.ATTENDANCE_BURSARY,
        amount=course.attendance_bursary_amount,
        description=f"Attendance bursary: {attendance:.1f}% attendance",
        status=Status.APPROVED,
        funding_stream=course.funding_stream,
        requested_by=actor,
        decided_by=actor,
        decided_at=now,
        decision_reason=rule,
    )
