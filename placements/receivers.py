"""Receivers of model signals, each a thin call to one service (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from placements.models import JobStart
from placements.services.outcomes import outcome_from_job_start


def outcome_on_job_start_saved(sender: type[JobStart], instance: JobStart, created: bool, **kwargs: Any) -> None:
    """A confirmed job start has an outcome, whichever code created the start (idempotent by the OneToOne)."""
    if created and not kwargs.get("raw"):
        outcome_from_job_start(instance)
