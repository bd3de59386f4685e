"""Scheduled work for candidates (beat schedule in settings)."""

from __future__ import annotations

from celery import shared_task

from candidates.services.imports import candidate_imports_purge


@shared_task
def candidate_imports_purge_task() -> int:
    """Clear the people's details held by uncommitted imports once they are old enough."""
    return candidate_imports_purge()
