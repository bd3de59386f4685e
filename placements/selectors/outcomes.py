"""What the outcome, follow-up and retention pages read, and each funding stream's outcome figures.

Every figure counts distinct people (a person with two jobs, or in two cohorts, counts once per row)
and comes with its denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from academy.models import FundingStream
from candidates.models import Candidate
from courses.models import SupportPayment
from placements.models import FollowUp, FollowUpReminder, Outcome

Result = FollowUp.Result
RETENTION_WEEKS = (4, 13, 26)
PAGE_SIZE = 25


def outcome_list(
    outcomes: QuerySet[Outcome], *, search: str = "", kind: str = "", stream: FundingStream | None = None
) -> QuerySet[Outcome]:
    """Staff's outcomes list: newest start first, filtered by the learner's name or email, kind and stream."""
    rows = outcomes.select_related("candidate", "provider")
    for word in search.split():
        rows = rows.filter(
            Q(candidate__first_name__icontains=word)
            | Q(candidate__last_name__icontains=word)
            | Q(candidate__email__icontains=word)
            | Q(employer_name__icontains=word)
            | Q(provider__name__icontains=word)
        )
    if kind:
        rows = rows.filter(kind=kind)
    if stream is not None:
        rows = rows.filter(candidate__stream_attributions__stream=stream)
    return rows.order_by("-start_date", "-pk")


def outcome_detail(outcomes: QuerySet[Outcome]) -> QuerySet[Outcome]:
    """One outcome with its learner, employer, the staff who recorded it and its follow-ups by date."""
    return outcomes.select_related("candidate", "provider", "recorded_by", "job_start")


def outcome_follow_ups(outcome: Outcome) -> list[FollowUp]:
    return list(outcome.follow_ups.select_related("stream", "answered_by").order_by("due_on", "stream__name"))


def outcome_reminders(outcome: Outcome) -> list[FollowUpReminder]:
    """Every reminder about this outcome's follow-ups, newest first (staff see what was sent and failed)."""
    return list(FollowUpReminder.objects.filter(outcome=outcome).order_by("-created_at", "-pk"))


def learner_outcomes(candidate: Candidate | None) -> list[Outcome]:
    """A learner's own outcomes, newest first (none without a record)."""
    if candidate is None:
        return []
    return list(Outcome.objects.filter(candidate=candidate).select_related("provider").order_by("-start_date", "-pk"))


def week_bounds(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def follow_ups_due(
    follow_ups: QuerySet[FollowUp], *, today: date, stream: FundingStream | None = None
) -> QuerySet[FollowUp]:
    """Unanswered follow-ups due by the end of this week (overdue first), optionally of one stream.

    Across streams, one row per person's job and date (several streams asking the same day are one
    question): the first of them, with `other_streams` counting the rest.
    """
    _, sunday = week_bounds(today)
    rows = follow_ups.filter(result=Result.PENDING, due_on__lte=sunday).select_related(
        "outcome__candidate", "outcome__provider", "stream"
    )
    if stream is not None:
        rows = rows.filter(stream=stream)
    else:
        same_day = FollowUp.objects.filter(
            outcome=OuterRef("outcome"), due_on=OuterRef("due_on"), result=Result.PENDING
        )
        others = same_day.exclude(pk=OuterRef("pk")).values("outcome").annotate(n=Count("pk")).values("n")
        rows = rows.exclude(Exists(same_day.filter(pk__lt=OuterRef("pk")))).annotate(
            other_streams=Coalesce(Subquery(others), 0)
        )
    return rows.order_by("due_on", "outcome__candidate__last_name", "pk")


def follow_up_for_answer(follow_ups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return follow_ups.select_related("outcome__candidate", "outcome__provider", "stream", "answered_by")


def _point(weeks: int) -> ExpressionWrapper:
    """The date `weeks` after the outcome started."""
    return ExpressionWrapper(F("start_date") + timedelta(weeks=weeks), output_field=DateField())


def in_work_at_q(weeks: int) -> Q:
    """Outcomes not recorded as having left before `weeks` after their start (still in work then)."""
    return Q(left_on__isnull=True) | Q(left_on__gte=_point(weeks))


def sustained_follow_ups_q() -> Q:
    """Follow-ups that make a paid outcome sustained by their own stream's rule: "still employed" at a
    point at or after the stream's `sustained_after_weeks`, the person not recorded as having left
    before that point (stream_sustained, for every stream at once)."""
    return Q(
        result=Result.STILL_EMPLOYED,
        week__gte=F("stream__sustained_after_weeks"),
        outcome__kind__in=Outcome.PAID_KINDS,
    ) & (Q(outcome__left_on__isnull=True) | Q(outcome__left_on__gte=F("due_on")))


# Funding streams -----------------------------------------------------------------------------------


def stream_job_starts(stream: FundingStream) -> QuerySet[Outcome]:
    """Paid outcomes of people attributed to `stream` that started within the stream's dates."""
    return Outcome.objects.paid().filter(
        candidate__stream_attributions__stream=stream,
        start_date__gte=stream.start_date,
        start_date__lte=stream.end_date,
    )


def stream_sustained(stream: FundingStream) -> QuerySet[Outcome]:
    """The stream's job starts sustained by its own rule: "still employed" confirmed at a follow-up at or
    after `sustained_after_weeks`, and not recorded as having left before that point."""
    weeks = stream.sustained_after_weeks
    confirmed = FollowUp.objects.filter(result=Result.STILL_EMPLOYED, week__gte=weeks).values("outcome_id")
    return stream_job_starts(stream).filter(pk__in=confirmed).filter(in_work_at_q(weeks))


def stream_spend(stream: FundingStream) -> Decimal:
    """Learner support approved or paid and charged to the stream (Decimal).

    Support payments carry the stream as a label until the funding work turns it into a foreign key;
    this one function knows which: a key matches the stream, a label matches its name or code.
    """
    field = SupportPayment._meta.get_field("funding_stream")
    charged = Q(funding_stream=stream) if field.is_relation else Q(funding_stream__in=[stream.name, stream.code])
    total = SupportPayment.objects.filter(
        charged, status__in=[SupportPayment.Status.APPROVED, SupportPayment.Status.PAID]
    ).aggregate(total=Coalesce(Sum("amount"), Decimal("0")))["total"]
    return Decimal(total).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class StreamOutcomeFigures:
    stream: FundingStream
    # Distinct people attributed to the stream with a paid outcome starting within its dates.
    job_starts: int
    # Of those, distinct people sustained by the stream's rule (still employed at sustained_after_weeks).
    sustained: int
    # Of the job starts, people not yet `sustained_after_weeks` into their job (cannot be sustained yet).
    not_yet_due: int
    # Of the job starts, people recorded as having left before the sustained point.
    left_before_sustained: int
    sustained_after_weeks: int
    target_job_starts: int | None
    target_sustained_jobs: int | None
    budget: Decimal
    spend: Decimal
    budget_left: Decimal
    # Spend divided by job starts (distinct people), to the penny; None with no job starts.
    cost_per_job_start: Decimal | None
    denominator: str


def stream_outcome_figures(stream: FundingStream, *, today: date | None = None) -> StreamOutcomeFigures:
    """A stream's job starts, sustained jobs, spend against budget and cost per job start (five queries)."""
    today = today or timezone.localdate()
    weeks = stream.sustained_after_weeks
    starts = stream_job_starts(stream).aggregate(
        people=Count("candidate", distinct=True),
        not_yet=Count("candidate", distinct=True, filter=Q(start_date__gt=today - timedelta(weeks=weeks))),
        left=Count("candidate", distinct=True, filter=Q(left_on__lt=_point(weeks))),
    )
    sustained = stream_sustained(stream).aggregate(people=Count("candidate", distinct=True))["people"]
    spend = stream_spend(stream)
    job_starts = starts["people"]
    cost = (spend / job_starts).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if job_starts else None
    return StreamOutcomeFigures(
        stream=stream,
        job_starts=job_starts,
        sustained=sustained,
        not_yet_due=starts["not_yet"],
        left_before_sustained=starts["left"],
        sustained_after_weeks=weeks,
        target_job_starts=stream.target_job_starts,
        target_sustained_jobs=stream.target_sustained_jobs,
        budget=stream.budget,
        spend=spend,
        budget_left=stream.budget - spend,
        cost_per_job_start=cost,
        denominator=(
            f"Each person counts once, however many jobs they started. Job starts: people attributed to "
            f"{stream.name} whose paid job, apprenticeship or other paid work started between "
            f"{stream.start_date:%-d %B %Y} and {stream.end_date:%-d %B %Y}. Sustained: of those, people "
            f"confirmed still employed {weeks} weeks after starting."
        ),
    )


# Retention -----------------------------------------------------------------------------------------

RETENTION_GROUPS = {
    "cohort": ("candidate__enrolments__cohort__public_id", "candidate__enrolments__cohort__name", "Cohort"),
    "course": (
        "candidate__enrolments__cohort__course__public_id",
        "candidate__enrolments__cohort__course__title",
        "Course",
    ),
    "provider": ("provider__public_id", "provider__name", "Employer"),
}


@dataclass(frozen=True)
class RetentionPoint:
    weeks: int
    reached: int  # people at least this many weeks past their start: the denominator
    in_work: int  # of those, people not recorded as having left before the point

    @property
    def percent(self) -> int | None:
        return round(100 * self.in_work / self.reached) if self.reached else None


@dataclass(frozen=True)
class RetentionRow:
    label: str
    started: int
    points: list[RetentionPoint]


def _retention_aggregates(today: date) -> dict[str, Count]:
    figures: dict[str, Count] = {"started": Count("candidate", distinct=True)}
    for weeks in RETENTION_WEEKS:
        reached = Q(start_date__lte=today - timedelta(weeks=weeks))
        figures[f"reached_{weeks}"] = Count("candidate", distinct=True, filter=reached)
        figures[f"in_work_{weeks}"] = Count(
            "candidate",
            distinct=True,
            filter=reached & in_work_at_q(weeks),
        )
    return figures


def _row(label: str, figures: dict[str, int]) -> RetentionRow:
    return RetentionRow(
        label=label,
        started=figures["started"],
        points=[RetentionPoint(w, figures[f"reached_{w}"], figures[f"in_work_{w}"]) for w in RETENTION_WEEKS],
    )


@dataclass(frozen=True)
class Retention:
    by: str
    group_label: str
    total: RetentionRow
    page: Page
    rows: list[RetentionRow]


def retention(*, outcomes: QuerySet[Outcome], by: str, today: date, page: int | str = 1) -> Retention:
    """Of people who started paid work, how many were still in work 4, 13 and 26 weeks on, per cohort,
    course or employer, and in total (distinct people; a person in two cohorts counts in each), of
    `outcomes` (the user's scope: their academy's people). Three queries."""
    key, label_field, group_label = RETENTION_GROUPS[by]
    started = outcomes.filter(kind__in=Outcome.PAID_KINDS, start_date__lte=today)
    total = _row("All people who started paid work", started.aggregate(**_retention_aggregates(today)))
    grouped = started
    if by != "provider":
        grouped = grouped.filter(**{f"{key}__isnull": False})
    groups = grouped.values(key, label_field).annotate(**_retention_aggregates(today)).order_by(label_field, key)
    paginator = Paginator(groups, PAGE_SIZE)
    current = paginator.get_page(page)
    rows = [_row(figures[label_field] or "Employers outside the academy's providers", figures) for figures in current]
    return Retention(by=by, group_label=group_label, total=total, page=current, rows=rows)
