"""Candidates: the learner record and everything attached to it (a package: one module per concern)."""

from candidates.models.attribution import StreamAttribution
from candidates.models.candidate import (
    CURRENT,
    AcademyTransfer,
    Candidate,
    CandidateBarrier,
    CandidateQuerySet,
    PipelineStage,
    StageChange,
    current_q,
)
from candidates.models.casework import ActionPlanItem, ActionPlanReview, ContactLog
from candidates.models.choices import Milestone
from candidates.models.consent import Consent, ConsentKind, DataRequest
from candidates.models.dbs import DbsCheck, DbsPolicy, DbsReminder, DbsShare, DbsStatusCheck
from candidates.models.documents import Document
from candidates.models.equality import EqualityMonitoring
from candidates.models.funding import EligibilityRule
from candidates.models.imports import CandidateImport
from candidates.models.messages import CandidateMessage
from candidates.models.outreach import EventEnquiry, OutreachEvent
from candidates.models.selection import SelectionEvent, SelectionResult, SkillLevel

__all__ = [
    "CURRENT",
    "AcademyTransfer",
    "ActionPlanItem",
    "ActionPlanReview",
    "Candidate",
    "CandidateBarrier",
    "CandidateImport",
    "CandidateMessage",
    "CandidateQuerySet",
    "Consent",
    "ConsentKind",
    "ContactLog",
    "DataRequest",
    "DbsCheck",
    "DbsPolicy",
    "DbsReminder",
    "DbsShare",
    "DbsStatusCheck",
    "Document",
    "EligibilityRule",
    "EqualityMonitoring",
    "EventEnquiry",
    "Milestone",
    "OutreachEvent",
    "PipelineStage",
    "SelectionEvent",
    "SelectionResult",
    "SkillLevel",
    "StageChange",
    "StreamAttribution",
    "current_q",
]
