"""Forms for DBS checks: starting one and each step. Order and date rules live in the services.

Each step form's cleaned data is the keyword arguments of its service (see `service_kwargs`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin
from academy.models import FundingStream, User
from candidates.forms.records import GovukDateField, StaffUserChoiceField, staff_owner_choices
from candidates.models import DbsCheck

DATE_HINT = "For example, 27 3 2026"


def _radios(label: str, choices: Any, required_message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class DbsCheckStartForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Start the check"

    level = _radios(
        "Level of check",
        DbsCheck.Level.choices,
        "Select the level of check",
        help_text="Care work with adults usually needs an enhanced check with the adults' barred list.",
    )
    workforce = _radios("Workforce", DbsCheck.Workforce.choices, "Select the workforce the role is in")
    paid_by = _radios("Who pays for the check", DbsCheck.PaidBy.choices, "Select who pays for the check")
    funding_stream = forms.ModelChoiceField(
        label="Funding stream that pays (if a funding stream pays)",
        queryset=FundingStream.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        empty_label="Choose a stream",
        error_messages={"invalid_choice": "Choose a funding stream from the list"},
    )
    started_on = GovukDateField(label="Start date", help_text=DATE_HINT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("level", legend_size=Size.MEDIUM),
            Field.radios("workforce", legend_size=Size.SMALL, small=True),
            Field.radios("paid_by", legend_size=Size.SMALL, small=True),
            Field.select("funding_stream"),
            "started_on",
            Button("submit", self.submit_label),
        )


class DbsStepForm(GovukFormHelperMixin, forms.Form):
    """A step of a check; the view passes `check` so a form can explain itself."""

    submit_label = "Save"

    def __init__(self, *args: Any, check: DbsCheck, **kwargs: Any) -> None:
        self.check = check
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_dates(cls, today: date) -> dict[str, date]:
        """Today's date in each date field, where a blank form starts."""
        return {name: today for name, field in cls.base_fields.items() if isinstance(field, GovukDateField)}

    def service_kwargs(self) -> dict[str, Any]:
        """The step service's keyword arguments (besides check and actor)."""
        return dict(self.cleaned_data)


class IdVerifiedForm(DbsStepForm):
    id_verified_on = GovukDateField(
        label="Date ID was verified",
        help_text="When you checked their identity documents against the DBS list of valid documents. " + DATE_HINT,
    )


class SubmittedForm(DbsStepForm):
    submitted_on = GovukDateField(label="Date the application was submitted", help_text=DATE_HINT)
    application_reference = forms.CharField(
        label="Application reference",
        max_length=40,
        help_text="The reference from the umbrella body or the DBS online service.",
        error_messages={"required": "Enter the application reference"},
    )


class CertificateForm(DbsStepForm):
    certificate_number = forms.CharField(
        label="Certificate number",
        max_length=20,
        help_text="12 digits, at the top right of the certificate. It is removed after the retention period.",
        error_messages={"required": "Enter the certificate number"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    certificate_issued_on = GovukDateField(label="Certificate issue date", help_text=DATE_HINT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("certificate_number", field_width=10),
            "certificate_issued_on",
            Button("submit", self.submit_label),
        )


class OriginalSeenForm(DbsStepForm):
    submit_label = "Confirm"

    confirm = forms.BooleanField(
        label="I have seen the original certificate and its details match this record",
        error_messages={"required": "Confirm that you have seen the original certificate"},
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {}  # who and when are the signed-in member of staff and now


class ClearedForm(DbsStepForm):
    submit_label = "Record as cleared"

    decision_on = GovukDateField(
        label="Date cleared",
        help_text="Nothing was disclosed, so they are suitable to work: you are recorded as deciding this. "
        + DATE_HINT,
    )


class DisclosedForm(DbsStepForm):
    disclosure_notes = forms.CharField(
        label="What the certificate shows",
        help_text="Only what you need for the risk assessment. This is removed after the retention period.",
        widget=forms.Textarea({"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter what the certificate shows"},
    )


class RiskAssessmentForm(DbsStepForm):
    risk_assessment = forms.CharField(
        label="Risk assessment",
        help_text="The risks you considered, what you discussed with them and any safeguards. "
        "It is added to the notes and removed after the retention period.",
        widget=forms.Textarea({"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter the risk assessment"},
    )


class DecisionForm(DbsStepForm):
    submit_label = "Record the decision"

    decision = _radios("Decision", DbsCheck.Decision.choices, "Select the decision")
    decision_on = GovukDateField(label="Decision date", help_text=DATE_HINT)
    decision_by = StaffUserChoiceField(
        label="Who made the decision",
        queryset=User.objects.none(),
        error_messages={"required": "Select who made the decision"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_by"].queryset = staff_owner_choices()  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            "decision_on",
            "decision_by",
            Button("submit", self.submit_label),
        )


class WithdrawnForm(DbsStepForm):
    submit_label = "Withdraw the check"

    withdrawn_on = GovukDateField(label="Date withdrawn", help_text=DATE_HINT)


# Step slug (candidates.services.dbs.STEPS) -> its form.
STEP_FORMS: dict[str, type[DbsStepForm]] = {
    "id-verified": IdVerifiedForm,
    "submitted": SubmittedForm,
    "certificate": CertificateForm,
    "original-seen": OriginalSeenForm,
    "cleared": ClearedForm,
    "disclosed": DisclosedForm,
    "risk-assessment": RiskAssessmentForm,
    "decision": DecisionForm,
    "withdrawn": WithdrawnForm,
}
