"""Load postcode centroids from the ONS Postcode Directory or OS Code-Point Open (see academy/postcodes.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from academy.discovery import app_hooks
from academy.models import PostcodeCentroid
from academy.postcodes import LoadReport, PostcodeFileError, postcodes_load_file


class Command(BaseCommand):
    help = (
        "Load postcode centroids for distance search from ONS Postcode Directory CSVs (header row with pcds, "
        "oseast1m, osnrth1m, doterm) or OS Code-Point Open CSVs (no header: postcode, quality, easting, northing). "
        "Safe to run again: rows are updated, terminated postcodes removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="csv", help="one or more CSV files (Code-Point Open: one per area)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = LoadReport()
        for path in options["paths"]:
            try:
                report = postcodes_load_file(path)
            except FileNotFoundError as exc:
                raise CommandError(f"{path}: no such file.") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path}: not a UTF-8 text file; is it the zip rather than the CSV inside?") from exc
            except PostcodeFileError as exc:
                raise CommandError(f"{path}: {exc}") from exc
            self.stdout.write(
                f"{path} ({report.source}): {report.read:,} rows read, {report.loaded:,} postcodes loaded "
                f"({report.created:,} new), {report.terminated:,} terminated skipped ({report.removed:,} removed), "
                f"{report.no_coordinates:,} without coordinates, {report.invalid:,} invalid."
            )
            for example in report.invalid_examples:
                self.stdout.write(f"  invalid {example}")
            total.merge(report)
        # Apps above academy refresh what they copied from the table (placements: open vacancies).
        for hook in cast(list[Callable[[], str]], app_hooks("postcodes", "postcodes_loaded")):
            self.stdout.write(hook())
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {total.loaded:,} postcodes loaded; the table now holds {PostcodeCentroid.objects.count():,}."
            )
        )
