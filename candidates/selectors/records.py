"""What the staff view of one record reads: the record page, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from academy.audit_words import AuditLine
from academy.models import User
from academy.selectors import audit_entries_for_object
from candidates.models import (
    Candidate,
    CandidateBarrier,
    Consent,
    ConsentKind,
    ContactLog,
    DbsCheck,
    Document,
    EqualityMonitoring,
    PipelineStage,
    SelectionResult,
    StageChange,
)
from candidates.models.choices import Interest
from candidates.selectors.casework import ActionPlanSummary, action_plan_summary
from candidates.selectors.dbs import dbs_checks_for_candidate
from candidates.selectors.duplicates import DuplicateMatch, candidate_duplicates_of
from candidates.selectors.journey import (
    RecordSection,
    TimelineEntry,
    dbs_timeline,
    journey_timeline,
    missed_moves_timeline,
    record_sections,
    stage_timeline,
)
from candidates.selectors.learner import age_band, current_consents, document_list, equality_for


def candidate_scope(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """The records a staff page looks a record up in, with its stage and owner joined."""
    return candidates.select_related("stage", "owner")


@dataclass(frozen=True)
class StageHistoryRow:
    change: StageChange
    # When they left that stage (the next change), or None for the stage they are in now.
    left_at: datetime | None


@dataclass(frozen=True)
class CandidateDetail:
    candidate: Candidate
    barriers: list[CandidateBarrier]
    stage_history: list[StageHistoryRow]
    contacts: Sequence[ContactLog]
    action_plan: ActionPlanSummary
    selection_results: list[SelectionResult]
    documents: list[Document]
    # The consent in force for each kind (None if never asked), for candidates/_detail_consent.html.
    consents: dict[ConsentKind, Consent | None]
    possible_duplicates: list[DuplicateMatch]
    audit_entries: list[AuditLine]
    interests: list[str]
    age: int | None
    # Newest (current) first, for candidates/dbs/_detail_dbs.html: status and dates only.
    dbs_checks: list[DbsCheck]
    # What the apps above offer (courses: applications, enrolments, support payments).
    sections: list[RecordSection]
    # Status changes of every lifecycle (stages, applications, enrolments, DBS), newest first.
    timeline: list[TimelineEntry]


def stage_history(candidate: Candidate) -> list[StageHistoryRow]:
    """Every stage change, newest first, with when each stage was left (so time in it is known)."""
    changes = list(
        candidate.stage_changes.select_related("from_stage", "to_stage", "changed_by").order_by("-changed_at", "-pk")
    )
    return [
        StageHistoryRow(change=change, left_at=changes[i - 1].changed_at if i else None)
        for i, change in enumerate(changes)
    ]


def candidate_detail(*, candidate: Candidate, today: date, actor: User) -> CandidateDetail:
    """Everything the record page shows except equality answers, in a constant number of queries.

    `candidate` must come from candidate_scope (stage and owner joined). One query per related
    list, however many rows each has; the sections of other apps (candidates.selectors.journey)
    likewise, seen as `actor` may see them.
    """
    history = stage_history(candidate)
    dbs_checks = dbs_checks_for_candidate(candidate)
    sections = record_sections(candidate=candidate, actor=actor)
    return CandidateDetail(
        candidate=candidate,
        barriers=list(candidate.barriers.order_by("barrier")),
        stage_history=history,
        contacts=list(
            candidate.contacts.select_related("created_by")
            .annotate(
                is_overdue=ExpressionWrapper(
                    Q(follow_up_done_at__isnull=True, follow_up_on__lt=today), output_field=BooleanField()
                )
            )
            .order_by("-occurred_at", "-pk")
        ),
        action_plan=action_plan_summary(candidate=candidate, today=today),
        selection_results=list(
            candidate.selection_results.select_related("event", "decided_by").order_by("-event__held_on", "-pk")
        ),
        documents=list(document_list(candidate)),
        consents=current_consents(candidate),
        possible_duplicates=candidate_duplicates_of(candidate),
        audit_entries=audit_entries_for_object(candidate),
        interests=[str(Interest(code).label) for code in candidate.interests if code in Interest.values],
        age=candidate.age_on(today),
        dbs_checks=dbs_checks,
        sections=sections,
        timeline=journey_timeline(
            stage_timeline(row.change for row in history),
            missed_moves_timeline(candidate),
            dbs_timeline(dbs_checks),
            *(section.timeline for section in sections),
        ),
    )


@dataclass(frozen=True)
class EqualityAnswers:
    answered: bool
    # (question, answer) pairs in form order; a blank answer reads "Not answered".
    rows: list[tuple[str, str]]
    age_band: str
    updated_at: datetime | None


def candidate_equality(*, candidate: Candidate, today: date) -> EqualityAnswers:
    """The candidate's equality answers for the staff page. Callers must log the view (equality_record_view)."""
    record = equality_for(candidate)
    rows = []
    for name in EqualityMonitoring.QUESTIONS:
        field = cast(models.Field, EqualityMonitoring._meta.get_field(name))
        answer = getattr(record, f"get_{name}_display")() if record is not None else ""
        rows.append((str(field.verbose_name).capitalize(), answer or "Not answered"))
    return EqualityAnswers(
        answered=record is not None,
        rows=rows,
        age_band=age_band(candidate, today),
        updated_at=record.updated_at if record is not None else None,
    )


def active_stages() -> QuerySet[PipelineStage]:
    """Stages someone can be moved into, in pipeline order."""
    return PipelineStage.objects.filter(is_active=True).order_by("position", "name")
