"""Forms managers use to set up courses and their screening questions, and the course list's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin, PoundsField
from academy.models import FundingStream
from courses.models import Course, ScreeningQuestion


class StreamChoiceField(forms.ModelChoiceField[FundingStream]):
    """A funding stream, chosen by name; the label says when the stream runs."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", FundingStream.objects.order_by("name"))
        kwargs.setdefault("to_field_name", "public_id")
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "Not charged to a stream")
        kwargs.setdefault("error_messages", {"invalid_choice": "Choose a funding stream from the list"})
        super().__init__(**kwargs)

    def label_from_instance(self, obj: FundingStream) -> str:
        return f"{obj.name} ({obj.start_date:%-d %b %Y} to {obj.end_date:%-d %b %Y})"


def whole_number(
    label: str,
    *,
    name: str,
    minimum: int,
    maximum: int,
    unit: str = "",
    example: int = 10,
    required: bool = True,
    **kwargs: Any,
) -> forms.IntegerField:
    """A whole-number text input (numeric keypad on phones) whose errors say what to enter; `unit` like "%"."""
    unit = unit.replace("%", "%%")  # these messages are %-formatted with the limit
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {name.lower()}",
            "invalid": f"{name} must be a whole number, like {example}",
            "min_value": f"{name} must be {minimum}{unit} or more",
            "max_value": f"{name} must be {maximum}{unit} or less",
        },
        **kwargs,
    )


STATUS_CHOICES = [
    Choice(Course.Status.DRAFT, "Draft", hint="Only academy staff can see it."),
    Choice(Course.Status.PUBLISHED, "Published", hint="Learners find its open cohorts in the course finder."),
    Choice(Course.Status.ARCHIVED, "Archived", hint="No longer offered. Its cohorts and records are kept."),
]


class CourseForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save course"

    title = forms.CharField(
        label="Course title",
        max_length=150,
        error_messages={
            "required": "Enter the course title",
            "max_length": "Course title must be 150 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What learners will do and gain, in two or three sentences. Learners see it in the course finder.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a summary of the course"},
    )
    kind = forms.ChoiceField(
        label="Type of course",
        choices=Course.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of course", "invalid_choice": "Select the type of course"},
    )
    length_days = whole_number(
        "Length in training days",
        name="Length in training days",
        minimum=1,
        maximum=365,
        help_text="Days of training, not counting the work placement.",
    )
    placement_days = whole_number(
        "Work placement days",
        name="Work placement days",
        minimum=0,
        maximum=365,
        help_text="Enter 0 if the course has no work placement.",
    )
    guaranteed_interview = forms.BooleanField(label="The course ends with a guaranteed job interview", required=False)
    shared_with_region = forms.BooleanField(
        label="Open to learners of the other academies in the region",
        help_text="Your academy still runs its cohorts and decides on applications.",
        required=False,
    )
    entry_requirements = forms.CharField(
        label="Entry requirements (optional)",
        help_text="For example: aged 18 or over, the right to work in the UK, able to attend every day.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    funding_stream = StreamChoiceField(
        label="Funding stream (optional)",
        help_text="The grant or contract that usually pays for the course. Each cohort can be charged to another.",
    )
    attendance_bursary_amount = PoundsField(
        label="Attendance bursary in pounds (optional)",
        help_text="Paid to learners whose attendance reaches the level below, for example 60. Leave blank for none.",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Attendance bursary must be an amount in pounds, like 60 or 60.50",
            "min_value": "Attendance bursary must be more than £0, or left blank for none",
            "max_digits": "Attendance bursary must be £99,999.99 or less",
            "max_whole_digits": "Attendance bursary must be £99,999.99 or less",
            "max_decimal_places": "Attendance bursary must be in pounds and pence, like 60.50",
        },
    )
    attendance_bursary_threshold = whole_number(
        "Attendance needed for the bursary (%)",
        name="Attendance needed for the bursary",
        minimum=1,
        maximum=100,
        unit="%",
        example=90,
        help_text="The percentage of sessions attended (present or late), for example 90.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the course's status", "invalid_choice": "Select the course's status"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("title", field_width="two-thirds"),
            "summary",
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("length_days", field_width=3),
            Field.text("placement_days", field_width=3),
            Field.checkbox("guaranteed_interview", small=True),
            Field.checkbox("shared_with_region", small=True),
            "entry_requirements",
            Field.select("funding_stream"),
            Fieldset(
                Field.text("attendance_bursary_amount", field_width=5),
                Field.text("attendance_bursary_threshold", field_width=3),
                legend="Attendance bursary",
                legend_size=Size.SMALL,
            ),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Button("submit", self.submit_label),
        )

    @classmethod
    def initial_for(cls, course: Course | None) -> dict[str, Any]:
        if course is None:
            return {"placement_days": 0, "attendance_bursary_threshold": 90, "status": Course.Status.DRAFT}
        return {name: getattr(course, name) for name in cls.base_fields}


class QuestionForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save question"

    text = forms.CharField(
        label="Question",
        max_length=300,
        help_text="For example: Why do you want to work in adult social care?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the question", "max_length": "Question must be 300 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="How applicants answer",
        choices=[
            Choice(ScreeningQuestion.Kind.TEXT, "In their own words"),
            Choice(ScreeningQuestion.Kind.CHOICE, "By choosing one answer from a list"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how applicants answer", "invalid_choice": "Select how applicants answer"},
    )
    choices = forms.CharField(
        label="Answers to choose from",
        help_text="Only if they choose from a list: one answer on each line, at least 2.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label="Applicants must answer this question", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "text",
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            "choices",
            Field.checkbox("required", small=True),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == ScreeningQuestion.Kind.CHOICE:
            lines = [line.strip() for line in cleaned.get("choices", "").splitlines() if line.strip()]
            if len(lines) < 2:
                self.add_error("choices", "Enter at least 2 answers to choose from, one on each line")
            elif len({line.lower() for line in lines}) < len(lines):
                self.add_error("choices", "Answers to choose from must all be different")
            elif any(len(line) > 200 for line in lines):
                self.add_error("choices", "Each answer to choose from must be 200 characters or fewer")
        return cleaned

    @classmethod
    def initial_for(cls, question: ScreeningQuestion | None) -> dict[str, Any]:
        if question is None:
            return {"kind": ScreeningQuestion.Kind.TEXT, "required": True}
        return {name: getattr(question, name) for name in cls.base_fields}


class CourseFilterForm(forms.Form):
    q = forms.CharField(label="Search by title", required=False)
    kind = forms.ChoiceField(label="Type", choices=[("", "All types"), *Course.Kind.choices], required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Course.Status.choices], required=False)
