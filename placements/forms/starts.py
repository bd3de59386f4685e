"""Forms of the interviews, offers, personnel folder, checklist and job-start pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from academy.forms import GovukFormHelperMixin
from candidates.forms.records import GovukDateField
from courses.forms.catalogue import whole_number
from courses.forms.scheduling import TimeTextField
from placements.models import MAX_WEEKLY_HOURS, ContractType, Interview, JobRole, PersonnelFolder, Reference
from providers.models import Provider

Outcome = Interview.Outcome


class HoursField(forms.DecimalField):
    """Hours per week, to the half hour, between 0.5 and the sane weekly maximum."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Hours per week",
            max_digits=4,
            decimal_places=1,
            min_value=Decimal("0.5"),
            max_value=Decimal(MAX_WEEKLY_HOURS),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            error_messages={
                "required": "Enter the hours per week",
                "invalid": "Hours per week must be a number, like 37.5",
                "min_value": "Hours per week must be 0.5 or more",
                "max_value": f"Hours per week must be {MAX_WEEKLY_HOURS} or less",
                "max_decimal_places": "Hours per week can have one decimal place, like 37.5",
                "max_digits": f"Hours per week must be {MAX_WEEKLY_HOURS} or less",
                "max_whole_digits": f"Hours per week must be {MAX_WEEKLY_HOURS} or less",
            },
            **kwargs,
        )


class InterviewForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send the invitation"

    date = GovukDateField(label="Date", help_text="For example, 14 3 2027")
    time = TimeTextField(name="start time", label="Start time", help_text="For example, 10am or 14:30")
    duration_minutes = whole_number("Length in minutes", name="Length", minimum=10, maximum=480, example=45, initial=45)
    location = forms.CharField(
        label="Place (optional if you give a video link)",
        max_length=200,
        required=False,
        help_text="The address, and where to go when they arrive.",
        error_messages={"max_length": "Place must be 200 characters or fewer"},
    )
    video_link = forms.URLField(
        label="Video link (optional)",
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the video link as a web address, like https://meet.example.com/abc"},
    )
    notes = forms.CharField(
        label="Notes for the learner (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, who they will meet and what to bring.",
        error_messages={"max_length": "Notes must be 2000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "date",
            Field.text("time", field_width=5),
            Field.text("duration_minutes", field_width=3),
            Field.text("location", field_width="two-thirds"),
            Field.text("video_link", field_width="two-thirds"),
            Field.textarea("notes"),
            Button("submit", self.submit_label),
        )

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "location": data["location"],
            "video_link": data["video_link"],
            "notes": data["notes"],
        }

    @classmethod
    def initial_for(cls, interview: Interview) -> dict[str, Any]:
        local = timezone.localtime(interview.starts_at)
        return {
            "date": local.date(),
            "time": local.time(),
            "duration_minutes": interview.duration_minutes,
            "location": interview.location,
            "video_link": interview.video_link,
            "notes": interview.notes,
        }


class InterviewCancelForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Cancel the interview"

    reason = forms.CharField(
        label="Why is it cancelled? (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 500 characters or fewer"},
    )


class InterviewOutcomeForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save the outcome"

    outcome = forms.ChoiceField(
        label="How did the interview go?",
        choices=[
            Choice(Outcome.SUCCESSFUL, "Successful", hint="You can offer them the place next."),
            Choice(Outcome.UNSUCCESSFUL, "Unsuccessful", hint="The application will not go further."),
            Choice(Outcome.DID_NOT_ATTEND, "Did not attend", hint="The application will not go further."),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the interview went", "invalid_choice": "Select how the interview went"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If unsuccessful, the learner sees these notes as feedback.",
        error_messages={"max_length": "Notes must be 2000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("notes"),
            Button("submit", self.submit_label),
        )


class OfferForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Make the offer"

    start_date = GovukDateField(label="Proposed start date", help_text="For example, 3 5 2027")


class OfferRespondForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send my answer"

    response = forms.ChoiceField(
        label="Do you accept the offer?",
        choices=[
            Choice("accept", "Yes, I accept the offer"),
            Choice("decline", "No, I decline the offer", hint="You cannot change your mind afterwards."),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept the offer", "invalid_choice": "Select an answer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("response", legend_size=Size.MEDIUM), Button("submit", self.submit_label)
        )


class FolderForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save the folder"

    employment_history = forms.CharField(
        label="Employment history",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Employers, roles and dates, most recent first; explain any gaps.",
        error_messages={"max_length": "Employment history must be 5000 characters or fewer"},
    )
    right_to_work_evidence = forms.ChoiceField(
        label="Right-to-work evidence seen (optional)",
        required=False,
        choices=[("", "Not seen yet"), *PersonnelFolder.RightToWorkEvidence.choices],
        error_messages={"invalid_choice": "Select the evidence from the list"},
    )
    right_to_work_seen_on = GovukDateField(label="Date you saw it (optional)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("employment_history"),
            Field.select("right_to_work_evidence"),
            "right_to_work_seen_on",
            Button("submit", self.submit_label),
        )


class ReferenceForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save the reference"

    referee_name = forms.CharField(
        label="Referee's name",
        max_length=120,
        error_messages={"required": "Enter the referee's name", "max_length": "Name must be 120 characters or fewer"},
    )
    relationship = forms.CharField(
        label="How they know the learner",
        max_length=120,
        help_text="For example: last employer, tutor, volunteer lead.",
        error_messages={
            "required": "Enter how the referee knows the learner",
            "max_length": "This must be 120 characters or fewer",
        },
    )
    referee_email = forms.EmailField(
        label="Email (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    referee_phone = forms.CharField(
        label="Phone (optional)",
        max_length=30,
        required=False,
        error_messages={"max_length": "Phone must be 30 characters or fewer"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Reference.Status.choices,
        widget=forms.RadioSelect,
        initial=Reference.Status.REQUESTED,
        error_messages={"required": "Select the reference's status", "invalid_choice": "Select the status"},
    )
    received_on = GovukDateField(label="Date received (if received)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("referee_name", field_width="two-thirds"),
            Field.text("relationship", field_width="two-thirds"),
            Field.text("referee_email", field_width="two-thirds"),
            Field.text("referee_phone", field_width=20),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            "received_on",
            Button("submit", self.submit_label),
        )


class StartDateAgreedForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save the start date"

    start_date = GovukDateField(label="Agreed start date")


class JobStartForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Confirm the start"

    job_role = forms.ChoiceField(
        label="Job role",
        choices=JobRole.choices,
        error_messages={"required": "Select the job role", "invalid_choice": "Select the job role from the list"},
    )
    hours_per_week = HoursField()
    contract_type = forms.ChoiceField(
        label="Contract",
        choices=ContractType.choices,
        error_messages={"required": "Select the contract", "invalid_choice": "Select the contract from the list"},
    )
    start_date = GovukDateField(label="Start date", help_text="The first day at work.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*self._fields(), Button("submit", self.submit_label))

    def _fields(self) -> list[Any]:
        return [
            Field.select("job_role"),
            Field.text("hours_per_week", field_width=4),
            Field.select("contract_type"),
            "start_date",
        ]


class JobStartRecordForm(JobStartForm):
    submit_label = "Record the start"

    employer_name = forms.CharField(
        label="Employer",
        max_length=200,
        error_messages={
            "required": "Enter the employer's name",
            "max_length": "Employer must be 200 characters or fewer",
        },
    )

    def _fields(self) -> list[Any]:
        return [Field.text("employer_name", field_width="two-thirds"), *super()._fields()]


MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")


class JobStartFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    month = forms.CharField(
        label="Month started (YYYY-MM)",
        required=False,
        max_length=7,
        error_messages={"max_length": "Enter the month like 2027-03"},
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label="All providers",
        error_messages={"invalid_choice": "Choose a provider from the list"},
    )

    def __init__(self, *args: Any, providers: QuerySet[Provider] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is None:
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = providers  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date | None:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        match = MONTH.match(text)
        if not match or not 1 <= int(match["month"]) <= 12:
            raise forms.ValidationError("Enter the month like 2027-03")
        return dt.date(int(match["year"]), int(match["month"]), 1)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        provider = data.get("provider")
        return {
            "month": data.get("month"),
            "provider_id": provider.pk if provider is not None else None,
            "search": data.get("q") or "",
        }
