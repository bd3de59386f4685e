"""What the placements app adds to the home page: a provider user's vacancies, applicants, interviews,
placements, starters and feedback due (academy.views.HomeView finds `home_context` through academy.discovery).

Each figure links to its list when that list's URL exists (`links`: URL name -> path, or absent), so the
home page works whichever placements areas are installed. Job applications add their learner and staff
links (placements/home_applications.py).
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from academy.models import User
from placements.home_applications import job_applications_home_context
from placements.permissions import is_provider_user
from placements.selectors.provider_home import provider_home

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


def home_context(user: User) -> dict[str, Any]:
    """A provider user's figures (`provider_home`) and the links to their lists; the job application links
    of learners and staff."""
    if not is_provider_user(user):
        return job_applications_home_context(user)
    if getattr(user, "provider_membership", None) is None:
        return {}
    return {"provider_home": provider_home(user), "provider_home_links": list_links()}
