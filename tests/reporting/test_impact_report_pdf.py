"""The impact report's PDF: the figures it was given, tagged for screen readers, logo, charts, narrative."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from academy.models import Academy, User
from academy.periods import Quarter
from candidates.models import Candidate, ConsentKind
from candidates.services.consent import consent_record
from reporting.impact.pdf import report_content, report_html, report_pdf_render
from reporting.impact.services import impact_report_build_now
from reporting.models import AssessmentArea, CaseStudy, MaturityLevel, ReportNarrative, SelfAssessment
from tests.reporting.impact_helpers import known_figures, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

QUARTER = Quarter.numbered(2026, 2)  # July to September 2026


@pytest.fixture
def academy() -> Academy:
    return Academy.objects.default()


def build(academy: Academy) -> bytes:
    report = impact_report_build_now(quarter=QUARTER, academy=academy)
    assert report.status == report.Status.READY, report.error
    with report.file.open("rb") as handle:
        return handle.read()


def test_the_pdf_shows_the_figures_it_was_given_with_their_denominators(figures_known, academy: Academy) -> None:
    text = pdf_text(build(academy))
    assert "Headline figures" in text
    for expected in (
        "Unique learners engaged",
        "1,344",
        "23.5%",
        "1,344 unique learners engaged",
        "fewer than 5",
        "Job starts in care",
        "211",
        "80.0%",
        "264 learners who finished a course",
        "12 days",
        "£1,234.50",
    ):
        assert expected in text, expected
    # One section per section of figures, with its title.
    for title in ("Engagement", "Employment and other destinations", "DBS turnaround", "Funding and learner support"):
        assert title in text
    assert figures_known[0].start == QUARTER.start and figures_known[0].end == QUARTER.end
    assert figures_known[0].academy_ids == (academy.pk,)


def test_a_suppressed_figure_hides_its_denominator(figures_known, academy: Academy) -> None:
    report = impact_report_build_now(quarter=QUARTER, academy=academy)
    content = report_content(report, figures=known_figures(figures_known[0]))
    html = report_html(content)
    refugees = html.split("Refugees and asylum seekers", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 5" in refugees
    assert "1,344" not in refugees


def test_the_pdf_is_tagged_with_a_title_and_a_language(figures_known, academy: Academy) -> None:
    reader = pdf_reader(build(academy))
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None
    assert reader.metadata.title == f"{academy.name}: impact report, {QUARTER.label}"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (29, 112, 184)).save(out, format="PNG")
    return out.getvalue()


def test_the_cover_has_the_academy_name_and_its_logo(figures_known, academy: Academy) -> None:
    academy.logo.save("logo.png", ContentFile(_png()))
    reader = pdf_reader(build(academy))
    cover = reader.pages[0]
    assert academy.name in cover.extract_text()
    assert len(cover.images) == 1


def test_a_missing_logo_file_leaves_the_cover_without_it(figures_known, academy: Academy) -> None:
    academy.logo.save("logo.png", ContentFile(_png()))
    academy.logo.storage.delete(academy.logo.name)
    reader = pdf_reader(build(academy))
    assert len(reader.pages[0].images) == 0


def test_charts_are_drawn_as_vectors_after_their_section(figures_known, academy: Academy) -> None:
    report = impact_report_build_now(quarter=QUARTER, academy=academy)
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60" role="img" aria-label="Job starts by quarter">'
        '<rect x="0" y="10" width="120" height="20" fill="#1d70b8"/><text x="0" y="50">Starts chart axis</text></svg>'
    )
    content = report_content(report, figures=known_figures(figures_known[0]), charts={"employment": chart})
    data = report_pdf_render(report_html(content)).data
    text = pdf_text(data)
    assert "Starts chart axis" in text  # text in a vector drawing stays text
    assert text.index("Starts chart axis") > text.index("Employment and other destinations")
    assert all(len(page.images) == 0 for page in pdf_reader(data).pages)  # no bitmap anywhere


def test_the_narrative_and_consented_case_studies_are_in_the_report(
    figures_known, academy: Academy, candidate: Candidate, manager: User
) -> None:
    study = CaseStudy.objects.create(
        academy=academy,
        candidate=candidate,
        title="From retail to home care",
        display_name="Lena",
        story="Lena's story.",
    )
    consent_record(candidate=candidate, actor=manager, kind=ConsentKind.CASE_STUDY, granted=True)
    narrative = ReportNarrative.objects.create(
        academy=academy,
        period_start=QUARTER.start,
        highlights="Our first cohort of men returners.",
        sector_challenges="Recruiting drivers in rural areas.",
        next_quarter_plans="A six-week course with a guaranteed interview.",
    )
    narrative.case_studies.add(study)
    text = pdf_text(build(academy))
    for expected in (
        "Our first cohort of men returners.",
        "Recruiting drivers in rural areas.",
        "A six-week course with a guaranteed interview.",
        "From retail to home care",
        "Lena's story.",
    ):
        assert expected in text


def test_a_withdrawn_case_study_consent_removes_the_study_from_the_next_report(
    figures_known, academy: Academy, candidate: Candidate, manager: User
) -> None:
    study = CaseStudy.objects.create(
        academy=academy, candidate=candidate, title="From retail to home care", display_name="Lena", story="Story."
    )
    consent_record(candidate=candidate, actor=manager, kind=ConsentKind.CASE_STUDY, granted=True)
    ReportNarrative.objects.create(academy=academy, period_start=QUARTER.start).case_studies.add(study)
    assert "From retail to home care" in pdf_text(build(academy))

    assert candidate.user is not None
    consent_record(candidate=candidate, actor=candidate.user, kind=ConsentKind.CASE_STUDY, granted=False)
    later = pdf_text(build(academy))
    assert "From retail to home care" not in later
    assert "No case studies this quarter." in later


def test_a_study_never_consented_to_is_left_out(figures_known, academy: Academy, candidate: Candidate) -> None:
    study = CaseStudy.objects.create(
        academy=academy, candidate=candidate, title="Not agreed", display_name="Lena", story="Story."
    )
    ReportNarrative.objects.create(academy=academy, period_start=QUARTER.start).case_studies.add(study)
    assert "Not agreed" not in pdf_text(build(academy))


def test_the_self_assessment_shows_each_areas_latest_level_and_its_change(figures_known, academy: Academy) -> None:
    strategic, integrated, disruptive = MaturityLevel.objects.order_by("rank")
    assert [strategic.name, integrated.name, disruptive.name] == ["Strategic", "Integrated", "Disruptive"]
    SelfAssessment.objects.create(
        academy=academy, area=AssessmentArea.PIPELINE, assessed_on=date(2026, 3, 1), level=strategic
    )
    SelfAssessment.objects.create(
        academy=academy,
        area=AssessmentArea.PIPELINE,
        assessed_on=date(2026, 8, 1),
        level=integrated,
        target_level=disruptive,
        evidence="Three councils refer.",
    )
    # After the quarter's end: not in this quarter's report.
    SelfAssessment.objects.create(
        academy=academy, area=AssessmentArea.PIPELINE, assessed_on=date(2026, 10, 5), level=disruptive
    )
    SelfAssessment.objects.create(
        academy=academy, area=AssessmentArea.RETENTION, assessed_on=date(2026, 7, 1), level=integrated
    )
    text = pdf_text(build(academy))
    assert "Up from Strategic" in text
    assert "First assessment" in text
    assert "Three councils refer." in text
    assert "Not assessed" in text  # recruitment, development, innovation
    assert "Disruptive (" not in text  # the October assessment is after the quarter


def test_the_headline_falls_back_to_each_sections_first_figure() -> None:
    from reporting.figures.types import Figure, FigureSection, ReportFigures, Unit
    from reporting.impact.pdf import headline_figures
    from reporting.scope import ReportScope

    scope = ReportScope(start=QUARTER.start, end=QUARTER.end)
    first = Figure("a.one", "One", 1, Unit.PEOPLE)
    second = Figure("b.two", "Two", 2, Unit.COUNT)
    figures = ReportFigures(
        scope=scope,
        sections=(
            FigureSection("a", "A", (first, Figure("a.x", "X", 9, Unit.PEOPLE))),
            FigureSection("b", "B", (second,)),
        ),
    )
    assert headline_figures(figures) == (first, second)
    assert headline_figures(known_figures(scope))[0].key == "engagement.unique_learners"
