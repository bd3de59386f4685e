"""Selectors of learner self-service: its pages (.pages) and everything we hold about a learner (.export)."""

from candidates.selectors.consent import consent_history, current_consents
from candidates.selectors.learner.export import (
    DataSection,
    age_band,
    candidate_merged_records,
    learner_data_export,
    learner_data_sections,
)
from candidates.selectors.learner.pages import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    StepStatus,
    data_request_due_by,
    data_request_list,
    data_request_open,
    document_list,
    equality_for,
    profile_overview,
)

__all__ = [
    "COMPLETED",
    "IN_PROGRESS",
    "NOT_STARTED",
    "DataSection",
    "StepStatus",
    "age_band",
    "candidate_merged_records",
    "consent_history",
    "current_consents",
    "data_request_due_by",
    "data_request_list",
    "data_request_open",
    "document_list",
    "equality_for",
    "learner_data_export",
    "learner_data_sections",
    "profile_overview",
]
