"""Matrix rows for impact reports: versions, status, download, narrative, self-assessment, case studies.

Managers of the academy in use may do everything; staff are in scope but have no right (403); learners
and providers see nothing (404 for objects, 403 for pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile

from academy.models import Academy
from academy.periods import Quarter
from reporting.models import AssessmentArea, CaseStudy, ImpactReport, MaturityLevel, SelfAssessment
from tests.matrix import MANAGER_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of

QUARTER = Quarter.numbered(2026, 1)


def objects(fixture: Fixture) -> Objects:
    academy = Academy.objects.default()
    report = ImpactReport(
        academy=academy,
        scope_key=f"academy:{academy.pk}",
        period_start=QUARTER.start,
        period_end=QUARTER.end,
        quarter_label=QUARTER.label,
        filters={"academy_ids": [academy.pk]},
        status=ImpactReport.Status.READY,
        filename="impact-report.pdf",
        sha256="0" * 64,
        size=9,
        page_count=1,
    )
    report.file.save("impact-report.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    report.save()
    level = MaturityLevel.objects.order_by("rank")[0]
    assessment = SelfAssessment.objects.create(
        academy=academy, area=AssessmentArea.PIPELINE, assessed_on=date(2026, 5, 1), level=level
    )
    study = CaseStudy.objects.create(
        academy=academy, candidate=fixture("walk_in"), title="A story", display_name="W", story="Story."
    )
    return {"impact_report": report, "self_assessment": assessment, "case_study": study}


def _narrative(objs: Objects) -> dict[str, Any]:
    return {"year": QUARTER.financial_year, "number": QUARTER.number}


OBJECT_MANAGER_ONLY = expect(404, staff=403, manager=200)

ROWS = {
    "reporting:impact-report-list": Row(no_kwargs, "get", MANAGER_ONLY),
    # POST-only; an empty form is refused with its errors shown.
    "reporting:impact-report-request": Row(no_kwargs, "post", expect(403, manager=400)),
    "reporting:impact-report-status": Row(public_id_of("impact_report"), "get", OBJECT_MANAGER_ONLY),
    "reporting:impact-report-download": Row(public_id_of("impact_report"), "get", OBJECT_MANAGER_ONLY),
    "reporting:narrative-edit": Row(_narrative, "get", MANAGER_ONLY),
    "reporting:self-assessment-list": Row(no_kwargs, "get", MANAGER_ONLY),
    "reporting:self-assessment-create": Row(no_kwargs, "get", MANAGER_ONLY),
    "reporting:self-assessment-delete": Row(public_id_of("self_assessment"), "get", OBJECT_MANAGER_ONLY),
    "reporting:case-study-list": Row(no_kwargs, "get", MANAGER_ONLY),
    "reporting:case-study-create": Row(no_kwargs, "get", MANAGER_ONLY),
    "reporting:case-study-update": Row(public_id_of("case_study"), "get", OBJECT_MANAGER_ONLY),
    "reporting:case-study-delete": Row(public_id_of("case_study"), "get", OBJECT_MANAGER_ONLY),
    "reporting:case-study-consent-withdraw": Row(
        public_id_of("case_study"), "post", expect(404, staff=403, manager=302)
    ),
}
