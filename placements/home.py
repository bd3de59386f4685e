"""What the placements app adds to the home pages (academy.views.HomeView finds `home_context` by discovery).

Each area keeps its own function and context keys; `home_context` merges them.
"""

from __future__ import annotations

from typing import Any

from academy.models import User
from placements.permissions import can_approve_vacancy, vacancies_visible_to
from placements.selectors.vacancies import vacancies_awaiting_approval_count


def vacancy_home_context(user: User) -> dict[str, Any]:
    """Staff: how many vacancies wait for approval (key `vacancies_awaiting_approval`)."""
    if not can_approve_vacancy(user):
        return {}
    return {"vacancies_awaiting_approval": vacancies_awaiting_approval_count(vacancies_visible_to(user))}


def home_context(user: User) -> dict[str, Any]:
    context: dict[str, Any] = {}
    context.update(vacancy_home_context(user))
    return context
