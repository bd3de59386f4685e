"""Forms for casework: the contact log and the skills action plan."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from academy.forms import GovukFormHelperMixin
from candidates.forms.records import GovukDateField
from candidates.models import ContactLog

# A contact logged for an earlier day without a time is put at midday, so it sorts within that day.
DEFAULT_CONTACT_TIME = time(12, 0)


class ContactForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save contact"

    kind = forms.ChoiceField(label="Type of contact", choices=ContactLog.Kind.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label="Summary",
        help_text="What was said or agreed. Do not record health or other sensitive details unless you need them.",
        widget=forms.Textarea({"rows": 5}),
        max_length=5000,
    )
    occurred_on = GovukDateField(label="Date of contact", help_text="For example, 27 3 2026")
    occurred_time = forms.TimeField(
        label="Time (optional)",
        help_text="For example, 14:30. Leave blank for now (or midday on an earlier day).",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={"invalid": "Enter the time as hours and minutes, for example 14:30"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    follow_up_on = GovukDateField(
        label="Follow-up date (optional)",
        required=False,
        help_text="When someone should next get in touch. It shows in the owner's caseload until marked done.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            "summary",
            "occurred_on",
            Field.text("occurred_time", field_width=5),
            "follow_up_on",
            Button("submit", self.submit_label),
        )

    def occurred_at(self) -> datetime:
        """The contact's moment as an aware datetime, from the date and optional time."""
        day = self.cleaned_data["occurred_on"]
        at = self.cleaned_data.get("occurred_time")
        if at is None:
            if day == timezone.localdate():
                return timezone.now()
            at = DEFAULT_CONTACT_TIME
        return timezone.make_aware(datetime.combine(day, at))


class ActionItemForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Add to the plan"

    goal = forms.CharField(label="Goal", max_length=200, help_text="For example, pass Level 1 English.")
    action = forms.CharField(
        label="Action",
        max_length=300,
        help_text="What will be done towards it, for example enrol on the college course.",
    )
    owner = forms.CharField(
        label="Who will do it", max_length=100, help_text="For example, the learner, Sam at the academy, the college."
    )
    due_on = GovukDateField(label="Due date (optional)", required=False, help_text="For example, 30 4 2026")


class ActionReviewForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save review"

    held = forms.TypedChoiceField(
        label="Has the review taken place?",
        choices=[("yes", "Yes, record what was agreed"), ("no", "No, plan it for a date")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    review_on = GovukDateField(label="Review date")
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="Progress against the goals and what was agreed.",
        required=False,
        widget=forms.Textarea({"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("held", legend_size=Size.SMALL),
            "review_on",
            "notes",
            Button("submit", self.submit_label),
        )
