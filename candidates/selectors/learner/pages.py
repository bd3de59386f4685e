"""What the learner's self-service pages and the staff deletion-request screens read."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from candidates.models import Candidate, DataRequest, Document, EqualityMonitoring
from candidates.services.profile import PROFILE_STEPS, ProfileStep

COMPLETED = "Completed"
IN_PROGRESS = "In progress"
NOT_STARTED = "Not started"


@dataclass(frozen=True)
class StepStatus:
    step: ProfileStep
    status: str

    @property
    def is_completed(self) -> bool:
        return self.status == COMPLETED


def profile_overview(candidate: Candidate) -> list[StepStatus]:
    """Each profile step with its status: Completed, In progress (saved unfinished) or Not started."""
    done = set(candidate.profile_steps_done)
    statuses = []
    for step in PROFILE_STEPS:
        if step.slug in done:
            status = COMPLETED
        elif any(getattr(candidate, name) not in (None, "", []) for name in step.progress_fields) or (
            step.has_barriers and candidate.barriers.exists()
        ):
            status = IN_PROGRESS
        else:
            status = NOT_STARTED
        statuses.append(StepStatus(step=step, status=status))
    return statuses


def equality_for(candidate: Candidate) -> EqualityMonitoring | None:
    """The candidate's equality answers, or None if they have not given any."""
    return EqualityMonitoring.objects.filter(candidate=candidate).first()


def document_list(candidate: Candidate) -> QuerySet[Document]:
    """A candidate's documents, newest first, with the uploader."""
    return Document.objects.filter(candidate=candidate).select_related("uploaded_by").order_by("-uploaded_at", "-id")


def data_request_open(candidate: Candidate) -> DataRequest | None:
    """The candidate's open request to delete their data, if any."""
    return candidate.data_requests.filter(status=DataRequest.Status.OPEN).first()


def data_request_list(*, requests: QuerySet[DataRequest], status: str = "") -> QuerySet[DataRequest]:
    """Deletion requests for staff: open ones oldest first (the most urgent at the top)."""
    qs = requests.select_related("candidate", "resolved_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("requested_at", "id") if status == DataRequest.Status.OPEN else qs.order_by("-requested_at")


def data_request_due_by(data_request: DataRequest) -> date:
    """Requests must be answered within one calendar month (the same day next month, or its last day)."""
    requested = timezone.localdate(data_request.requested_at)
    year, month = (requested.year + 1, 1) if requested.month == 12 else (requested.year, requested.month + 1)
    return date(year, month, min(requested.day, calendar.monthrange(year, month)[1]))
