"""`manage.py quarterly_report` builds the same PDF as a worker, stores a version and prints path and checksum."""

from __future__ import annotations

import hashlib
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from academy.models import Academy, FundingStream
from academy.periods import Quarter
from reporting.models import ImpactReport
from tests.reporting.impact_helpers import pdf_text

pytestmark = pytest.mark.django_db


def test_the_command_builds_the_report_and_prints_its_path_and_checksum(figures_known, tmp_path: Path) -> None:
    out = StringIO()
    target = tmp_path / "q2.pdf"
    call_command("quarterly_report", "--year", "2026", "--quarter", "2", "--output", str(target), stdout=out)
    report = ImpactReport.objects.get()
    data = target.read_bytes()
    assert f"sha256: {hashlib.sha256(data).hexdigest()}" in out.getvalue()
    assert f"path: {target.resolve()}" in out.getvalue()
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.requested_by is None and not report.scheduled
    assert report.academy == Academy.objects.default()  # the only academy
    assert "1,344" in pdf_text(data)
    assert figures_known[0].start == Quarter.numbered(2026, 2).start


def test_the_command_narrows_to_a_stream_and_an_academy(figures_known) -> None:
    academy = Academy.objects.create(name="Fylde Care Academy", slug="fylde")
    stream = FundingStream.objects.create(
        name="Adult Skills",
        funder="Combined Authority",
        code="ASF-26",
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        budget=1000,
    )
    out = StringIO()
    call_command(
        "quarterly_report", "--year", "2026", "--quarter", "1", "--stream", "ASF-26", "--academy", "fylde", stdout=out
    )
    report = ImpactReport.objects.get()
    assert report.academy == academy
    assert report.filters["stream_code"] == "ASF-26"
    assert figures_known[0].stream_id == stream.pk
    assert figures_known[0].academy_ids == (academy.pk,)
    assert Path(out.getvalue().split("path: ")[1].split()[0]).exists()


def test_unknown_stream_or_academy_is_refused(figures_known) -> None:
    with pytest.raises(CommandError, match="no funding stream"):
        call_command("quarterly_report", "--year", "2026", "--quarter", "1", "--stream", "NOPE")
    with pytest.raises(CommandError, match="no academy"):
        call_command("quarterly_report", "--year", "2026", "--quarter", "1", "--academy", "nope")
    assert not ImpactReport.objects.exists()
