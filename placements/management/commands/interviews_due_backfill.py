"""Record the guaranteed interview owed for every enrolment completed before placements listened for completions.

Run once after deploying placements (idempotent: an enrolment that already has one is skipped):
    python manage.py interviews_due_backfill
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from placements.services.job_applications import interviews_due_backfill


class Command(BaseCommand):
    help = "Create the interview-due items owed to completers of courses that promise a guaranteed interview."

    def handle(self, *args: Any, **options: Any) -> None:
        created = interviews_due_backfill()
        self.stdout.write(f"{created} interview-due item{'s' if created != 1 else ''} created.")
