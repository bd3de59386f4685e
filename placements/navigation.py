"""Header links offered by placements (discovered by academy.context_processors). Each area offers its own
in `placements/navigation_<area>.py` as `nav_links(user)`, gathered here as placements/demo.py does."""

from __future__ import annotations

import importlib
import importlib.util

from academy.models import User
from academy.navigation import NavLink

AREAS = ["vacancies", "applications", "starts", "work", "cv"]


def nav_links(user: User) -> list[NavLink]:
    links: list[NavLink] = []
    for area in AREAS:
        name = f"placements.navigation_{area}"
        if importlib.util.find_spec(name) is not None:
            links += importlib.import_module(name).nav_links(user)
    return links
