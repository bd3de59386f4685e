"""What placements adds to the learner's courses page (found by courses.views.feedback through
academy.discovery): the learner's own work placements, with the provider's review once signed off."""

from __future__ import annotations

from typing import Any

from academy.models import User
from placements.permissions import work_placements_visible_to
from placements.selectors.work import my_work_placements


def my_courses_sections(user: User) -> list[tuple[str, dict[str, Any]]]:
    """One section listing the learner's placements (one query); none when they have no placement."""
    placements = list(my_work_placements(work_placements_visible_to(user)))
    return [("placements/_my_placements.html", {"placements": placements})] if placements else []
