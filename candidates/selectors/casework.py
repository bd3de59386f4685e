"""What the casework screens read: a staff member's caseload and follow-ups, and the action plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Q, QuerySet

from academy.models import User
from academy.tenancy import academy_in_use_id
from candidates.models import ActionPlanItem, ActionPlanReview, Candidate, ContactLog

OPEN_FOLLOW_UP = Q(contacts__follow_up_on__isnull=False, contacts__follow_up_done_at__isnull=True)


def end_of_week(today: date) -> date:
    """The Sunday of `today`'s week: "due this week" runs from today to then."""
    return today + timedelta(days=6 - today.weekday())


def caseload_for(*, user: User, today: date) -> QuerySet[Candidate]:
    """Open records owned by `user`: soonest open follow-up first, so overdue ones lead; then by name.

    Each row carries `overdue_count` and `next_follow_up` (earliest open follow-up date), counted in SQL.
    Records in a closed stage are left out: a caseload is the people still being worked with.
    """
    return (
        Candidate.objects.current()
        .owned_by(user)
        .filter(stage__is_closed=False, academy_id=academy_in_use_id(user))
        .select_related("stage")
        .annotate(
            overdue_count=Count("contacts", filter=OPEN_FOLLOW_UP & Q(contacts__follow_up_on__lt=today)),
            next_follow_up=Min("contacts__follow_up_on", filter=OPEN_FOLLOW_UP),
        )
        .order_by(F("next_follow_up").asc(nulls_last=True), "last_name", "first_name", "pk")
    )


def follow_ups_due_for(*, user: User, today: date) -> QuerySet[ContactLog]:
    """Open follow-ups on `user`'s caseload that are overdue or due by the end of this week, oldest first.

    Rows carry `is_overdue` (due before today).
    """
    return (
        ContactLog.objects.filter(
            candidate__in=Candidate.objects.current().owned_by(user).filter(academy_id=academy_in_use_id(user)),
            follow_up_done_at__isnull=True,
            follow_up_on__lte=end_of_week(today),
        )
        .select_related("candidate")
        .annotate(is_overdue=ExpressionWrapper(Q(follow_up_on__lt=today), output_field=BooleanField()))
        .order_by("follow_up_on", "occurred_at", "pk")
    )


@dataclass(frozen=True)
class ActionPlan:
    items: Sequence[ActionPlanItem]
    reviews: Sequence[ActionPlanReview]


def action_plan_for(*, candidate: Candidate, today: date) -> ActionPlan:
    """The skills action plan: open actions first (by due date), then done ones; reviews by date.

    Items carry `is_overdue` (open and due before today); reviews carry `is_overdue` (planned, not
    yet held, and dated before today).
    """
    items = list(
        candidate.action_items.annotate(
            is_overdue=ExpressionWrapper(Q(done_at__isnull=True, due_on__lt=today), output_field=BooleanField())
        ).order_by(F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk")
    )
    reviews = list(
        candidate.action_reviews.select_related("reviewed_by")
        .annotate(
            is_overdue=ExpressionWrapper(Q(reviewed_at__isnull=True, review_on__lt=today), output_field=BooleanField())
        )
        .order_by("review_on", "pk")
    )
    return ActionPlan(items=items, reviews=reviews)


@dataclass(frozen=True)
class ActionPlanSummary:
    open_count: int
    overdue_count: int
    done_count: int
    next_review: ActionPlanReview | None


def action_plan_summary(*, candidate: Candidate, today: date) -> ActionPlanSummary:
    """Counts for the record page (one aggregate query) and the next planned review."""
    counts = candidate.action_items.aggregate(
        open_count=Count("pk", filter=Q(done_at__isnull=True)),
        overdue_count=Count("pk", filter=Q(done_at__isnull=True, due_on__lt=today)),
        done_count=Count("pk", filter=Q(done_at__isnull=False)),
    )
    next_review = candidate.action_reviews.filter(reviewed_at__isnull=True).order_by("review_on", "pk").first()
    return ActionPlanSummary(**counts, next_review=next_review)
