"""What placements adds to the staff record page (found by candidates.selectors.journey.record_sections)."""

from __future__ import annotations

from academy.models import User
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection
from placements import record_starts


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """Each placements area's sections, in journey order."""
    return [*record_starts.record_sections(candidate=candidate, actor=actor)]
