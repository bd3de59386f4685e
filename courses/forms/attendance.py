"""The attendance register: one small form per learner, keyed by their enrolment's public id.

Keying each row by the enrolment (its form prefix) rather than by position means a register
opened before someone paused still marks the right people when it is saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms

from courses.models import Attendance, Enrolment
from courses.selectors.delivery import is_flagged
from courses.services.attendance import NOTE_MAX_LENGTH, RowMark

MARK_FIELD_SUFFIX = "-mark"


class AttendanceRowForm(forms.Form):
    """One learner's row: the mark (radios) and an optional note; a row left blank is skipped."""

    mark = forms.ChoiceField(choices=Attendance.Mark.choices, widget=forms.RadioSelect, required=False)
    note = forms.CharField(max_length=NOTE_MAX_LENGTH, required=False, strip=True)

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, enrolment: Enrolment, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__(data, prefix=str(enrolment.public_id), initial=initial)
        self.enrolment = enrolment
        self.set_percent(getattr(enrolment, "attendance_percent", None))
        name = enrolment.candidate.full_name
        self.fields["mark"].error_messages["invalid_choice"] = (
            f"Select present, late, absent with reason or absent without reason for {name}"
        )
        self.fields["note"].error_messages["max_length"] = (
            f"The note for {name} must be {NOTE_MAX_LENGTH} characters or fewer"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("note") and not cleaned.get("mark") and "mark" not in self.errors:
            self.add_error(
                "mark", f"Select present, late or absent for {self.enrolment.candidate.full_name}, or clear the note"
            )
        return cleaned

    def set_percent(self, percent: Decimal | None) -> None:
        """The learner's attendance so far, shown on the row (flagged below the threshold)."""
        self.percent = percent
        self.flagged = is_flagged(self.enrolment, percent)

    @property
    def mark_submitted(self) -> bool:
        return self.is_bound and bool(self.data.get(self.add_prefix("mark")))

    def error_anchors(self) -> list[tuple[str, str]]:
        """(element id, message) for each error, for the error summary."""
        anchors = [(f"id_{self.prefix}-mark_0", str(e)) for e in self.errors.get("mark", [])]
        anchors += [(f"id_{self.prefix}-note", str(e)) for e in self.errors.get("note", [])]
        return anchors


class RegisterForm:
    """The whole register: a row form per expected learner, plus marks posted for anyone else.

    `fill_blank` (e.g. "present") marks every row left blank, for "mark everyone else present".
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        enrolments: Sequence[Enrolment],
        initial: Mapping[int, Attendance] | None = None,
        only: uuid.UUID | None = None,
        fill_blank: str = "",
    ) -> None:
        initial = initial or {}
        if data is not None and fill_blank:
            data = _fill_blank_marks(data, enrolments, fill_blank)
        self.rows = [
            AttendanceRowForm(
                data,
                enrolment=e,
                initial={"mark": initial[e.pk].mark, "note": initial[e.pk].note} if e.pk in initial else {},
            )
            for e in enrolments
        ]
        self.only = only
        expected = {str(e.public_id) for e in enrolments}
        # Marks posted for learners who are not on this register: refused and reported, never dropped silently.
        self.unknown = sorted(
            key.removesuffix(MARK_FIELD_SUFFIX)
            for key in (data or {})
            if key.endswith(MARK_FIELD_SUFFIX) and key.removesuffix(MARK_FIELD_SUFFIX) not in expected
        )
        self.refused = 0
        self.top_errors: list[str] = []

    def __iter__(self) -> Iterator[AttendanceRowForm]:
        return iter(self.rows)

    def row_for(self, enrolment: uuid.UUID) -> AttendanceRowForm | None:
        return next((row for row in self.rows if row.enrolment.public_id == enrolment), None)

    def submitted(self) -> list[AttendanceRowForm]:
        """The rows to act on: every row, or only the one a single-row save (htmx) sent."""
        return [row for row in self.rows if self.only is None or row.enrolment.public_id == self.only]

    def row_marks(self) -> list[RowMark]:
        """Valid, marked rows as RowMarks (call after checking each row with is_valid), plus unknown ones."""
        marks = [
            RowMark(row.enrolment.public_id, row.cleaned_data["mark"], row.cleaned_data["note"])
            for row in self.submitted()
            if row.is_valid() and row.cleaned_data["mark"]
        ]
        for key in self.unknown if self.only is None else ():
            try:
                marks.append(RowMark(uuid.UUID(key), "", ""))
            except ValueError:
                self.refused += 1
        return marks

    def add_row_errors(self, errors: Mapping[uuid.UUID, str]) -> None:
        """Put a service's errors on their rows; errors for learners not on the form are counted as refused."""
        for enrolment, message in errors.items():
            row = self.row_for(enrolment)
            if row is None:
                self.refused += 1
            else:
                row.add_error("mark", message)

    def set_percents(self, enrolments: Sequence[Enrolment]) -> None:
        """Refresh each row's attendance so far (after a save) from freshly annotated enrolments."""
        percents = {e.pk: getattr(e, "attendance_percent", None) for e in enrolments}
        for row in self.rows:
            row.set_percent(percents.get(row.enrolment.pk))

    def check_something_marked(self) -> None:
        """A whole-register save with no learner marked is an error, not an empty success."""
        if not any(row.mark_submitted for row in self.rows) and not self.unknown:
            self.top_errors.append("Select present, late or absent for at least one learner")

    @property
    def has_errors(self) -> bool:
        return bool(self.refused or self.top_errors) or any(row.is_bound and row.errors for row in self.rows)

    @property
    def refused_message(self) -> str:
        if not self.refused:
            return ""
        people = "someone who is" if self.refused == 1 else f"{self.refused} people who are"
        return f"Attendance for {people} not on this register was refused and not saved."

    def error_anchors(self) -> list[tuple[str, str]]:
        """(element id, message) for the error summary, in register order."""
        return [anchor for row in self.rows if row.is_bound for anchor in row.error_anchors()]


def _fill_blank_marks(data: Mapping[str, Any], enrolments: Sequence[Enrolment], mark: str) -> dict[str, Any]:
    filled = {key: data.get(key) for key in data}
    for e in enrolments:
        key = f"{e.public_id}{MARK_FIELD_SUFFIX}"
        if not filled.get(key):
            filled[key] = mark
    return filled
