"""Forms managers use to set up a funding stream and its eligibility rules, and the stream list's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from academy.forms import GovukFormHelperMixin
from academy.models import FundingStream
from candidates.forms.records import GovukDateField
from candidates.models import EligibilityRule
from candidates.models.funding import RULE_CHOICES, RULE_OPERATORS
from courses.forms.catalogue import PoundsField, whole_number
from placements.services.funding import MAX_FOLLOW_UP_WEEKS, STREAM_FIELDS, follow_up_weeks_parse

TARGETS = (
    ("target_learners_engaged", "Learners engaged"),
    ("target_course_completions", "Course completions"),
    ("target_job_starts", "Job starts"),
    ("target_sustained_jobs", "Sustained jobs"),
    ("target_priority_group_learners", "Learners from priority groups"),
)


def _target(label: str) -> forms.IntegerField:
    return whole_number(f"{label} (optional)", name=label, minimum=0, maximum=1_000_000, example=60, required=False)


class StreamForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save stream"

    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="For example, Care Academy Core 2026 to 2027.",
        error_messages={"required": "Enter the stream's name", "max_length": "Name must be 150 characters or fewer"},
    )
    funder = forms.CharField(
        label="Funder",
        max_length=150,
        error_messages={"required": "Enter who funds it", "max_length": "Funder must be 150 characters or fewer"},
    )
    code = forms.CharField(
        label="Code",
        max_length=30,
        help_text="The funder's reference for this stream.",
        error_messages={"required": "Enter the stream's code", "max_length": "Code must be 30 characters or fewer"},
    )
    start_date = GovukDateField(label="Start date", help_text="The first day people and spend can count, e.g. 1 4 2026")
    end_date = GovukDateField(label="End date", help_text="The last day, e.g. 31 3 2027")
    budget = PoundsField(
        label="Budget for learner support in pounds",
        help_text="Approved and paid support payments count against it, for example 12000.",
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the budget, or 0",
            "invalid": "Enter the budget in pounds, like 12000",
            "min_value": "The budget must be £0.00 or more",
            "max_digits": "The budget must be £9,999,999,999.99 or less",
            "max_decimal_places": "The budget must be in pounds and pence, with no more than 2 decimal places",
        },
    )
    target_learners_engaged = _target("Learners engaged")
    target_course_completions = _target("Course completions")
    target_job_starts = _target("Job starts")
    target_sustained_jobs = _target("Sustained jobs")
    target_priority_group_learners = _target("Learners from priority groups")
    sustained_after_weeks = whole_number(
        "Sustained means still in work after (weeks)",
        name="Sustained point",
        minimum=1,
        maximum=MAX_FOLLOW_UP_WEEKS,
        example=26,
        help_text="The funder's definition, for example 26.",
    )
    follow_up_weeks = forms.CharField(
        label="Follow-up points (weeks after a job start)",
        help_text="Whole weeks in increasing order, separated by commas, including the sustained point: 4, 13, 26, 52.",
        max_length=200,
        error_messages={"required": "Enter the weeks after a job start to follow up at, like 4, 13, 26"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].error_messages["required"] = "Enter the start date"
        self.fields["end_date"].error_messages["required"] = "Enter the end date"
        self.helper.layout = Layout(
            Fieldset(
                Field.text("name", field_width="two-thirds"),
                Field.text("funder", field_width="two-thirds"),
                Field.text("code", field_width=20),
                "start_date",
                "end_date",
                Field.text("budget", field_width=10),
                legend="The stream",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *(Field.text(name, field_width=5) for name, _ in TARGETS),
                legend="Targets",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("sustained_after_weeks", field_width=3),
                Field.text("follow_up_weeks", field_width=20),
                legend="Follow-ups after a job start",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("notes", rows=3),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        if "follow_up_weeks" in cleaned:
            try:
                cleaned["follow_up_weeks"] = follow_up_weeks_parse(
                    cleaned["follow_up_weeks"], sustained_after_weeks=cleaned.get("sustained_after_weeks")
                )
            except ValidationError as exc:
                self.add_error("follow_up_weeks", exc.message_dict["follow_up_weeks"])
        return cleaned

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in STREAM_FIELDS}

    @classmethod
    def initial_for(cls, stream: FundingStream | None) -> dict[str, Any]:
        if stream is None:
            return {"sustained_after_weeks": 26, "follow_up_weeks": "4, 13, 26, 52"}
        initial = {name: getattr(stream, name) for name in STREAM_FIELDS}
        initial["follow_up_weeks"] = ", ".join(str(week) for week in stream.follow_up_weeks)
        return initial


def _values_hint() -> str:
    """What each kind of rule compares with, listing the codes managers may type (labels work too)."""
    Rule = EligibilityRule.Field
    rows = [
        (Rule.AGE.label, "a whole number of years, e.g. 19"),
        (Rule.MONTHS_OUT_OF_WORK.label, "a whole number of months, e.g. 6"),
        (Rule.SALARY.label, "pounds a year, e.g. 21000"),
        (Rule.POSTCODE_AREA.label, "postcode districts or areas, e.g. LS, BD1, WF"),
        *((Rule(field).label, ", ".join(codes)) for field, codes in ((f, list(RULE_CHOICES[f])) for f in RULE_CHOICES)),
    ]
    return format_html(
        "Separate several values with commas. {}",
        format_html_join("", "<br>{}: {}", rows),
    )


class EligibilityRuleForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save rule"

    field = forms.ChoiceField(
        label="What the rule checks",
        choices=[("", "Choose a fact"), *EligibilityRule.Field.choices],
        error_messages={"required": "Choose what the rule checks"},
    )
    operator = forms.ChoiceField(
        label="Comparison",
        choices=[("", "Choose a comparison"), *EligibilityRule.Operator.choices],
        help_text=(
            "Age and months out of work: at least or at most. Salary: below or at most. Qualification: at most, "
            "one of or not one of. Employment status, benefits and area: one of or not one of."
        ),
        error_messages={"required": "Choose how to compare"},
    )
    value = forms.CharField(
        label="Value",
        max_length=500,
        error_messages={
            "required": "Enter the value the rule compares with",
            "max_length": "The value must be 500 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = _values_hint()
        self.helper.layout = Layout(
            Field.select("field"),
            Field.select("operator"),
            Field.text("value", field_width="two-thirds"),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        field, operator = cleaned.get("field"), cleaned.get("operator")
        if field and operator and operator not in RULE_OPERATORS[field]:
            allowed = " or ".join(f"'{EligibilityRule.Operator(op).label}'" for op in RULE_OPERATORS[field])
            self.add_error("operator", f"{EligibilityRule.Field(field).label} can only be compared with {allowed}")
        return cleaned


class StreamFilterForm(forms.Form):
    q = forms.CharField(label="Name, funder or code", required=False, max_length=100)
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All streams"), ("open", "Open today"), ("closed", "Closed today")],
    )


class LearnerSearchForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=100)
