"""`manage.py dbs_reminders [--dry-run] [--date YYYY-MM-DD]`: the daily DBS reminder sweep, by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import dateformat, timezone

from candidates.models import DbsReminder
from candidates.selectors.dbs_reminders import dbs_reminder_lines_for
from candidates.services.dbs_reminders import dbs_reminders_sweep

Status = DbsReminder.Status


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, for example 2026-11-26 (got {value!r}).") from exc


class Command(BaseCommand):
    help = (
        "Run the DBS reminder sweep (the same as the daily scheduled task): create the reminders due "
        "and queue them for sending, then print them. --dry-run prints what it would do and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent; change nothing")
        parser.add_argument("--date", help="run as on this day (YYYY-MM-DD) instead of today")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["date"]) if options["date"] else timezone.localdate()
        dry_run: bool = options["dry_run"]
        result = dbs_reminders_sweep(today=today, dry_run=dry_run)
        heading = f"DBS reminders for {dateformat.format(today, 'l j F Y')}"
        self.stdout.write(heading + (" (dry run: nothing is created or sent)" if dry_run else ""))
        lines = result.planned if dry_run else dbs_reminder_lines_for(result.created_ids)
        if not lines:
            self.stdout.write("No new reminders are due.")
        else:
            self.stdout.write(f"{'Would create' if dry_run else 'Created'} {len(lines)} reminder(s):")
        for line in lines:
            if dry_run:
                state = "would send" if line.status == Status.PENDING else "would not send"
            else:
                state = Status(line.status).label.lower()
            self.stdout.write(f"  [{state}] {line}")
        verb, release = ("Would queue", "would release") if dry_run else ("Queued", "released")
        self.stdout.write(
            f"{verb} {result.queued_new + result.queued_earlier} for sending ({result.queued_new} new, "
            f"{result.queued_earlier} earlier not sent yet); {release} {result.released} stuck claim(s)."
        )
