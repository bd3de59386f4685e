"""Forms staff use to plan cohorts and sessions, and the cohort list's filters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html

from academy.forms import GovukFormHelperMixin
from candidates.forms.records import GovukDateField
from courses.forms.catalogue import StreamChoiceField, whole_number
from courses.models import Cohort, Course, Session
from courses.selectors.catalogue import Show, cohort_filter_course_choices

# "9:30", "09.30", "930", "14:00", "2pm", "2.30 pm", "12noon".
TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]?(?P<minute>\d{2}))?\s*(?P<half>am|pm|noon)?$")
WEEKDAYS = [(str(day), name) for day, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))]


class CourseChoiceField(forms.ModelChoiceField[Course]):
    def label_from_instance(self, obj: Course) -> str:
        return (
            f"{obj.title} ({obj.get_status_display().lower()})" if obj.status != Course.Status.PUBLISHED else obj.title
        )


class CohortForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save cohort"

    course = CourseChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        to_field_name="public_id",
        empty_label="Choose a course",
        error_messages={"required": "Choose the course", "invalid_choice": "Choose a course from the list"},
    )
    name = forms.CharField(
        label="Cohort name",
        max_length=120,
        help_text="Learners see it, for example Leeds, March 2027.",
        error_messages={
            "required": "Enter the cohort name",
            "max_length": "Cohort name must be 120 characters or fewer",
        },
    )
    start_date = GovukDateField(label="Start date", help_text="For example, 3 3 2027")
    end_date = GovukDateField(label="End date", help_text="The last day, including any work placement.")
    capacity = whole_number(
        "Capacity", name="Capacity", minimum=1, maximum=500, example=12, help_text="Number of places."
    )
    venue = forms.CharField(
        label="Venue (optional)",
        max_length=200,
        required=False,
        help_text="Where most sessions take place; a session can have its own.",
        error_messages={"max_length": "Venue must be 200 characters or fewer"},
    )
    town = forms.CharField(
        label="Town or city",
        max_length=80,
        help_text="Learners search the course finder by it.",
        error_messages={"required": "Enter the town or city", "max_length": "Town must be 80 characters or fewer"},
    )
    partner = forms.CharField(
        label="Partner college or trainer (optional)",
        max_length=150,
        required=False,
        error_messages={"max_length": "Partner college or trainer must be 150 characters or fewer"},
    )
    funding_stream = StreamChoiceField(
        label="Funding stream (optional)",
        help_text="Support payments for this cohort are charged to it. Leave blank to use the course's stream.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[
            Choice(Cohort.Status.PLANNED, "Planned", hint="Staff are preparing it. Learners cannot see it yet."),
            Choice(Cohort.Status.OPEN, "Open for applications", hint="Learners find it in the course finder."),
            Choice(Cohort.Status.CLOSED, "Closed for applications", hint="Learners see it, but cannot apply."),
            Choice(Cohort.Status.RUNNING, "Running"),
            Choice(Cohort.Status.FINISHED, "Finished"),
            Choice(Cohort.Status.CANCELLED, "Cancelled", hint="It will not run. Its history is kept."),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the cohort's status", "invalid_choice": "Select the cohort's status"},
    )

    def __init__(self, *args: Any, courses: QuerySet[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        self.fields["start_date"].error_messages["required"] = "Enter the start date"
        self.fields["end_date"].error_messages["required"] = "Enter the end date"
        self.helper.layout = Layout(
            "course",
            Field.text("name", field_width="two-thirds"),
            "start_date",
            "end_date",
            Field.text("capacity", field_width=3),
            Field.text("venue", field_width="two-thirds"),
            Field.text("town", field_width=20),
            Field.text("partner", field_width="two-thirds"),
            Field.select("funding_stream"),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return cleaned

    @classmethod
    def initial_for(cls, cohort: Cohort | None, course: Course | None = None) -> dict[str, Any]:
        if cohort is None:
            return {"course": course, "capacity": 12, "status": Cohort.Status.PLANNED}
        return {name: getattr(cohort, name) for name in cls.base_fields}


class TimeTextField(forms.CharField):
    """A time typed as people write it: 9:30, 09.30, 14:00, 2pm or 2:30pm."""

    def __init__(self, *, name: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("widget", forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.name = name
        self.error_messages["required"] = f"Enter the {name}"

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%H:%M}" if isinstance(value, dt.time) else value

    def clean(self, value: Any) -> dt.time | None:
        text = str(super().clean(value) or "").strip().lower().replace(" ", "")
        if not text:
            return None
        match = TIME.match(text)
        example = f"{self.name.capitalize()} must be a time, like 9:30am or 14:30"
        if not match:
            raise forms.ValidationError(example, code="invalid")
        hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
        if half == "noon":
            if (hour, minute) != (12, 0):
                raise forms.ValidationError(example, code="invalid")
        elif half:
            if not 1 <= hour <= 12:
                raise forms.ValidationError(example, code="invalid")
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(example, code="invalid")
        return dt.time(hour, minute)


class SessionForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save session"

    date = GovukDateField(label="Date", help_text="For example, 3 3 2027")
    start_time = TimeTextField(name="start time", label="Start time", help_text="For example, 9:30am or 09:30")
    end_time = TimeTextField(name="end time", label="End time", help_text="For example, 3pm or 15:00")
    topic = forms.CharField(
        label="Topic (optional)",
        max_length=150,
        required=False,
        help_text="For example, Safeguarding adults.",
        error_messages={"max_length": "Topic must be 150 characters or fewer"},
    )
    venue = forms.CharField(
        label="Venue (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Venue must be 200 characters or fewer"},
    )
    online_link = forms.URLField(
        label="Online meeting link (optional)",
        required=False,
        help_text="Only learners with a place see it, in their calendar.",
        assume_scheme="https",
        error_messages={"invalid": "Online meeting link must be a web address, like https://meet.example.org/abc"},
    )
    tutor = forms.CharField(
        label="Tutor (optional)",
        max_length=120,
        required=False,
        error_messages={"max_length": "Tutor must be 120 characters or fewer"},
    )
    repeat_weekdays = forms.MultipleChoiceField(
        label="Repeat every week on (optional)",
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose days of the week from the list"},
    )

    def __init__(self, *args: Any, cohort: Cohort, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["date"].error_messages["required"] = "Enter the date of the session"
        # Hints are rendered as HTML by crispy-forms-gds: the venue is typed text.
        self.fields["venue"].help_text = format_html("Leave blank for the cohort's venue{}.", _venue_hint(cohort))
        layout: list[Any] = [
            "date",
            Field.text("start_time", field_width=5),
            Field.text("end_time", field_width=5),
            Field.text("topic", field_width="two-thirds"),
            Field.text("venue", field_width="two-thirds"),
            Field.text("online_link", field_width="two-thirds"),
            Field.text("tutor", field_width="two-thirds"),
        ]
        if creating:
            self.fields["repeat_weekdays"].help_text = (
                f"Adds a session at the same times on each ticked day after the first, until the cohort ends "
                f"on {cohort.end_date.day} {cohort.end_date:%B %Y}."
            )
            layout.append(Field.checkboxes("repeat_weekdays", legend_size=Size.SMALL, small=True))
        else:
            del self.fields["repeat_weekdays"]
        self.helper.layout = Layout(*layout, Button("submit", self.submit_label))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        return cleaned

    def session_values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "repeat_weekdays"}

    def repeat_days(self) -> list[int]:
        return [int(day) for day in self.cleaned_data.get("repeat_weekdays", [])]

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        """The form's values for changing `session`."""
        return {name: getattr(session, name) for name in cls.base_fields if name != "repeat_weekdays"}

    @classmethod
    def initial_for_new(cls, cohort: Cohort, previous: Session | None) -> dict[str, Any]:
        """A new session starts like the `previous` (last) one, on the next weekday; the first on the first day."""
        if previous is None:
            return {"date": cohort.start_date}
        keep = ("start_time", "end_time", "venue", "online_link", "tutor")
        initial: dict[str, Any] = {name: getattr(previous, name) for name in keep}
        following = previous.date + dt.timedelta(days=1)
        while following.weekday() >= 5:
            following += dt.timedelta(days=1)
        if following <= cohort.end_date:
            initial["date"] = following
        return initial


def _venue_hint(cohort: Cohort) -> str:
    return f" ({cohort.venue})" if cohort.venue else ""


def _date_filter(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": f"{label} must be a real date, for example 2027-03-27"},
    )


class CohortFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", choices=Show.choices, required=False)
    course = forms.ChoiceField(label="Course", choices=[], required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Cohort.Status.choices], required=False)
    town = forms.CharField(label="Town", required=False, max_length=80)
    starts_from = _date_filter("Starts from")
    starts_to = _date_filter("Starts by")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", "All courses"), *cohort_filter_course_choices()]  # type: ignore[attr-defined]
        self.fields["course"].error_messages["invalid_choice"] = "Choose a course from the list"
        self.fields["show"].error_messages["invalid_choice"] = "Choose which cohorts to show from the list"
        self.fields["status"].error_messages["invalid_choice"] = "Choose a status from the list"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_from"), cleaned.get("starts_to")
        if start and end and end < start:
            self.add_error("starts_to", "Starts by must be the same as or after Starts from")
        return cleaned
