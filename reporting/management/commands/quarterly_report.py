"""`manage.py quarterly_report --year YYYY --quarter N [--stream CODE] [--academy SLUG] [--output FILE]`:
build a quarterly impact report here and now, the same PDF a worker builds, kept as a new version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from academy.models import Academy, FundingStream
from academy.periods import Quarter
from reporting.impact.services import impact_report_build_now
from reporting.models import ImpactReport


class Command(BaseCommand):
    help = (
        "Build the quarterly impact report for quarter N of the financial year starting in YYYY (synchronously), "
        "store it as a new version, and print where it is and its SHA-256 checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the year the financial year starts in")
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], help="quarter 1 to 4")
        parser.add_argument("--stream", help="only this funding stream (its code)")
        parser.add_argument(
            "--academy", help="only this academy (its slug); without it: the only academy, or every academy"
        )
        parser.add_argument("--output", help="also write the PDF to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        quarter = Quarter.numbered(options["year"], options["quarter"])
        academy = self._academy(options["academy"])
        stream = None
        if options["stream"]:
            stream = FundingStream.objects.filter(code=options["stream"]).first()
            if stream is None:
                raise CommandError(f"There is no funding stream with the code {options['stream']!r}.")
        report = impact_report_build_now(quarter=quarter, academy=academy, stream=stream)
        if report.status != ImpactReport.Status.READY:
            raise CommandError(report.error or "The report could not be built.")
        path = self._where(report)
        if options["output"]:
            output = Path(options["output"])
            with report.file.open("rb") as source:
                output.write_bytes(source.read())
            path = str(output.resolve())
        self.stdout.write(f"{report.quarter_label}, version {report.version}: {report.page_count} page(s)")
        self.stdout.write(f"path: {path}")
        self.stdout.write(f"sha256: {report.sha256}")

    @staticmethod
    def _academy(slug: str | None) -> Academy | None:
        if slug:
            academy = Academy.objects.filter(slug=slug).first()
            if academy is None:
                raise CommandError(f"There is no academy with the slug {slug!r}.")
            return academy
        only = list(Academy.objects.order_by("id")[:2])
        return only[0] if len(only) == 1 else None

    @staticmethod
    def _where(report: ImpactReport) -> str:
        try:
            return str(report.file.path)
        except NotImplementedError:  # object storage: no local path, its name in the bucket
            return str(report.file.name)
