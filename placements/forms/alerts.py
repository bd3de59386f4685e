"""Saving a job board search as an alert."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin
from placements.forms.vacancies import JobBoardForm
from placements.models import JobAlert
from placements.selectors.board import BoardSearch


class JobAlertForm(GovukFormHelperMixin, JobBoardForm):
    submit_label = "Save job alert"

    frequency = forms.ChoiceField(
        label="How often do you want to hear about new jobs?",
        choices=JobAlert.Frequency.choices,
        widget=forms.RadioSelect,
        initial=JobAlert.Frequency.DAILY,
        error_messages={"required": "Select how often you want job alerts"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        self.fields["q"].label = "Job title or words to look for (optional)"
        self.fields["where"].label = "Postcode or town (optional)"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("q"),
            Field.text("where", field_width=10),
            Field.select("radius"),
            Field.select("job_role"),
            Field.select("hours"),
            Field.radios("frequency", legend_size=Size.SMALL),
            Button("submit", self.submit_label),
        )

    def search(self) -> BoardSearch:
        data = self.cleaned_data
        return BoardSearch(
            text=data.get("q") or "",
            job_role=data.get("job_role") or "",
            hours=data.get("hours") or "",
            where=data.get("where") or "",
            radius_miles=data.get("radius"),
        )
