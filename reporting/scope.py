"""What a report is about: a period, one academy or a region, and optional narrower filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReportScope:
    """A period (first and last day, inclusive) and whose figures.

    `academy_ids` None means every academy in the portal; a region passes its academies' ids. The
    other filters narrow to one funding stream, course, cohort or provider (None: no filter)."""

    start: date
    end: date
    academy_ids: tuple[int, ...] | None = None
    stream_id: int | None = None
    course_id: int | None = None
    cohort_id: int | None = None
    provider_id: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A report's period ends on or after its first day.")
