"""Forms for running a cohort: pausing a learner, rejoining a later cohort, messaging the cohort."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet

from academy.forms import GovukFormHelperMixin
from courses.models import Cohort

SUBJECT_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5000


class EnrolmentPauseForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Pause enrolment"

    reason = forms.CharField(
        label="Why are they pausing?",
        help_text="For example, illness or childcare. Only academy staff see this.",
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        error_messages={
            "required": "Enter why the learner is pausing, for example illness or childcare",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )


class RejoinCohortField(forms.ModelChoiceField):
    """Later cohorts as radios: name, dates and seats left (the queryset carries `seats_taken`)."""

    def label_from_instance(self, obj: Any) -> str:
        seats = obj.capacity - obj.seats_taken
        return (
            f"{obj.name}: {obj.start_date:%-d %b %Y} to {obj.end_date:%-d %b %Y}, "
            f"{seats} seat{'s' if seats != 1 else ''} left"
        )


class EnrolmentRejoinForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Rejoin this cohort"

    cohort = RejoinCohortField(
        label="Which cohort are they rejoining?",
        queryset=Cohort.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the cohort the learner is rejoining",
            "invalid_choice": "That cohort is no longer available (it may have filled up): select another",
        },
    )

    def __init__(self, *args: Any, cohorts: QuerySet[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.radios("cohort", legend_size=Size.MEDIUM, legend_tag="h2"),
            Button("submit", self.submit_label),
        )


class CohortMessageForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Continue"

    subject = forms.CharField(
        label="Subject",
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={
            "required": "Enter a subject",
            "max_length": f"The subject must be {SUBJECT_MAX_LENGTH} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Message",
        help_text="Each learner gets their own email starting “Dear” and their first name, signed with your name.",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea({"rows": 8}),
        error_messages={
            "required": "Enter a message",
            "max_length": f"The message must be {BODY_MAX_LENGTH} characters or fewer",
        },
    )
