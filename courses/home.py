"""What the courses app adds to the staff and manager home pages: the figures of its work queues.

academy.views.HomeView finds `home_context` through academy.discovery (academy must not import courses).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from academy.models import User
from academy.next_actions import NextAction
from courses.permissions import (
    applications_visible_to,
    can_approve_payments,
    can_respond_to_application,
    can_run_cohorts,
    cohorts_visible_to,
    payments_visible_to,
)
from courses.selectors.applications import applications_awaiting_decision_count
from courses.selectors.home import offers_awaiting_reply, registers_to_take_today
from courses.selectors.payments import payments_awaiting_approval


def home_context(user: User) -> dict[str, Any]:
    """Counts for the home page links: applications awaiting a decision (staff), payments to approve (managers)."""
    context: dict[str, Any] = {}
    if can_run_cohorts(user):
        context["applications_awaiting_decision"] = applications_awaiting_decision_count(applications_visible_to(user))
    if can_approve_payments(user):
        context["payments_awaiting_approval"] = payments_awaiting_approval(payments_visible_to(user)).count()
    return context


def next_actions(user: User) -> list[NextAction]:
    """Learners: course offers to answer, with the date they lapse. Staff: new applications to decide on and
    today's registers not yet complete. Managers: payments to approve. One query per kind."""
    actions: list[NextAction] = []
    if can_respond_to_application(user):
        for offer in offers_awaiting_reply(user, now=timezone.now()):
            reply_by = timezone.localdate(offer.offer_expires_at)
            actions.append(
                NextAction(
                    title=f"Reply to your offer of a place on {offer.cohort.course.title} ({offer.cohort.name})",
                    href=reverse("courses:my-applications"),
                    hint=f"Your offer needs a reply by {reply_by:%-d %B %Y}, or the place goes to someone else.",
                    status=f"Reply by {reply_by:%-d %B}",
                    order=10,
                )
            )
    if can_run_cohorts(user):
        waiting = applications_awaiting_decision_count(applications_visible_to(user))
        if waiting:
            actions.append(
                NextAction(
                    title="Decide on new course applications",
                    href=reverse("courses:application-queue"),
                    hint="Submitted or shortlisted applications waiting for an offer or a decision.",
                    status=f"{waiting} to decide",
                    order=20,
                )
            )
        for session in registers_to_take_today(cohorts_visible_to(user), today=timezone.localdate()):
            actions.append(
                NextAction(
                    title=f"Take the register: {session.cohort.name}, {session.start_time:%H:%M}",
                    href=reverse("courses:attendance-register", kwargs={"public_id": session.public_id}),
                    hint=f"{session.cohort.course.title}: {session.unmarked} learner"
                    f"{'s' if session.unmarked != 1 else ''} not marked yet.",
                    status="Today",
                    order=15,
                )
            )
    if can_approve_payments(user):
        payments = payments_awaiting_approval(payments_visible_to(user)).count()
        if payments:
            actions.append(
                NextAction(
                    title="Approve support payments",
                    href=reverse("courses:payment-approvals"),
                    hint="Payments staff have requested that wait for a manager.",
                    status=f"{payments} to approve",
                    order=5,
                )
            )
    return actions
