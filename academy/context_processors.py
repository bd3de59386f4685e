"""Template context shared by every page: site name and the signed-in user's navigation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from academy.discovery import app_hooks
from academy.models import User
from academy.navigation import NavLink


def _nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    providers = cast(list[Callable[[User], list[NavLink]]], app_hooks("navigation", "nav_links"))
    links = sorted((link for offer in providers for link in offer(user)), key=lambda link: link.order)
    nav = []
    for link in links:
        url = reverse(link.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        nav.append({"label": link.label, "url": url, "active": active})
    return nav


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.SITE_NAME,
        "nav_items": _nav_items(request),
        # Staff only, set by AcademyInUseMiddleware from the session (no query).
        "academy_access": getattr(request.user, "academy_access", None),
    }
