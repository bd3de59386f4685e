"""Header links offered by placements (discovered by academy.context_processors). Each area offers its own
in `placements/navigation_<area>.py` as `nav_links(user)`, gathered here as placements/demo.py does."""

from __future__ import annotations

import importlib
from importlib.machinery import PathFinder

import placements
from academy.models import User
from academy.navigation import NavLink

AREAS = ["vacancies", "applications", "starts", "work", "cv", "alerts", "funding"]


def nav_links(user: User) -> list[NavLink]:
    links: list[NavLink] = []
    for area in AREAS:
        # Looked up in this package only (not wherever else a "placements" might be installed).
        if PathFinder.find_spec(f"placements.navigation_{area}", placements.__path__) is not None:
            links += importlib.import_module(f"placements.navigation_{area}").nav_links(user)
    return links
