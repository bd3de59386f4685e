"""The report's charts come from the figures already built: the funnel and how people heard of us."""

from __future__ import annotations

import datetime as dt

from reporting.figures.types import Figure, FigureSection, ReportFigures, Unit
from reporting.impact.pdf import report_charts
from reporting.scope import ReportScope

SCOPE = ReportScope(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))


def _figures(*figures: Figure) -> ReportFigures:
    return ReportFigures(scope=SCOPE, sections=(FigureSection("all", "All", figures),))


def test_the_funnel_and_the_sources_are_drawn_with_their_numbers() -> None:
    figures = _figures(
        Figure("engagement.registrations", "Registered", 120, Unit.PEOPLE),
        Figure("learning.course_starts", "Course starts", 80, Unit.PEOPLE),
        Figure("employment.job_starts", "Job starts", 37, Unit.PEOPLE),
        Figure("engagement.source.jobcentre", "Jobcentre Plus", 64, Unit.PEOPLE),
        Figure("engagement.source.website", "Council or academy website", 0, Unit.PEOPLE),
    )
    charts = report_charts(figures)
    assert set(charts) == {"employment", "engagement"}
    assert charts["employment"].startswith("<svg") and "37" in charts["employment"] and "120" in charts["employment"]
    assert "Jobcentre Plus" in charts["engagement"] and "Council or academy website" not in charts["engagement"]


def test_no_chart_without_figures_to_draw() -> None:
    assert report_charts(_figures()) == {}


def test_labels_typed_by_people_are_escaped() -> None:
    from reporting.charts import bar_chart

    svg = str(bar_chart("Reasons <b>", [("<script>alert(1)</script>", 3)]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Reasons &lt;b&gt;" in svg
