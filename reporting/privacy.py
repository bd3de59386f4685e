"""The reporting app's tables that hold a person's data: how each merges, exports and is anonymised.

Collected by candidates.services.personal_data (discovered, never imported by candidates). Figures are
computed from other apps' tables; the only personal rows here are case studies, which tell a learner's
story with their consent.
"""

from __future__ import annotations

from typing import Any

from academy.models import User
from academy.personal_data import ExportSection, PersonalTable, delete, keep, move_all
from candidates.models import Candidate
from reporting.models import CaseStudy, ReportNarrative


def _export_case_studies(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    return [
        {"title": s.title, "name_used": s.display_name, "story": s.story, "written": s.created_at}
        for s in CaseStudy.objects.filter(candidate=candidate).order_by("created_at", "pk")
    ]


PERSONAL_TABLES = [
    PersonalTable(
        model=CaseStudy,
        person="candidate",
        label="Case studies",
        merge=move_all,
        # A story tells who the person is and counts in no figure: erasure deletes it (published
        # reports already built keep what they said, as any published document does).
        anonymise=delete,
        export=(ExportSection("case_studies", "Your story in the academy's reports", _export_case_studies),),
    ),
    PersonalTable(
        model=ReportNarrative,
        person="case_studies__candidate",
        label="Report narratives choosing a case study",
        merge=None,
        anonymise=keep("The academy's own text; its link to the person's case study goes when the study is deleted."),
        not_exported="The academy's narrative for a quarter; the case study it chose is exported with case studies.",
    ),
]
