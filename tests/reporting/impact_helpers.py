"""Known figures for impact report tests: the PDF renders whatever `report_figures(scope)` returns, so
these stand in for the selector (patched where the report looks it up) and every test knows the numbers."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest

from reporting.figures.types import Figure, FigureSection, ReportFigures, Unit
from reporting.scope import ReportScope


def known_figures(scope: ReportScope) -> ReportFigures:
    return ReportFigures(
        scope=scope,
        sections=(
            FigureSection(
                "engagement",
                "Engagement",
                (
                    Figure("engagement.unique_learners", "Unique learners engaged", 1344, Unit.PEOPLE),
                    Figure(
                        "engagement.men",
                        "Men",
                        Decimal("23.5"),
                        Unit.PERCENT,
                        denominator=1344,
                        denominator_label="unique learners engaged",
                    ),
                    Figure("engagement.refugees", "Refugees and asylum seekers", 3, Unit.PEOPLE, suppressed=True),
                ),
                note="Every count of people counts distinct people.",
            ),
            FigureSection(
                "employment",
                "Employment and other destinations",
                (
                    Figure("employment.job_starts", "Job starts in care", 211, Unit.PEOPLE),
                    Figure(
                        "employment.offered",
                        "Offered employment",
                        Decimal("80.0"),
                        Unit.PERCENT,
                        denominator=264,
                        denominator_label="learners who finished a course",
                    ),
                ),
            ),
            FigureSection("dbs", "DBS turnaround", (Figure("dbs.median_days", "Median turnaround", 12, Unit.DAYS),)),
            FigureSection(
                "money",
                "Funding and learner support spend",
                (Figure("money.cost_per_start", "Cost per job start", Decimal("1234.5"), Unit.MONEY),),
            ),
        ),
    )


@pytest.fixture
def figures_known(monkeypatch: pytest.MonkeyPatch) -> list[ReportScope]:
    """Reports get `known_figures`; returns the scopes they were asked for, in order."""
    asked: list[ReportScope] = []

    def report_figures(scope: ReportScope) -> ReportFigures:
        asked.append(scope)
        return known_figures(scope)

    # raising=False: until the figures selector is merged, reporting.figures has no report_figures.
    monkeypatch.setattr("reporting.figures.report_figures", report_figures, raising=False)
    return asked


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))
