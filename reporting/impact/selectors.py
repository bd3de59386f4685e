"""What the reports page and the report itself read: versions, narrative, self-assessment, case studies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from academy.periods import Quarter
from candidates.models import Consent, ConsentKind
from reporting.models import AssessmentArea, CaseStudy, ImpactReport, MaturityLevel, ReportNarrative, SelfAssessment


def impact_report_list(reports: QuerySet[ImpactReport]) -> QuerySet[ImpactReport]:
    """Report versions, newest first, with who asked and the academy (a fixed number of queries per page)."""
    return reports.select_related("requested_by", "academy", "region").order_by("-requested_at", "-id")


def case_studies_with_consent(studies: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """Case studies annotated with `consent_in_force`: the learner's newest case-study consent is a yes."""
    newest = (
        Consent.objects.filter(candidate=OuterRef("candidate_id"), kind=ConsentKind.CASE_STUDY)
        .order_by("-recorded_at", "-id")
        .values("granted")[:1]
    )
    return studies.annotate(
        consent_in_force=Coalesce(Subquery(newest, output_field=BooleanField()), Value(False))
    ).select_related("candidate")


def case_studies_in_force(studies: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """Only the case studies whose learner's newest case-study consent is a yes."""
    return case_studies_with_consent(studies).filter(Q(consent_in_force=True))


def case_studies_for_report(narrative: ReportNarrative | None) -> list[CaseStudy]:
    """The narrative's chosen case studies whose learner's consent is still in force (withdrawn: left out)."""
    if narrative is None:
        return []
    return list(case_studies_in_force(narrative.case_studies.all()).order_by("title"))


def narrative_for(*, academy_id: int | None, quarter: Quarter) -> ReportNarrative | None:
    """The narrative managers wrote for the academy's quarter, if any."""
    if academy_id is None:
        return None
    return ReportNarrative.objects.filter(academy_id=academy_id, period_start=quarter.start).first()


@dataclass(frozen=True)
class AreaAssessment:
    """The latest self-assessment of one area, and how it moved since the one before."""

    area: str
    area_label: str
    latest: SelfAssessment | None
    previous: SelfAssessment | None

    @property
    def change(self) -> str:
        if self.latest is None:
            return ""
        if self.previous is None:
            return "First assessment"
        before, now = self.previous.level, self.latest.level
        if now.rank > before.rank:
            return f"Up from {before.name}"
        if now.rank < before.rank:
            return f"Down from {before.name}"
        return "No change"


def self_assessment_summary(*, academy_id: int | None, as_of: date) -> list[AreaAssessment]:
    """Each area of the academy model: the newest assessment on or before `as_of` and the one before it.

    One query: the two newest rows per area, picked by a window function in the database."""
    if academy_id is None:
        return []
    ranked = (
        SelfAssessment.objects.filter(academy_id=academy_id, assessed_on__lte=as_of)
        .select_related("level", "target_level")
        .annotate(
            newest=Window(RowNumber(), partition_by=[F("area")], order_by=[F("assessed_on").desc(), F("id").desc()])
        )
        .filter(newest__lte=2)
    )
    by_area: dict[str, list[SelfAssessment]] = {}
    for row in ranked.order_by("area", "newest"):
        by_area.setdefault(row.area, []).append(row)
    summary = []
    for area in AssessmentArea:
        rows = by_area.get(area.value, [])
        summary.append(
            AreaAssessment(
                area=area.value,
                area_label=str(area.label),
                latest=rows[0] if rows else None,
                previous=rows[1] if len(rows) > 1 else None,
            )
        )
    return summary


def maturity_levels() -> QuerySet[MaturityLevel]:
    """The maturity scale, least mature first."""
    return MaturityLevel.objects.order_by("rank")
