"""What placements adds to the home pages (found by academy.views.HomeView through academy.discovery).

Each area offers its part from its own module; this hook merges them.
"""

from __future__ import annotations

from typing import Any

from academy.models import User
from placements.home_applications import job_applications_home_context


def home_context(user: User) -> dict[str, Any]:
    """The placements figures and links for `user`'s home page."""
    return {**job_applications_home_context(user)}
