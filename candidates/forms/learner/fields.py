"""Fields and checks shared by the learner's forms: UK postcode and phone, date of birth, yes/no."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

MINIMUM_AGE = 16


# Outward code, then inward code (a digit and two letters, never C, I, K, M, O or V).
UK_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")
PHONE_ALLOWED = re.compile(r"^\+?[\d\s().-]+$")
UK_PHONE = re.compile(r"^0[1-9]\d{8,9}$")


def normalise_uk_postcode(value: str) -> str:
    """Upper case, one space before the inward code ("ls11aa" -> "LS1 1AA"); ValidationError if not UK."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if not UK_POSTCODE.match(compact):
        raise ValidationError("Enter a real UK postcode, like LS1 4AP", code="invalid")
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_uk_phone(value: str) -> str:
    """A UK number in national format with spaces ("+44 7700 900123" -> "07700 900123")."""
    raw = (value or "").strip()
    if not raw:
        return ""
    message = "Enter a UK phone number, like 07700 900 982 or 0113 496 0000"
    if not PHONE_ALLOWED.match(raw):
        raise ValidationError(message, code="invalid")
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if not digits.startswith("44"):
            raise ValidationError("Enter a UK phone number: numbers from other countries cannot be used", code="abroad")
        digits = "0" + digits[2:].removeprefix("0")  # "+44 (0)113 ..." has a stray 0 after the code
    if not UK_PHONE.match(digits) or (digits.startswith("07") and len(digits) != 11):
        raise ValidationError(message, code="invalid")
    if digits.startswith("02") and len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


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
