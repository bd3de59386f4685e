"""What placements adds to the staff record page (found by candidates.selectors.journey.record_sections).

Each area offers its sections from its own module; this hook lists them in journey order.
"""

from __future__ import annotations

from academy.models import User
from candidates.models import Candidate
from candidates.selectors.journey import RecordSection
from placements import record_starts
from placements.record_applications import job_application_sections


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """Each placements area's sections, in journey order."""
    return [
        *job_application_sections(candidate=candidate, actor=actor),
        *record_starts.record_sections(candidate=candidate, actor=actor),
    ]
