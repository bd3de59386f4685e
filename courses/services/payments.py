"""Learner support payments for a cohort: requested by staff, approved or rejected by a manager, then paid.

Amounts are Decimal pounds and pence throughout. A manager does not approve a payment they asked
for themselves: money needs two people. Attendance bursaries follow the course's rule (amount and
threshold set by a manager), so recording them creates them approved, once per learner per cohort
(the database's courses_supportpayment_one_bursary_per_cohort constraint backs that up).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from academy.audit import audit_log
from academy.models import FundingStream, User
from candidates.models import Candidate, StreamAttribution
from courses.models import Cohort, Enrolment, SupportPayment
from courses.permissions import can_approve_payments
from courses.selectors.payments import cohort_bursary_rows, cohort_stream, over_budget_message

Status = SupportPayment.Status
Kind = SupportPayment.Kind

MAX_AMOUNT = Decimal("999999.99")  # what the amount column holds (8 digits, 2 after the point)
PENCE = Decimal("0.01")


class OverBudget(ValidationError):
    """Approving would take the stream over its budget: the manager must confirm to go ahead."""


def check_stream_open(stream: FundingStream | None) -> None:
    """Refuse a payment on a stream that is not open today (before its start or after its end)."""
    today = timezone.localdate()
    if stream is None or stream.is_open_on(today):
        return
    when = (
        f"ended on {stream.end_date:%-d %B %Y}"
        if today > stream.end_date
        else f"opens on {stream.start_date:%-d %B %Y}"
    )
    raise ValidationError(f"{stream.name} is closed: it {when}. Charge the payment to an open stream.")


def check_within_budget(stream: FundingStream | None, amount: Decimal) -> None:
    """Raise OverBudget when approving `amount` would take the stream's approved and paid total over its budget."""
    message = over_budget_message(stream, amount)
    if message:
        raise OverBudget(message)


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
    *,
    cohort: Cohort,
    enrolment: Enrolment,
    actor: User,
    kind: str,
    amount: Decimal,
    description: str = "",
    may_affect_benefits: bool = False,
) -> SupportPayment:
    """Ask for a support payment for a learner on the cohort (status requested), charged to its stream; audited.

    Attendance bursaries are not requested one by one: they are recorded from the bursary list.
    Refused when the cohort's stream is closed today.
    """
    if enrolment.cohort_id != cohort.pk:
        raise ValidationError({"enrolment": "Choose a learner on this cohort."})
    if kind not in Kind.values or kind == Kind.ATTENDANCE_BURSARY:
        raise ValidationError({"kind": "Select what the payment is for."})
    description = description.strip()
    if kind == Kind.OTHER and not description:
        raise ValidationError({"description": "Describe what the payment is for."})
    amount = _check_amount(amount)
    stream = cohort_stream(cohort)
    check_stream_open(stream)
    payment = SupportPayment.objects.create(
        candidate=enrolment.candidate,
        cohort=cohort,
        kind=kind,
        amount=amount,
        description=description,
        funding_stream=stream,
        may_affect_benefits=may_affect_benefits,
        requested_by=actor,
    )
    audit_log(
        actor=actor,
        action="payment.request",
        obj=payment,
        data={
            "kind": kind,
            "amount": str(payment.amount),
            "candidate": str(enrolment.candidate.public_id),
            "stream": stream.code if stream else "",
            "may_affect_benefits": may_affect_benefits,
        },
    )
    return payment


@transaction.atomic
def payment_request_on_stream(
    *,
    candidate: Candidate,
    stream: FundingStream,
    actor: User,
    kind: str,
    amount: Decimal,
    description: str = "",
    may_affect_benefits: bool = False,
) -> SupportPayment:
    """Ask for support outside a cohort (interview clothes, uniform, exam fees...), charged to `stream`; audited.

    The person must count for the stream (candidates.StreamAttribution), and the stream must be open today.
    """
    if kind not in Kind.values or kind == Kind.ATTENDANCE_BURSARY:
        raise ValidationError({"kind": "Select what the payment is for."})
    description = description.strip()
    if kind == Kind.OTHER and not description:
        raise ValidationError({"description": "Describe what the payment is for."})
    amount = _check_amount(amount)
    if not StreamAttribution.objects.filter(candidate=candidate, stream=stream).exists():
        raise ValidationError(
            {
                "funding_stream": f"{candidate.full_name} does not count for {stream.name}: "
                "attribute them to it first, or choose a stream they count for."
            }
        )
    try:
        check_stream_open(stream)
    except ValidationError as exc:
        raise ValidationError({"funding_stream": exc.messages}) from exc
    payment = SupportPayment.objects.create(
        candidate=candidate,
        kind=kind,
        amount=amount,
        description=description,
        funding_stream=stream,
        may_affect_benefits=may_affect_benefits,
        requested_by=actor,
    )
    audit_log(
        actor=actor,
        action="payment.request",
        obj=payment,
        data={
            "kind": kind,
            "amount": str(payment.amount),
            "candidate": str(candidate.public_id),
            "stream": stream.code,
            "may_affect_benefits": may_affect_benefits,
        },
    )
    return payment


def _locked(payment: SupportPayment) -> SupportPayment:
    return (
        SupportPayment.objects.select_for_update(of=("self",))
        .select_related("candidate", "cohort", "funding_stream")
        .get(pk=payment.pk)
    )


def _lock_stream(stream: FundingStream | None) -> None:
    """Approvals on one stream take turns, so two managers cannot each approve the last of the budget."""
    if stream is not None:
        FundingStream.objects.select_for_update().filter(pk=stream.pk).first()


@transaction.atomic
def payment_decide(
    *, payment: SupportPayment, actor: User, approve: bool, reason: str = "", confirm_over_budget: bool = False
) -> SupportPayment:
    """A manager approves or rejects a requested payment (a rejection needs a reason); audited.

    Idempotent: repeating the decision already made (a double-click, or two managers agreeing at
    once) returns the payment unchanged, without a second audit entry. The opposite decision on a
    decided payment is refused. Approving is refused on a closed stream, and raises OverBudget
    when it would take the stream over its budget unless `confirm_over_budget`. Locks: the stream,
    then the payment.
    """
    _lock_stream(payment.funding_stream)
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
    over_budget = False
    if approve:
        check_stream_open(payment.funding_stream)
        try:
            check_within_budget(payment.funding_stream, payment.amount)
        except OverBudget:
            if not confirm_over_budget:
                raise
            over_budget = True
    payment.status = Status.APPROVED if approve else Status.REJECTED
    payment.decided_by = actor
    payment.decided_at = timezone.now()
    payment.decision_reason = reason
    payment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    audit_log(
        actor=actor,
        action="payment.approve" if approve else "payment.reject",
        obj=payment,
        data={
            "amount": str(payment.amount),
            "reason": reason,
            **({"over_budget_confirmed": True} if over_budget else {}),
        },
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
def cohort_record_bursaries(
    *, cohort: Cohort, actor: User, confirm_incomplete: Collection[Enrolment] = (), reason: str = ""
) -> list[SupportPayment]:
    """Record the course's attendance bursary (approved) for everyone on the cohort who qualifies and has none yet.

    A learner whose register is incomplete (a session held and never marked for them) is held
    back until it is complete, unless a manager confirms them in `confirm_incomplete` with a
    reason; the reason and the sessions missing go in that payment's audit entry. Safe to repeat:
    the cohort row is locked while the list is read, so two people pressing the button together
    record each bursary once. Returns the payments created (often none). Audited.
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
    check_stream_open(cohort_stream(cohort))
    confirmed = {enrolment.pk for enrolment in confirm_incomplete}
    reason = reason.strip()
    if confirmed:
        if not can_approve_payments(actor):
            raise ValidationError("Only a manager can record a bursary before the learner's register is complete.")
        if not reason:
            raise ValidationError({"reason": "Enter why the bursary can be recorded before the register is complete."})
    now = timezone.now()
    created = []
    rows = cohort_bursary_rows(cohort).filter(Q(to_record=True) | Q(held_back=True, pk__in=confirmed))
    for enrolment in rows:
        payment = bursary_payment(enrolment, cohort=cohort, actor=actor, now=now)
        payment.save()
        data = {"amount": str(payment.amount), "attendance": payment.description}
        missing = enrolment.missing_count  # type: ignore[attr-defined]
        if missing:
            data.update({"register_incomplete": missing, "confirmed_by_manager": reason})
        audit_log(actor=actor, action="payment.bursary", obj=payment, data=data)
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
        funding_stream=cohort_stream(cohort),
        requested_by=actor,
        decided_by=actor,
        decided_at=now,
        decision_reason=rule,
    )
