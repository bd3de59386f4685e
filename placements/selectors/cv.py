"""The CV page and its PDF: the learner's CV, the training the courses area records, and comments."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Max, Prefetch

from candidates.models import Candidate
from courses.models import Certificate, Enrolment
from placements.models import Cv, CvComment
from placements.services.cv import cv_for_candidate

CARE_CERTIFICATE_STANDARDS = 16


def month_label(value: str) -> str:
    """ "2024-03" as "March 2024"; blank (a role still held) as "now"."""
    if not value:
        return "now"
    year, _, month = value.partition("-")
    try:
        return f"{calendar.month_name[int(month)]} {int(year)}"
    except (ValueError, IndexError):
        return value


@dataclass(frozen=True)
class CvPage:
    candidate: Candidate
    cv: Cv
    completed: Sequence[Enrolment]  # completed courses, newest first, each with its certificates
    standards_met: int  # Care Certificate standards met (the most recorded on any enrolment)
    comments: Sequence[CvComment]

    @property
    def saved(self) -> bool:
        return self.cv.pk is not None

    @property
    def standards_total(self) -> int:
        return CARE_CERTIFICATE_STANDARDS

    @property
    def work_history(self) -> list[dict[str, str]]:
        """The entries with their months in words ("March 2024"; "now" for a role still held)."""
        return [
            {**entry, "from_label": month_label(entry.get("from", "")), "to_label": month_label(entry.get("to", ""))}
            for entry in self.cv.work_history
        ]

    @property
    def open_comments(self) -> int:
        return sum(1 for c in self.comments if c.resolved_at is None)


def cv_page(candidate: Candidate) -> CvPage:
    """Everything the CV shows, in four queries whatever the number of courses and comments."""
    cv = cv_for_candidate(candidate)
    enrolments = Enrolment.objects.filter(candidate=candidate)
    completed = list(
        enrolments.filter(status=Enrolment.Status.COMPLETED)
        .select_related("cohort__course")
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-issued_on", "pk")))
        .order_by("-cohort__end_date", "pk")
    )
    standards = enrolments.aggregate(most=Max("care_certificate_standards"))["most"] or 0
    comments = list(cv.comments.select_related("author").order_by("-created_at", "-pk")) if cv.pk else []
    return CvPage(candidate=candidate, cv=cv, completed=completed, standards_met=standards, comments=comments)
