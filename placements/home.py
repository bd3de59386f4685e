"""What the placements app adds to the home pages (academy.views.HomeView finds `home_context` by discovery).

Each area keeps its own function and context keys; `home_context` merges them. A provider user's figures
link to their lists when that list's URL exists (`provider_home_links`: figure -> path).
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from academy.models import User
from placements.home_applications import job_applications_home_context
from placements.permissions import can_approve_vacancy, is_provider_user, vacancies_visible_to
from placements.selectors.provider_home import provider_home
from placements.selectors.vacancies import vacancies_awaiting_approval_count

LIST_URL_NAMES = {
    "vacancies": "placements:provider-vacancy-list",
    "applications": "placements:provider-application-list",
    "interviews": "placements:interview-list",
    "placements": "placements:work-placement-list",
    "feedback": "placements:feedback-due-list",
    "starts": "placements:job-start-list",
}


def list_links() -> dict[str, str]:
    """The list pages that exist, by figure: {"vacancies": "/provider/vacancies/", ...}."""
    links = {}
    for key, name in LIST_URL_NAMES.items():
        try:
            links[key] = reverse(name)
        except NoReverseMatch:
            continue
    return links


def provider_home_context(user: User) -> dict[str, Any]:
    """A provider user's figures (`provider_home`) and the links to their lists; nothing for other roles."""
    if not is_provider_user(user) or getattr(user, "provider_membership", None) is None:
        return {}
    return {"provider_home": provider_home(user), "provider_home_links": list_links()}


def vacancy_home_context(user: User) -> dict[str, Any]:
    """Staff: how many vacancies wait for approval (key `vacancies_awaiting_approval`)."""
    if not can_approve_vacancy(user):
        return {}
    return {"vacancies_awaiting_approval": vacancies_awaiting_approval_count(vacancies_visible_to(user))}


def home_context(user: User) -> dict[str, Any]:
    return {**provider_home_context(user), **vacancy_home_context(user), **job_applications_home_context(user)}
