"""The quarterly impact report as a PDF: figures, narrative and self-assessment rendered to HTML, then
to a tagged PDF (PDF/UA-1, with a title and a language) by WeasyPrint.

Nothing is fetched while rendering: the stylesheet is inline in the template, the logo is embedded as a
data URL and charts are inline SVG (vector, and their text stays text). Any other URL is refused.

The figures come from `reporting.figures.report_figures(scope)` and the charts from `report_charts`:
the two seams where the figures selector and `reporting.charts` plug in.
"""

from __future__ import annotations

import base64
import io
import mimetypes
from dataclasses import dataclass, field
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from academy.models import Academy
from academy.periods import Quarter
from reporting.charts import bar_chart, funnel_chart
from reporting.figures.trends import FUNNEL_STEPS
from reporting.figures.types import Figure, FigureSection, ReportFigures
from reporting.impact.scopes import filters_description, scope_of
from reporting.impact.selectors import (
    AreaAssessment,
    case_studies_for_report,
    narrative_for,
    self_assessment_summary,
)
from reporting.models import CaseStudy, ImpactReport, ReportNarrative
from reporting.scope import ReportScope

LANGUAGE = "en-GB"
# A logo bigger than this is left off the cover rather than slowing every report down.
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}
HEADLINE_SECTION = "headline"
HEADLINE_MAX = 8
# The headline figures, in this order, where the figures have them (keys of reporting.figures).
HEADLINE_KEYS = (
    "engagement.unique_learners",
    "learning.course_starts",
    "learning.completions",
    "employment.job_starts",
    "employment.course_to_offer",
    "employment.sustained",
    "dbs.turnaround_median",
    "money.spend",
)


def report_figures_for(scope: ReportScope) -> ReportFigures:
    """The figures of the report: the same selector the dashboard and the CSV use, so the three agree."""
    # Looked up by name at call time, so tests can patch the selector with known figures.
    build = import_string("reporting.figures.report_figures")
    figures: ReportFigures = build(scope)
    return figures


def report_charts(figures: ReportFigures) -> dict[str, str]:
    """SVG charts for the report, by the key of the section they illustrate, drawn after its table.

    Made by reporting.charts from the figures already built (no query): the funnel from registration
    to a sustained job, and how people heard of the academy. Each is our own markup, never user text."""
    charts: dict[str, str] = {}
    steps = [(label, int(f.value or 0)) for key, label in FUNNEL_STEPS if (f := _figure(figures, key)) is not None]
    if steps:
        charts["employment"] = str(funnel_chart("People at each step, from registration to a sustained job", steps))
    sources = [
        (f.label, int(f.value or 0))
        for f in figures.flat()
        if f.key.startswith("engagement.source.") and f.value and not f.suppressed
    ]
    if sources:
        charts["engagement"] = str(bar_chart("New people by how they heard of the academy", sources, "people"))
    return charts


def _figure(figures: ReportFigures, key: str) -> Figure | None:
    return next((f for f in figures.flat() if f.key == key), None)


@dataclass(frozen=True)
class ReportContent:
    """Everything the report's template shows."""

    title: str
    academy_name: str
    scope_text: str
    quarter: Quarter
    version: int
    generated_at: datetime
    figures: ReportFigures
    headline: tuple[Figure, ...]
    sections: tuple[tuple[FigureSection, SafeString], ...]
    assessments: list[AreaAssessment]
    narrative: ReportNarrative | None
    case_studies: list[CaseStudy]
    logo_data_url: str = ""
    lang: str = LANGUAGE
    contact: dict[str, str] = field(default_factory=dict)


def headline_figures(figures: ReportFigures) -> tuple[Figure, ...]:
    """The headline figures: a "headline" section if the figures have one, else those of HEADLINE_KEYS
    they have, else each section's first figure."""
    for section in figures.sections:
        if section.key == HEADLINE_SECTION:
            return section.figures
    by_key = {figure.key: figure for figure in figures.flat()}
    chosen = tuple(by_key[key] for key in HEADLINE_KEYS if key in by_key)
    if chosen:
        return chosen
    return tuple(section.figures[0] for section in figures.sections if section.figures)[:HEADLINE_MAX]


def logo_data_url(academy: Academy | None) -> str:
    """The academy's uploaded logo as a data URL (empty if none, missing, too big or not an image)."""
    if academy is None or not academy.logo:
        return ""
    content_type = mimetypes.guess_type(academy.logo.name)[0] or ""
    if content_type not in LOGO_TYPES:
        return ""
    try:
        if academy.logo.size > LOGO_MAX_BYTES:
            return ""
        with academy.logo.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except (FileNotFoundError, OSError):
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def report_content(
    report: ImpactReport,
    *,
    figures: ReportFigures | None = None,
    charts: dict[str, str] | None = None,
    now: datetime | None = None,
) -> ReportContent:
    """Gather the report's content: figures (computed unless given), charts, narrative, self-assessment."""
    quarter = Quarter.containing(report.period_start)
    if figures is None:
        figures = report_figures_for(scope_of(report.filters, quarter))
    if charts is None:
        charts = report_charts(figures)
    academy = report.academy
    narrative = narrative_for(academy_id=report.academy_id, quarter=quarter)
    name = academy.name if academy else filters_description(report.filters)
    contact = {}
    if academy is not None:
        contact = {
            key: value
            for key, value in (
                ("Email", academy.contact_email),
                ("Phone", academy.contact_phone),
                ("Address", academy.address),
                ("Website", academy.website),
            )
            if value
        }
    sections = tuple(
        (section, mark_safe(charts.get(section.key, "")))  # noqa: S308  # our own SVG (see report_charts)
        for section in figures.sections
        if section.key != HEADLINE_SECTION
    )
    return ReportContent(
        title=f"{name}: impact report, {quarter.label}",
        academy_name=name,
        scope_text=filters_description(report.filters),
        quarter=quarter,
        version=report.version,
        generated_at=now or timezone.now(),
        figures=figures,
        headline=headline_figures(figures),
        sections=sections,
        assessments=self_assessment_summary(academy_id=report.academy_id, as_of=quarter.end),
        narrative=narrative,
        case_studies=case_studies_for_report(narrative),
        logo_data_url=logo_data_url(academy),
        contact=contact,
    )


def report_html(content: ReportContent) -> str:
    return render_to_string("reporting/impact_report_pdf.html", {"report": content})


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def report_pdf_render(html: str) -> RenderedPdf:
    """A tagged PDF (PDF/UA-1) of the report's HTML, and its number of pages."""
    # Imported here: WeasyPrint loads Pango, which only this needs.
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    # data: URLs only (the embedded logo): no network, no files.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
    out = io.BytesIO()
    document.write_pdf(out, pdf_variant="pdf/ua-1")
    return RenderedPdf(data=out.getvalue(), pages=len(document.pages))


def report_filename(report: ImpactReport) -> str:
    quarter = Quarter.containing(report.period_start)
    who = report.academy.slug if report.academy else "academies"
    year = f"{quarter.financial_year}-{(quarter.financial_year + 1) % 100:02d}"
    return f"impact-report-{who}-q{quarter.number}-{year}-v{report.version}.pdf"
