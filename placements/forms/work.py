"""Forms for work placements and the providers' readiness feedback."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html

from academy.forms import GovukFormHelperMixin
from candidates.forms.records import GovukDateField
from candidates.models import Candidate
from placements.models import WorkPlacement
from placements.services.feedback import COMMENT_MAX_LENGTH
from placements.services.work import REVIEW_MAX_LENGTH
from providers.models import Provider


class HoursField(forms.Field):
    """Hours as a Decimal to one place ("7.5", "16"), with plain error messages."""

    def __init__(self, *, name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.error_messages["required"] = f"Enter the {name}"
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(f"{self.name.capitalize()} cannot be below 0", code="negative")
        if not re.fullmatch(r"\d{1,3}(\.\d)?", text):
            raise forms.ValidationError(
                f"Enter the {self.name} as a number, to one decimal place at most, like 7.5", code="invalid"
            )
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only numbers
            raise forms.ValidationError(f"Enter the {self.name} as a number", code="invalid") from exc


class LearnerChoiceField(forms.ModelChoiceField[Candidate]):
    def label_from_instance(self, obj: Candidate) -> str:
        return obj.full_name


class WorkPlacementForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Arrange placement"

    candidate = LearnerChoiceField(
        label="Learner",
        queryset=Candidate.objects.none(),
        empty_label="Choose a learner",
        error_messages={"required": "Choose the learner", "invalid_choice": "Choose a learner from the list"},
    )
    provider = forms.ModelChoiceField(
        label="Care provider",
        queryset=Provider.objects.none(),
        empty_label="Choose a provider",
        error_messages={"required": "Choose the provider", "invalid_choice": "Choose a provider from the list"},
    )
    start_date = GovukDateField(label="Start date", help_text="On or after the cohort's start. For example, 3 3 2027")
    end_date = GovukDateField(label="End date", help_text="The last day of the placement.")
    planned_hours = HoursField(
        name="planned hours", label="Planned hours", help_text="In total, for example 16 for a 4-day placement."
    )
    supervisor_name = forms.CharField(
        label="Supervisor's name",
        max_length=120,
        error_messages={
            "required": "Enter the supervisor's name",
            "max_length": "Name must be 120 characters or fewer",
        },
    )
    supervisor_phone = forms.CharField(
        label="Supervisor's phone (optional)",
        max_length=30,
        required=False,
        error_messages={"max_length": "Phone must be 30 characters or fewer"},
    )

    def __init__(
        self,
        *args: Any,
        learners: QuerySet[Candidate],
        providers: QuerySet[Provider],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = learners  # type: ignore[attr-defined]
        if editing:
            # The learner stays the same; arrange a new placement for someone else.
            del self.fields["candidate"]
            self.submit_label = "Save changes"
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["start_date"].error_messages["required"] = "Enter the start date"
        self.fields["end_date"].error_messages["required"] = "Enter the end date"
        self.helper.layout = Layout(
            *(["candidate"] if "candidate" in self.fields else []),
            "provider",
            "start_date",
            "end_date",
            Field.text("planned_hours", field_width=5),
            Field.text("supervisor_name", field_width="two-thirds"),
            Field.text("supervisor_phone", field_width=20),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return cleaned


class WorkPlacementHoursForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save hours"

    worked_hours = HoursField(name="hours worked", label="Hours worked so far")

    def __init__(self, *args: Any, placement: WorkPlacement, most: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worked_hours"].help_text = (
            f"In total since the placement began. {placement.planned_hours} hours were planned; "
            f"you can record up to {most}."
        )
        self.helper.layout = Layout(Field.text("worked_hours", field_width=5), Button("submit", self.submit_label))


class WorkPlacementEndEarlyForm(GovukFormHelperMixin, forms.Form):
    submit_label = "End the placement early"

    reason = forms.CharField(
        label="Why did the placement end early?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text="The learner and the academy see this. For example: the learner found a job, or fell ill.",
        error_messages={
            "required": "Enter why the placement ended early",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("reason", Button.warning("submit", self.submit_label))


class WorkPlacementSignOffForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Sign off the placement"

    review = forms.CharField(
        label="Your review of the placement",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=REVIEW_MAX_LENGTH,
        help_text=(
            "A few sentences on what the learner did well and what to work on. The learner and the academy see it."
        ),
        error_messages={
            "required": "Enter a short review of how the placement went",
            "max_length": f"The review must be {REVIEW_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("review", Button("submit", self.submit_label))


class WorkPlacementFilterForm(forms.Form):
    q = forms.CharField(label="Learner, provider or cohort", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *WorkPlacement.Status.choices]
    )


RATING_CHOICES = [
    Choice(5, "5: ready for work now"),
    Choice(4, "4: ready, with a little support"),
    Choice(3, "3: nearly ready"),
    Choice(2, "2: needs more preparation"),
    Choice(1, "1: not ready"),
]


class ReadinessFeedbackForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send feedback"

    rating = forms.TypedChoiceField(
        label="How ready for work is the learner?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5", "invalid_choice": "Choose a rating from 1 to 5"},
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_MAX_LENGTH,
        help_text="What the course prepared them well for, and what it could do better. Only the academy sees it.",
        error_messages={"max_length": f"The comment must be {COMMENT_MAX_LENGTH} characters or fewer"},
    )

    def __init__(self, *args: Any, learner: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].label = format_html("How ready for work is {}?", learner)
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.MEDIUM, legend_tag="h2"),
            "comment",
            Button("submit", self.submit_label),
        )
