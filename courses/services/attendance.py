"""Taking the register: one save for the whole cohort, each learner's row checked on its own.

A bad row (a mark that is not one of the four, a note that is too long, a learner who is not on
the cohort or who left before the session) is reported and the other rows are still saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from courses.models import Attendance, Enrolment, Session
from courses.selectors.delivery import expected_at_session, register_problem

NOTE_MAX_LENGTH = Attendance._meta.get_field("note").max_length or 200
NOT_ON_REGISTER = "A mark for someone who is not on this register was refused: nothing was saved for them."


@dataclass(frozen=True)
class RowMark:
    """One learner's row as submitted: their enrolment's public id, the mark and an optional note."""

    enrolment: uuid.UUID
    mark: str
    note: str = ""


@dataclass(frozen=True)
class RegisterSaved:
    """What a save did: rows written (new or changed), rows already as submitted, and each bad row's error."""

    saved: Sequence[Attendance] = ()
    unchanged: int = 0
    errors: dict[uuid.UUID, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """How many of the saved rows got each mark."""
        counts: dict[str, int] = {}
        for row in self.saved:
            counts[row.mark] = counts.get(row.mark, 0) + 1
        return counts


def _row_error(enrolment: Enrolment, *, mark: str, note: str) -> str:
    name = enrolment.candidate.full_name
    if mark not in Attendance.Mark.values:
        return f"Select present, late, absent with reason or absent without reason for {name}"
    if len(note) > NOTE_MAX_LENGTH:
        return f"The note for {name} must be {NOTE_MAX_LENGTH} characters or fewer"
    return ""


@transaction.atomic
def attendance_register_save(*, session: Session, rows: Sequence[RowMark], actor: User) -> RegisterSaved:
    """Record the marks of the session's register; bad rows are reported in `errors`, the others saved.

    Rows identical to what is recorded are left alone (their recorded_by and recorded_at stay).
    One statement writes every new or changed row (an upsert, so two people saving the same
    register at once cannot collide), and one audit entry on the session lists the changes.
    Raises ValidationError when the register cannot be taken at all (see register_problem).
    """
    problem = register_problem(session, today=timezone.localdate())
    if problem:
        raise ValidationError(problem)
    wanted = {row.enrolment for row in rows}
    expected = {
        e.public_id: e for e in expected_at_session(session).filter(public_id__in=wanted).select_related("candidate")
    }
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session, enrolment__public_id__in=wanted)}
    now = timezone.now()
    errors: dict[uuid.UUID, str] = {}
    to_write: list[Attendance] = []
    unchanged = 0
    for row in rows:
        enrolment = expected.get(row.enrolment)
        if enrolment is None:
            # Not on the cohort, or left before the session: never say who it was.
            errors[row.enrolment] = NOT_ON_REGISTER
            continue
        note = row.note.strip()
        error = _row_error(enrolment, mark=row.mark, note=note)
        if error:
            errors[row.enrolment] = error
            continue
        current = existing.get(enrolment.pk)
        if current is not None and (current.mark, current.note) == (row.mark, note):
            unchanged += 1
            continue
        to_write.append(
            Attendance(
                session=session, enrolment=enrolment, mark=row.mark, note=note, recorded_by=actor, recorded_at=now
            )
        )
    if to_write:
        Attendance.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["session", "enrolment"],
            update_fields=["mark", "note", "recorded_by", "recorded_at"],
        )
        audit_log(
            actor=actor,
            action="attendance.register",
            obj=session,
            data={
                "cohort": str(session.cohort.public_id),
                "marks": {str(a.enrolment.public_id): a.mark for a in to_write},
                "refused": len(errors),
            },
        )
    return RegisterSaved(saved=to_write, unchanged=unchanged, errors=errors)
