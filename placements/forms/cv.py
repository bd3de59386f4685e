"""Forms for the learner's CV (the CV and its work history rows) and staff's comments."""

from __future__ import annotations

import calendar
import re
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from academy.forms import GovukFormHelperMixin
from placements.services.cv import COMMENT_MAX_LENGTH, MAX_WORK_HISTORY, STATEMENT_MAX_LENGTH

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}


class MonthField(forms.CharField):
    """A month and year as people write it ("03/2024", "3 2024", "March 2024", "2024-03"), kept as "YYYY-MM"."""

    def __init__(self, *, name: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.name = name
        self.error_messages["required"] = f"Enter the {name}"

    def to_python(self, value: Any) -> str:
        text = str(value or "").strip().lower()
        if not text:
            return ""
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        numeric = re.fullmatch(r"(\d{1,2})\s*[/ .-]\s*(\d{4})", text)
        words = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", text)
        if iso:
            year, month = int(iso[1]), int(iso[2])
        elif numeric:
            month, year = int(numeric[1]), int(numeric[2])
        elif words and words[1] in _MONTHS:
            month, year = _MONTHS[words[1]], int(words[2])
        else:
            raise forms.ValidationError(f"Enter the {self.name} as a month and year, like 03/2024", code="invalid")
        if not 1 <= month <= 12 or not 1940 <= year <= 2100:
            raise forms.ValidationError(f"The {self.name} must be a real month and year, like 03/2024", code="invalid")
        return f"{year:04d}-{month:02d}"


class CvForm(GovukFormHelperMixin, forms.Form):
    personal_statement = forms.CharField(
        label="Personal statement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=STATEMENT_MAX_LENGTH,
        help_text="A few sentences about you: why you want to work in care and what you bring.",
        error_messages={"max_length": f"The personal statement must be {STATEMENT_MAX_LENGTH} characters or fewer"},
    )
    skills = forms.CharField(
        label="Skills",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1500,
        help_text="One on each line, for example: listening, cooking, first aid, a driving licence, languages.",
        error_messages={"max_length": "Skills must be 1500 characters or fewer"},
    )
    interests = forms.CharField(
        label="Interests and achievements",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1500,
        error_messages={"max_length": "Interests and achievements must be 1500 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("personal_statement", "skills", "interests")
        self.helper.disable_csrf = True  # the page's one form has its own token


class WorkHistoryEntryForm(forms.Form):
    employer = forms.CharField(
        label="Employer or organisation",
        max_length=120,
        required=False,
        error_messages={"max_length": "The employer must be 120 characters or fewer"},
    )
    role = forms.CharField(
        label="Role",
        max_length=120,
        required=False,
        help_text="Paid, voluntary or caring for someone all count.",
        error_messages={"max_length": "The role must be 120 characters or fewer"},
    )
    start = MonthField(name="start", label="From", required=False, help_text="Month and year, like 03/2024")
    end = MonthField(name="end", label="To (optional)", required=False, help_text="Leave blank if you still do it")
    summary = forms.CharField(
        label="What you did (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=600,
        error_messages={"max_length": "What you did must be 600 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No layout: the formset adds its "remove" box after this, and crispy renders every field.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.cleaned_data.get("DELETE"):
            return cleaned
        filled = any(cleaned.get(k) for k in ("employer", "role", "start", "end", "summary"))
        if not filled:
            return cleaned
        if not cleaned.get("employer") and "employer" not in self.errors:
            self.add_error("employer", "Enter the employer or organisation")
        if not cleaned.get("role") and "role" not in self.errors:
            self.add_error("role", "Enter the role")
        if not cleaned.get("start") and "start" not in self.errors:
            self.add_error("start", "Enter when it began, like 03/2024")
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end must be the same month as the start or later")
        return cleaned

    def as_entry(self) -> dict[str, str] | None:
        """The entry as Cv.work_history keeps it, or None for a blank or removed row."""
        data = self.cleaned_data
        if data.get("DELETE") or not any(data.get(k) for k in ("employer", "role", "start", "end", "summary")):
            return None
        return {
            "employer": data["employer"],
            "role": data["role"],
            "from": data["start"],
            "to": data["end"],
            "summary": data["summary"],
        }


class BaseWorkHistoryFormSet(forms.BaseFormSet[forms.Form]):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this job from my CV"


WorkHistoryFormSet = forms.formset_factory(
    WorkHistoryEntryForm,
    formset=BaseWorkHistoryFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_WORK_HISTORY,
    validate_max=True,
)


def month_as_typed(value: str) -> str:
    """ "2024-03" as the form asks for it, "03/2024"."""
    year, _, month = value.partition("-")
    return f"{month}/{year}" if month else value


def work_history_initial(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        {
            "employer": e.get("employer", ""),
            "role": e.get("role", ""),
            "start": month_as_typed(e.get("from", "")),
            "end": month_as_typed(e.get("to", "")),
            "summary": e.get("summary", ""),
        }
        for e in entries
    ]


class CvCommentForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Add comment"

    body = forms.CharField(
        label="Comment for the learner",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH,
        help_text="The learner sees it on their CV page and can mark it as dealt with.",
        error_messages={
            "required": "Enter your comment",
            "max_length": f"The comment must be {COMMENT_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("body"), Button("submit", self.submit_label))
