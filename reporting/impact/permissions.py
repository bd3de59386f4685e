"""Who may see, ask for and download impact reports, and write what goes in them (see academy.permissions).

Managers work on the reports of the academy in use; a regional viewer reads (and downloads) those of
every academy in their region, and the region's own reports. Staff who are not managers see none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from academy.tenancy import academy_in_use_id, access_of, can_change_in_academy
from reporting.models import CaseStudy, ImpactReport, ReportNarrative, SelfAssessment
from reporting.permissions import can_view_reports


def _readable_academy_ids(user: User) -> list[int]:
    return access_of(user).readable_ids if is_academy_staff(user) else []


def impact_reports_visible_to(user: User) -> QuerySet[ImpactReport]:
    """Reports about an academy the person may open (theirs or their region's), and their regions' reports."""
    if not is_academy_staff(user):
        return ImpactReport.objects.none()
    return ImpactReport.objects.filter(
        Q(academy_id__in=_readable_academy_ids(user)) | Q(region__viewers__user=user)
    ).distinct()


def can_view_impact_reports(user: User, obj: Any = None) -> bool:
    """Whoever sees the dashboard (managers, regional managers) sees and downloads report versions."""
    return can_view_reports(user)


def can_manage_impact_reports(user: User, obj: Any = None) -> bool:
    """Managers of the academy in use ask for reports and write their narrative, assessments and case studies."""
    return is_manager(user) and can_change_in_academy(user, academy_in_use_id(user))


def _in_use_academy(user: User) -> list[int]:
    academy_id = academy_in_use_id(user)
    return [academy_id] if academy_id is not None and is_academy_staff(user) else []


def narratives_visible_to(user: User) -> QuerySet[ReportNarrative]:
    """Narratives of the academy in use."""
    return ReportNarrative.objects.filter(academy_id__in=_in_use_academy(user))


def self_assessments_visible_to(user: User) -> QuerySet[SelfAssessment]:
    """Self-assessments of the academy in use."""
    return SelfAssessment.objects.filter(academy_id__in=_in_use_academy(user))


def case_studies_visible_to(user: User) -> QuerySet[CaseStudy]:
    """Case studies of the academy in use (they name a learner: staff and managers only)."""
    return CaseStudy.objects.filter(academy_id__in=_in_use_academy(user))
