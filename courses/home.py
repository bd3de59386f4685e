"""What the courses app adds to the staff and manager home pages: the figures of its work queues.

academy.views.HomeView finds `home_context` through academy.discovery (academy must not import courses).
"""

from __future__ import annotations

from typing import Any

from academy.models import User
from courses.permissions import applications_visible_to, can_approve_payments, can_run_cohorts, payments_visible_to
from courses.selectors.applications import applications_awaiting_decision_count
from courses.selectors.payments import payments_awaiting_approval


def home_context(user: User) -> dict[str, Any]:
    """Counts for the home page links: applications awaiting a decision (staff), payments to approve (managers)."""
    context: dict[str, Any] = {}
    if can_run_cohorts(user):
        context["applications_awaiting_decision"] = applications_awaiting_decision_count(applications_visible_to(user))
    if can_approve_payments(user):
        context["payments_awaiting_approval"] = payments_awaiting_approval(payments_visible_to(user)).count()
    return context
