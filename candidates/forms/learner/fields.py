"""Fields and checks shared by the learner's forms: UK postcode and phone, date of birth, yes/no."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

MINIMUM_AGE = 16


class DateOfBirthField(forms.MultiValueField):
    """GOV.UK date input (day, month and year boxes) with messages that say what to fix."""

    widget = DateInputWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> date | None:
        parts = [str(v).strip() if v is not None else "" for v in [*list(value or []), "", "", ""][:3]]
        day, month, year = parts
        if not any(parts):
            if self.required:
                raise ValidationError("Enter your date of birth", code="required")
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"Date of birth must include a {' and a '.join(missing)}", code="incomplete")
        if not all(part.isdigit() for part in parts):
            raise ValidationError("Date of birth must be a real date, like 27 3 1990", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers, like 1990", code="year")
        try:
            born = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError("Date of birth must be a real date, like 27 3 1990", code="invalid") from exc
        today = timezone.localdate()
        if born >= today:
            raise ValidationError("Date of birth must be in the past", code="future")
        if born.year < 1900:
            raise ValidationError("Date of birth must be after 1900", code="too_old")
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < MINIMUM_AGE:
            raise ValidationError(f"You must be {MINIMUM_AGE} or over to join the academy", code="too_young")
        return born


class TelInput(forms.TextInput):
    input_type = "tel"


YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A Yes/No question as radios, cleaned to True/False (None when not answered)."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes or no: {label[0].lower()}{label[1:]}"},
    )


def radios(label: str, choice_list: list[tuple[str, str]], *, required_message: str, help_text: str = "") -> Any:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choice_list,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


def answered(value: Any) -> bool:
    return value is not None and value != "" and value != []
