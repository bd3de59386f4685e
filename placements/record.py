"""What placements adds to the staff record page (found by candidates.selectors.journey.record_sections).
Each area offers its sections in `placements/record_<area>.py` as `record_sections(*, candidate, actor)`,
gathered here in the journey's order, as placements/demo.py does."""

from __future__ import annotations

import importlib
import importlib.util

from academy.models import User
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection

AREAS = ["applications", "starts", "work", "cv"]


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    sections: list[RecordSection] = []
    for area in AREAS:
        name = f"placements.record_{area}"
        if importlib.util.find_spec(name) is not None:
            sections += importlib.import_module(name).record_sections(candidate=candidate, actor=actor)
    return sections
