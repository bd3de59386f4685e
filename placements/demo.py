"""The placements app's part of `seed_demo`: each area seeds in `placements/demo_<area>.py` (`seed(*, now)`),
in the journey's order, after the courses' cohorts and completers exist."""

from __future__ import annotations

import importlib
import importlib.util
from datetime import datetime

# Journey order: vacancies before applications, applications before interviews and starts, starts before
# outcomes and follow-ups; work placements and CVs use the cohorts only; funding attributions come before
# starts, since follow-ups are created from the streams a person counts for.
AREAS = ["vacancies", "work", "cv", "funding", "applications", "starts", "outcomes", "alerts"]


def seed_demo(*, now: datetime) -> str:
    parts = []
    for area in AREAS:
        name = f"placements.demo_{area}"
        if importlib.util.find_spec(name) is None:
            continue
        parts.append(importlib.import_module(name).seed(now=now))
    return ", ".join(part for part in parts if part)
