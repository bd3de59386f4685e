"""Money: learner support spend by stream and kind, costs per outcome, progress against stream targets.

- Spend: learner support payments paid in the period (by the day paid) or approved in it and not
  yet paid (by the day approved): what the stream pages count as used (placements.selectors.funding).
- Cost per learner, completion, job start and sustained job: the spend divided by those figures.
- Progress against targets: for each stream open during the period, over the stream's whole life
  (as the stream page counts it): people attributed, course completions (on cohorts that ended
  within the stream's dates), job starts and sustained jobs of people attributed to it, each
  against its target.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from academy.models import FundingStream
from candidates.models import StreamAttribution
from candidates.selectors.academies import events_in_academies
from courses.models import Enrolment, SupportPayment
from placements.models import FollowUp, Outcome
from placements.selectors.funding import COMMITTED
from placements.selectors.outcomes import sustained_follow_ups_q
from reporting.figures.base import in_period, in_scope, money
from reporting.figures.types import Figure, FigureSection, Unit
from reporting.scope import ReportScope

Status = SupportPayment.Status


def spend(scope: ReportScope) -> QuerySet[Any]:
    """Support payments committed in the period."""
    payments = SupportPayment.objects.filter(status__in=COMMITTED).filter(
        Q(in_period("paid_at", scope, is_datetime=True), status=Status.PAID)
        | Q(in_period("decided_at", scope, is_datetime=True), status=Status.APPROVED)
    )
    return in_scope(
        payments,
        scope,
        person="candidate",
        at="decided_at",
        is_datetime=True,
        direct={"stream": "funding_stream_id", "cohort": "cohort_id", "course": "cohort__course_id"},
        period=False,
    )


def _count(rows: QuerySet[Any], group: str, person: str = "candidate") -> Coalesce:
    counted = rows.order_by().values(group).annotate(n=Count(person, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def streams_with_progress(scope: ReportScope) -> QuerySet[FundingStream]:
    """Streams open during the period (the scope's stream only, with one), with people counted against
    each target; one query."""
    streams = FundingStream.objects.filter(start_date__lte=scope.end, end_date__gte=scope.start)
    if scope.stream_id is not None:
        streams = streams.filter(pk=scope.stream_id)
    if scope.academy_ids is not None:
        streams = streams.filter(Q(academy__isnull=True) | Q(academy_id__in=scope.academy_ids))
    ids = scope.academy_ids
    attributed = events_in_academies(
        StreamAttribution.objects.filter(stream=OuterRef("pk"), candidate__merged_into__isnull=True),
        ids,
        candidate="candidate",
        at="attributed_on",
    )
    attributed_to = "candidate__stream_attributions__stream"
    completed = events_in_academies(
        Enrolment.objects.filter(
            candidate__merged_into__isnull=True,
            status=Enrolment.Status.COMPLETED,
            cohort__end_date__gte=OuterRef("start_date"),
            cohort__end_date__lte=OuterRef("end_date"),
            **{attributed_to: OuterRef("pk")},
        ),
        ids,
        candidate="candidate",
        at="cohort__end_date",
    )
    starts = events_in_academies(
        Outcome.objects.paid().filter(
            candidate__merged_into__isnull=True,
            start_date__gte=OuterRef("start_date"),
            start_date__lte=OuterRef("end_date"),
            **{attributed_to: OuterRef("pk")},
        ),
        ids,
        candidate="candidate",
        at="start_date",
    )
    sustained = events_in_academies(
        FollowUp.objects.filter(
            sustained_follow_ups_q(),
            stream=OuterRef("pk"),
            outcome__candidate__merged_into__isnull=True,
            outcome__start_date__gte=OuterRef("start_date"),
            outcome__start_date__lte=OuterRef("end_date"),
        ),
        ids,
        candidate="outcome__candidate",
        at="outcome__start_date",
    )
    return streams.annotate(
        progress_learners=_count(attributed, "stream"),
        progress_completions=_count(completed, attributed_to),
        progress_job_starts=_count(starts, attributed_to),
        progress_sustained=_count(sustained, "stream", "outcome__candidate"),
    ).order_by("name", "pk")


TARGETS = [
    ("learners", "target_learners_engaged", "learners engaged"),
    ("completions", "target_course_completions", "course completions"),
    ("job_starts", "target_job_starts", "job starts"),
    ("sustained", "target_sustained_jobs", "sustained jobs"),
]


def cost_per(total: Decimal, people: int) -> Decimal | None:
    return (total / people).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if people else None


def money_section(scope: ReportScope, *, people: dict[str, tuple[str, int]]) -> FigureSection:
    """Spend, costs per outcome (`people`: key -> (what, how many) from the other sections) and progress
    against targets; four queries."""
    payments = spend(scope)
    total = money(payments.aggregate(total=Sum("amount"))["total"])
    figures: list[Figure] = [Figure("money.spend", "Learner support spend", total, Unit.MONEY)]
    by_stream = (
        payments.values("funding_stream__code", "funding_stream__name")
        .annotate(total=Sum("amount"))
        .order_by("funding_stream__name")
    )
    for row in by_stream:
        code = row["funding_stream__code"] or "none"
        name = row["funding_stream__name"] or "no funding stream"
        figures.append(Figure(f"money.spend.stream.{code}", f"Spend: {name}", money(row["total"]), Unit.MONEY))
    labels = dict(SupportPayment.Kind.choices)
    for row in payments.values("kind").annotate(total=Sum("amount")).order_by("kind"):
        figures.append(
            Figure(
                f"money.spend.kind.{row['kind']}",
                f"Spend: {labels.get(row['kind'], row['kind'])}",
                money(row["total"]),
                Unit.MONEY,
            )
        )
    for key, (what, n) in people.items():
        figures.append(
            Figure(
                f"money.cost_per_{key}", f"Cost per {what}", cost_per(total, n), Unit.MONEY, n, f"{what}s in the period"
            )
        )
    for stream in streams_with_progress(scope):
        for what, target_field, label in TARGETS:
            target = getattr(stream, target_field)
            if target is None:
                continue
            figures.append(
                Figure(
                    f"money.target.{stream.code}.{what}",
                    f"{stream.name}: {label} against target",
                    getattr(stream, f"progress_{what}"),
                    Unit.PEOPLE,
                    denominator=target,
                    denominator_label=f"target for {label} over the stream's life",
                )
            )
    return FigureSection(
        key="money",
        title="Funding and learner support",
        figures=tuple(figures),
        note="Spend is learner support paid or approved in the period. Targets are counted over each stream's life.",
    )
