"""The header's links: each app offers its own (`<app>/navigation.py`), academy gathers them in order."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from academy.context_processors import portal
from academy.discovery import app_modules
from academy.models import User

pytestmark = pytest.mark.django_db

LEARNER = ["Home", "My profile", "My courses", "My CV", "My job applications", "Job alerts", "Find a course", "Account"]
STAFF = [
    "Home",
    "Candidates",
    "Cohorts",
    "Vacancies",
    "Job applications",
    "Placements",
    "DBS",
    "Interviews",
    "Starts",
    "Selection events",
    "Outreach events",
    "Providers",
    "Engagement",
    "Funding",
    "Account",
]
MANAGER = [*STAFF[:-1], "Reports", "Academy", "Users", "Audit log", "Account"]
PROVIDER = [
    "Home",
    "Vacancies",
    "Applicants",
    "Placements",
    "Feedback due",
    "Interviews",
    "Starts",
    "Quarterly survey",
    "Account",
]


def _labels(user: User, path: str = "/") -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    return [item["label"] for item in portal(request)["nav_items"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("learner", LEARNER), ("staff", STAFF), ("manager", MANAGER), ("provider_user", PROVIDER)],
)
def test_each_persona_sees_its_links_in_order(request, persona: str, expected: list[str]) -> None:
    assert _labels(request.getfixturevalue(persona)) == expected


def test_anonymous_has_no_navigation() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert portal(request)["nav_items"] == []


def test_the_current_section_is_marked_active(staff: User) -> None:
    request = RequestFactory().get(reverse("courses:cohort-list") + "?page=2")
    request.user = staff
    assert [item["label"] for item in portal(request)["nav_items"] if item["active"]] == ["Cohorts"]


def test_links_come_from_the_apps_that_own_them() -> None:
    offering = [module.__name__ for module in app_modules("navigation")]
    assert offering == [
        "academy.navigation",
        "providers.navigation",
        "candidates.navigation",
        "courses.navigation",
        "placements.navigation",
        "reporting.navigation",
    ]
