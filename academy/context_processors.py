"""Template context shared by every page: site name and the signed-in user's navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from academy.permissions import can_manage_users, can_view_audit_log, is_academy_staff
from candidates.permissions import is_learner


def _nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = [("Home", "academy:home", True)]
    items += [
        ("My profile", "candidates:profile", is_learner(user)),
        ("My courses", "courses:my-enrolments", is_learner(user)),
        ("Find a course", "courses:finder", is_learner(user)),
        ("Candidates", "candidates:candidate-list", is_academy_staff(user)),
        ("Cohorts", "courses:cohort-list", is_academy_staff(user)),
        ("DBS", "candidates:dbs-dashboard", is_academy_staff(user)),
        ("Selection events", "candidates:selection-list", is_academy_staff(user)),
        ("Providers", "providers:provider-list", is_academy_staff(user)),
        ("Users", "academy:user-list", can_manage_users(user)),
        ("Audit log", "academy:audit-list", can_view_audit_log(user)),
        ("Account", "account_email", True),
    ]
    nav = []
    for label, name, allowed in items:
        if allowed:
            url = reverse(name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            nav.append({"label": label, "url": url, "active": active})
    return nav


def portal(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": settings.SITE_NAME, "nav_items": _nav_items(request)}
