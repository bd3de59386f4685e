"""What placements adds to the staff record page (found by candidates.selectors.journey.record_sections).
Each area offers its sections in `placements/record_<area>.py` as `record_sections(*, candidate, actor)`,
gathered here in the journey's order, as placements/demo.py does."""

from __future__ import annotations

import importlib
from importlib.machinery import PathFinder

import placements
from academy.models import User
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection

AREAS = ["applications", "starts", "work", "cv"]


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    sections: list[RecordSection] = []
    for area in AREAS:
        # Looked up in this package only (not wherever else a "placements" might be installed).
        if PathFinder.find_spec(f"placements.record_{area}", placements.__path__) is not None:
            sections += importlib.import_module(f"placements.record_{area}").record_sections(
                candidate=candidate, actor=actor
            )
    return sections
