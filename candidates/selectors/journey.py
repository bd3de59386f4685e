"""A person's whole journey on the staff record page: sections other apps add, and one timeline.

candidates cannot import the apps above it, so each of them offers its part of the record in a
module named `record.py` with a function `record_sections(*, candidate, actor)` returning a list
of RecordSection (courses/record.py: applications, enrolments, support payments). Each section
names the template include that shows it and brings its own status changes for the timeline.
A hook must read a fixed number of queries whatever the number of rows (the record page's
query count is pinned in tests/candidates/test_journey.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from academy.discovery import app_hooks
from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck, StageChange


@dataclass(frozen=True)
class TimelineEntry:
    """One status change of any of the person's lifecycles, for the timeline (newest first)."""

    at: dt.datetime
    area: str
    what: str
    detail: str = ""
    by: str = ""
    # Steps recorded as a day (DBS dates) show no time.
    date_only: bool = False


@dataclass(frozen=True)
class RecordSection:
    """A part of the record page another app offers: its contents link, heading and template include."""

    anchor: str
    title: str
    template: str
    context: Mapping[str, object]
    timeline: Sequence[TimelineEntry] = field(default_factory=list)


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """Sections the apps above candidates add to the record, bottom layer first (their `record.py` hooks)."""
    sections: list[RecordSection] = []
    for hook in app_hooks("record", "record_sections"):
        sections.extend(hook(candidate=candidate, actor=actor))  # type: ignore[operator]
    return sections


def _name(user: User | None) -> str:
    return user.get_full_name() if user is not None else "System"


def stage_timeline(changes: Iterable[StageChange]) -> list[TimelineEntry]:
    """Pipeline moves as timeline entries (the changes must have their stages and changed_by joined)."""
    return [
        TimelineEntry(
            at=change.changed_at,
            area="Pipeline stage",
            what=f"Moved to {change.to_stage.name}"
            if change.from_stage_id
            else f"Record created in {change.to_stage.name}",
            detail="; ".join(
                part for part in (change.get_reason_display() if change.reason else "", change.note) if part
            ),
            by=_name(change.changed_by),
        )
        for change in changes
    ]


def missed_moves_timeline(candidate: Candidate) -> list[TimelineEntry]:
    """Moves a workflow could not make (candidates.services.pipeline.candidate_advance_to_milestone); one query."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id=str(candidate.pk),
        action="candidate.milestone_missed",
    ).select_related("actor")
    return [
        TimelineEntry(
            at=entry.created_at,
            area="Pipeline stage",
            what="Not moved on",
            detail=str(entry.data.get("problem", "")),
            by=_name(entry.actor) if entry.actor_id else entry.actor_label,
        )
        for entry in entries
    ]


# The dated steps of a DBS check, in the order they happen. Status and dates only, as on the page.
DBS_STEPS = (
    ("started_on", "DBS check started"),
    ("id_verified_on", "DBS: ID verified"),
    ("submitted_on", "DBS: application submitted"),
    ("certificate_issued_on", "DBS: certificate issued"),
    ("decision_on", "DBS: decision recorded"),
    ("withdrawn_on", "DBS check withdrawn"),
)


def dbs_timeline(checks: Iterable[DbsCheck]) -> list[TimelineEntry]:
    """Each dated step of each DBS check as a timeline entry (a day, shown without a time)."""
    entries = []
    for check in checks:
        for field_name, what in DBS_STEPS:
            day: dt.date | None = getattr(check, field_name)
            if day is not None:
                at = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
                entries.append(
                    TimelineEntry(at=at, area="DBS check", what=what, detail=check.get_level_display(), date_only=True)
                )
    return entries


def journey_timeline(*parts: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """All the entries, newest first."""
    return sorted((entry for part in parts for entry in part), key=lambda entry: entry.at, reverse=True)
