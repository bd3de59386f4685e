"""What the funding stream pages read: the list with spend and people, one stream's page, its learners.

Each figure names its stream. People are counted once per stream (an attribution is unique per
person and stream), and the page says so. Money is summed in the database as Decimal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from academy.discovery import app_modules
from academy.models import FundingStream
from academy.periods import quarter_of
from candidates.models import DbsCheck, EligibilityRule, StreamAttribution
from courses.models import Cohort, SupportPayment
from courses.selectors.payments import StreamBudget, cohorts_of_stream_q, stream_budget

ZERO = Decimal("0.00")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
COMMITTED = (SupportPayment.Status.APPROVED, SupportPayment.Status.PAID)


@dataclass(frozen=True)
class StreamSection:
    """A part of the stream page another module offers (found through `<app>/funding.py` `stream_figures`).

    The outcomes area offers job starts, sustained jobs and cost per job start this way.
    """

    anchor: str
    title: str
    template: str
    context: dict[str, object] = field(default_factory=dict)


def stream_sections(stream: FundingStream) -> list[StreamSection]:
    """Sections offered by every `<app>/funding.py` with `stream_figures(stream)`, bottom layer first.

    A hook returns StreamSection(s), or figures of its own that its module's STREAM_FIGURES_TEMPLATE
    shows (the template gets them as `figures`); None or an empty list adds nothing.
    """
    sections: list[StreamSection] = []
    for module in app_modules("funding"):
        hook = getattr(module, "stream_figures", None)
        if hook is None:
            continue
        offered = cast(Callable[[FundingStream], object], hook)(stream)
        if isinstance(offered, StreamSection):
            sections.append(offered)
        elif isinstance(offered, list):
            sections.extend(section for section in offered if isinstance(section, StreamSection))
        elif offered is not None and hasattr(module, "STREAM_FIGURES_TEMPLATE"):
            label = module.__name__.split(".")[0]
            sections.append(
                StreamSection(
                    anchor=f"{label}-figures",
                    title="Outcomes",
                    template=module.STREAM_FIGURES_TEMPLATE,
                    context={"figures": offered},
                )
            )
    return sections


def stream_list(*, search: str = "", show: str = "") -> QuerySet[FundingStream]:
    """Streams, newest first, with `used` (approved + paid, £) and `learners` (distinct people attributed).

    One query whatever the number of streams: both figures are subqueries, so they do not multiply.
    `show` is "open" (open today), "closed" or "" for all.
    """
    used = (
        SupportPayment.objects.filter(funding_stream=OuterRef("pk"), status__in=COMMITTED)
        .values("funding_stream")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    learners = (
        StreamAttribution.objects.filter(stream=OuterRef("pk"))
        .values("stream")
        .annotate(n=Count("candidate", distinct=True))
        .values("n")
    )
    today = timezone.localdate()
    is_open = Q(start_date__lte=today, end_date__gte=today)
    qs = FundingStream.objects.annotate(
        used=Coalesce(Subquery(used, output_field=MONEY), Value(ZERO), output_field=MONEY),
        learners=Coalesce(Subquery(learners, output_field=IntegerField()), Value(0)),
        is_open_today=Case(When(is_open, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )
    search = search.strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(funder__icontains=search) | Q(code__icontains=search))
    if show == "open":
        qs = qs.filter(start_date__lte=today, end_date__gte=today)
    elif show == "closed":
        qs = qs.filter(Q(start_date__gt=today) | Q(end_date__lt=today))
    return qs.order_by("-start_date", "name", "id")


@dataclass(frozen=True)
class QuarterSpend:
    label: str
    start: dt.date
    end: dt.date
    paid: Decimal
    approved: Decimal

    @property
    def total(self) -> Decimal:
        return self.paid + self.approved


@dataclass(frozen=True)
class KindSpend:
    label: str
    approved: Decimal
    paid: Decimal
    people: int


@dataclass(frozen=True)
class StreamPage:
    """Everything the stream page shows, built in a fixed number of queries."""

    stream: FundingStream
    is_open: bool
    budget: StreamBudget
    learners: int  # distinct people attributed to the stream
    learners_with_support: int  # distinct people with an approved or paid payment on the stream
    by_kind: list[KindSpend]
    quarters: list[QuarterSpend]
    rules: list[EligibilityRule]
    cohorts: list[Cohort]
    dbs_checks: int
    sections: list[StreamSection]

    @property
    def used_percent(self) -> int | None:
        if not self.budget.budget:
            return None
        return int(self.budget.used * 100 / self.budget.budget)


def last_quarters(today: dt.date, count: int = 4) -> list[tuple[dt.date, dt.date]]:
    """The last `count` calendar quarters, the current one last, as (first day, last day)."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarter_of(quarters[-1][0] - dt.timedelta(days=1)))
    return list(reversed(quarters))


def _quarter_label(start: dt.date) -> str:
    return f"{start:%b} to {dt.date(start.year, start.month + 2, 1):%b %Y}"


def _money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def stream_page(stream: FundingStream, *, today: dt.date | None = None) -> StreamPage:
    """The stream page's figures: budget and spend, spend by kind and by quarter, people, rules, cohorts, DBS checks."""
    today = today or timezone.localdate()
    payments = SupportPayment.objects.filter(funding_stream=stream)
    committed = payments.filter(status__in=COMMITTED)
    quarters = last_quarters(today)
    sums: dict[str, object] = {}
    for number, (start, end) in enumerate(quarters):
        sums[f"paid_{number}"] = Sum(
            "amount", filter=Q(status=SupportPayment.Status.PAID, paid_at__date__range=(start, end))
        )
        sums[f"approved_{number}"] = Sum(
            "amount", filter=Q(status=SupportPayment.Status.APPROVED, decided_at__date__range=(start, end))
        )
    sums["people"] = Count("candidate", distinct=True)
    totals = committed.aggregate(**sums)
    by_kind_rows = (
        committed.values("kind")
        .annotate(
            approved=Sum("amount", filter=Q(status=SupportPayment.Status.APPROVED)),
            paid=Sum("amount", filter=Q(status=SupportPayment.Status.PAID)),
            people=Count("candidate", distinct=True),
        )
        .order_by("kind")
    )
    labels = dict(SupportPayment.Kind.choices)
    cohorts = (
        Cohort.objects.filter(cohorts_of_stream_q(stream.pk)).select_related("course").order_by("-start_date", "name")
    )
    return StreamPage(
        stream=stream,
        is_open=stream.is_open_on(today),
        budget=stream_budget(stream),
        learners=StreamAttribution.objects.filter(stream=stream).values("candidate").distinct().count(),
        learners_with_support=cast(int, totals["people"]),
        by_kind=[
            KindSpend(labels.get(row["kind"], row["kind"]), _money(row["approved"]), _money(row["paid"]), row["people"])
            for row in by_kind_rows
        ],
        quarters=[
            QuarterSpend(
                _quarter_label(start), start, end, _money(totals[f"paid_{n}"]), _money(totals[f"approved_{n}"])
            )
            for n, (start, end) in enumerate(quarters)
        ],
        rules=list(stream.eligibility_rules.order_by("field", "id")),
        cohorts=list(cohorts[:50]),
        dbs_checks=DbsCheck.objects.filter(funding_stream=stream).count(),
        sections=stream_sections(stream),
    )


def stream_learners(
    stream: FundingStream, *, attributions: QuerySet[StreamAttribution], search: str = ""
) -> QuerySet[StreamAttribution]:
    """The people of `attributions` (the user's scope: their academy's) attributed to the stream, one
    row each, newest first, with who attributed them joined."""
    qs = attributions.filter(stream=stream).select_related("candidate", "attributed_by")
    search = search.strip()
    if search:
        for word in search.split()[:3]:
            qs = qs.filter(
                Q(candidate__first_name__icontains=word)
                | Q(candidate__last_name__icontains=word)
                | Q(candidate__email__icontains=word)
            )
    return qs.order_by("-attributed_on", "candidate__last_name", "id")
