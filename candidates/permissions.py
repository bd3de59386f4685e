"""Who may see and change candidate records (see academy.permissions for the contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from candidates.models import Candidate


def candidates_visible_to(user: User) -> QuerySet[Candidate]:
    """Academy staff see every current record; a learner sees only their own.

    Providers see no candidate records here: they see applicants through placements, and only
    after the candidate applied to them or consented to a referral.
    """
    if is_academy_staff(user):
        return Candidate.objects.current()
    if user.is_authenticated and user.is_learner:
        return Candidate.objects.current().filter(user=user)
    return Candidate.objects.none()


def can_work_on_candidates(user: User, obj: Any = None) -> bool:
    """Staff casework: lists, records, stages, contacts, action plans, imports, selection events."""
    return is_academy_staff(user)


def can_view_candidate(user: User, obj: Candidate | None = None) -> bool:
    """Staff and managers may open any record in their scope."""
    return is_academy_staff(user)


def can_view_equality(user: User, obj: Candidate | None = None) -> bool:
    """Equality answers are special category data: academy staff and managers only, every view logged."""
    return is_academy_staff(user)


def can_export_equality(user: User, obj: Any = None) -> bool:
    """CSV exports include equality data only for managers."""
    return is_manager(user)


def can_manage_stages(user: User, obj: Any = None) -> bool:
    """Managers configure the pipeline stages."""
    return is_manager(user)


def is_learner(user: User, obj: Any = None) -> bool:
    """Learner self-service pages."""
    return bool(user.is_authenticated and user.is_active and user.is_learner)
