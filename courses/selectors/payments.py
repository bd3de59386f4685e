"""What the learner support payment screens read: payments per cohort and their totals, in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from academy.models import FundingStream
from candidates.models import Candidate
from courses.models import Cohort, Enrolment, SupportPayment
from courses.selectors.delivery import enrolments_with_attendance

ZERO = Decimal("0.00")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


@dataclass(frozen=True)
class PaymentTotals:
    """Sums of a cohort's support payments by status, as Decimal pounds (rejected ones count nowhere)."""

    requested: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def committed(self) -> Decimal:
        """Money the academy has agreed to spend: approved (still to pay) plus paid."""
        return self.approved + self.paid


def _sum_of(status: str) -> Coalesce:
    return Coalesce(Sum("amount", filter=Q(status=status)), Value(ZERO), output_field=MONEY)


def payment_totals(payments: QuerySet[SupportPayment]) -> PaymentTotals:
    """Totals by status of any set of payments, in one query."""
    sums = payments.aggregate(
        requested=_sum_of(SupportPayment.Status.REQUESTED),
        approved=_sum_of(SupportPayment.Status.APPROVED),
        paid=_sum_of(SupportPayment.Status.PAID),
    )
    # SQLite hands back sums of decimals without their scale; quantize so £60 shows as 60.00.
    return PaymentTotals(**{key: Decimal(value).quantize(Decimal("0.01")) for key, value in sums.items()})


@dataclass(frozen=True)
class StreamBudget:
    """A stream's budget and what is used of it: approved (still to pay) plus paid, in Decimal pounds."""

    budget: Decimal
    requested: Decimal
    approved: Decimal
    paid: Decimal

    @property
    def used(self) -> Decimal:
        return self.approved + self.paid

    @property
    def left(self) -> Decimal:
        """What is left of the budget (negative once overspent)."""
        return self.budget - self.used

    @property
    def over(self) -> bool:
        return self.used > self.budget

    @property
    def overspent(self) -> Decimal:
        """How far the used money is over the budget (0.00 when within it)."""
        return max(self.used - self.budget, ZERO)


def stream_budget(stream: FundingStream) -> StreamBudget:
    """The stream's learner support spend against its budget, in one query."""
    totals = payment_totals(SupportPayment.objects.filter(funding_stream=stream))
    return StreamBudget(
        budget=Decimal(stream.budget).quantize(Decimal("0.01")),
        requested=totals.requested,
        approved=totals.approved,
        paid=totals.paid,
    )


def over_budget_message(stream: FundingStream | None, amount: Decimal) -> str:
    """Why approving `amount` on the stream needs confirming (it would go over budget), or "" when it fits."""
    if stream is None:
        return ""
    budget = stream_budget(stream)
    if budget.used + amount <= budget.budget:
        return ""
    return (
        f"Approving £{amount:,} would take {stream.name} over its budget: £{budget.used:,} of "
        f"£{budget.budget:,} is already approved or paid, so £{budget.left:,} is left. "
        "Confirm that you approve it anyway."
    )


def streams_for_support(candidate: Candidate, *, today: dt.date | None = None) -> QuerySet[FundingStream]:
    """Streams open today that the person counts for: where support outside a cohort can be charged."""
    today = today or timezone.localdate()
    return FundingStream.objects.filter(
        attributions__candidate=candidate, start_date__lte=today, end_date__gte=today
    ).order_by("name")


def cohort_stream(cohort: Cohort) -> FundingStream | None:
    """The stream a cohort's payments are charged to: the cohort's own, else its course's."""
    return cohort.funding_stream or cohort.course.funding_stream


def cohorts_of_stream_q(stream_id: int, cohort: str = "") -> Q:
    """cohort_stream in SQL: cohorts (at path `cohort` from the queried model) charged to the stream."""
    prefix = f"{cohort}__" if cohort else ""
    return Q(**{f"{prefix}funding_stream_id": stream_id}) | Q(
        **{f"{prefix}funding_stream__isnull": True, f"{prefix}course__funding_stream_id": stream_id}
    )


def cohort_payment_totals(cohort: Cohort) -> PaymentTotals:
    """Totals by status of a cohort's support payments, in one query."""
    return payment_totals(SupportPayment.objects.filter(cohort=cohort))


def cohort_payment_list(*, cohort: Cohort, status: str = "") -> QuerySet[SupportPayment]:
    """A cohort's payments for its payments page, newest first, with the learner and the people joined."""
    qs = SupportPayment.objects.filter(cohort=cohort).select_related(
        "candidate", "requested_by", "decided_by", "funding_stream"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def payment_for_action(payments: QuerySet[SupportPayment]) -> QuerySet[SupportPayment]:
    """The scoped payments an action page looks up, with what its confirmation shows joined."""
    return payments.select_related("candidate", "cohort__course", "requested_by", "decided_by", "funding_stream")


# --- attendance bursaries ---

# Who can earn the attendance bursary: everyone still on the cohort or who finished it, but not
# those who withdrew or paused (their percentage covers only the sessions before they left).
BURSARY_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED, Enrolment.Status.DID_NOT_COMPLETE)


def _bursary_payments(cohort: Cohort) -> QuerySet[SupportPayment]:
    """The cohort's bursary payments that count (rejected ones do not), one per learner at most."""
    return SupportPayment.objects.filter(cohort=cohort, kind=SupportPayment.Kind.ATTENDANCE_BURSARY).exclude(
        status=SupportPayment.Status.REJECTED
    )


def cohort_bursary_rows(cohort: Cohort) -> QuerySet[Enrolment]:
    """Every enrolment of the cohort with its attendance (courses.selectors.attendance) and bursary position.

    One query whatever the number of learners. Annotations: `qualifies` (can earn the bursary and
    attendance at or above the course's threshold, missing marks counted as not attended),
    `bursary_status` (status of the bursary already recorded for them, or None), `to_record`
    (qualifies, has none yet and their register is complete), `held_back` (would be to_record but
    sessions held were never marked for them: recorded only when a manager confirms) and
    `could_qualify` (below the threshold now, at or above it if every missing mark were attended).
    """
    threshold = cohort.course.attendance_bursary_threshold
    can_earn = Q(status__in=BURSARY_STATUSES)
    qualifies = can_earn & Q(attendance_percent__gte=threshold)
    complete = Q(missing_count=0)
    none_yet = Q(bursary_status__isnull=True)
    # attended + missing >= threshold% of the sessions counted, in whole numbers (no rounding).
    could = can_earn & ~complete & Q(attendance_percent__lt=threshold, best_case__gte=F("counted_sessions") * threshold)
    payment = _bursary_payments(cohort).filter(candidate=OuterRef("candidate"))
    return (
        enrolments_with_attendance(Enrolment.objects.filter(cohort=cohort))
        .select_related("candidate")
        .annotate(bursary_status=Subquery(payment.values("status")[:1]))
        .alias(best_case=(F("attended_count") + F("missing_count")) * 100)
        .annotate(
            qualifies=_flag(qualifies),
            to_record=_flag(qualifies & none_yet & complete),
            held_back=_flag(qualifies & none_yet & ~complete),
            could_qualify=_flag(could),
        )
        .order_by("candidate__last_name", "candidate__first_name", "id")
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def bursary_qualifiers(cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's learners who qualify for the attendance bursary, have a complete register and none recorded yet."""
    return cohort_bursary_rows(cohort).filter(Q(to_record=True))


def bursary_held_back(cohort: Cohort) -> QuerySet[Enrolment]:
    """Learners who qualify and have no bursary yet, but whose register is incomplete (a manager may confirm them)."""
    return cohort_bursary_rows(cohort).filter(Q(held_back=True))


def payments_awaiting_approval(payments: QuerySet[SupportPayment]) -> QuerySet[SupportPayment]:
    """Requested payments across all cohorts for a manager to decide, oldest first, with what the list shows joined."""
    return (
        payments.filter(status=SupportPayment.Status.REQUESTED)
        .select_related("candidate", "cohort__course", "requested_by", "funding_stream")
        .order_by("created_at", "id")
    )
