"""Forms for care providers: details, the list filters, the CQC import upload and inviting a colleague."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Fieldset, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.forms import GovukFormHelperMixin
from academy.periods import add_months, quarter_label, quarter_of
from academy.validators import uk_phone, uk_postcode
from providers.models import Provider, ProviderContact, ProviderSupport


def normalise_cqc_location_id(value: str) -> str:
    """A CQC location ID without stray spaces ("1- 123456789 " -> "1-123456789")."""
    return re.sub(r"\s+", "", value or "")


class SignedDateField(DateInputField):
    """The GOV.UK day, month and year boxes for the date an agreement was signed (not in the future)."""

    def compress(self, data_list: list[str]) -> date | None:
        parts = [str(part or "").strip() for part in data_list]
        if not any(parts):
            return None
        if len(parts) != 3 or not all(parts):
            raise ValidationError("The date the agreement was signed must include a day, month and year")
        day, month, year = parts
        try:
            value = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError("The date the agreement was signed must be a real date, like 27 3 2026") from exc
        if value.year < 2000:
            raise ValidationError("The date the agreement was signed must include a four-digit year, like 2026")
        if value > timezone.localdate():
            raise ValidationError("The date the agreement was signed must be today or in the past")
        return value


class ProviderForm(forms.ModelForm[Provider]):
    agreement_signed_on = SignedDateField(
        label="Date the agreement was signed",
        required=False,
        help_text="Only for a signed agreement. For example, 27 3 2026",
    )

    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "size_band",
            "cqc_location_id",
            "cqc_rating",
            "cqc_service_types",
            "address",
            "postcode",
            "contact_name",
            "contact_email",
            "contact_phone",
            "agreement_status",
            "agreement_signed_on",
            "notes",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "kind": forms.RadioSelect,
            "agreement_status": forms.RadioSelect,
        }
        labels = {"is_active": "Active (shown in lists and offered for invitations)", "size_band": "Size"}
        help_texts = {
            "cqc_location_id": "From the provider's CQC registration, for example 1-123456789.",
            "cqc_service_types": "As the CQC care directory lists them, for example “Homecare agencies”.",
            "notes": "Only academy staff and managers see these notes.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("name", "kind", "size_band", "is_active", legend="Organisation", legend_size=Size.MEDIUM),
            Fieldset(
                "cqc_location_id", "cqc_rating", "cqc_service_types", legend="CQC registration", legend_size=Size.MEDIUM
            ),
            Fieldset("address", "postcode", legend="Address", legend_size=Size.MEDIUM),
            Fieldset("contact_name", "contact_email", "contact_phone", legend="Main contact", legend_size=Size.MEDIUM),
            Fieldset(
                "agreement_status",
                "agreement_signed_on",
                "notes",
                legend="Working with the academy",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", "Save provider"),
        )

    def clean_postcode(self) -> str:
        return uk_postcode(self.cleaned_data.get("postcode", ""))

    def clean_contact_phone(self) -> str:
        return uk_phone(self.cleaned_data.get("contact_phone", ""))

    def clean_cqc_location_id(self) -> str:
        value = normalise_cqc_location_id(self.cleaned_data.get("cqc_location_id", ""))
        if value and Provider.objects.filter(cqc_location_id=value).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another provider already has this CQC location ID")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("agreement_status")
        signed_on = cleaned.get("agreement_signed_on")
        if status == Provider.Agreement.SIGNED and signed_on is None and "agreement_signed_on" not in self.errors:
            self.add_error("agreement_signed_on", "Enter the date the agreement was signed")
        elif status and status != Provider.Agreement.SIGNED and signed_on is not None:
            self.add_error(
                "agreement_signed_on", "Only give a signed date when the agreement is signed; clear it otherwise"
            )
        return cleaned


class ProviderFilterForm(forms.Form):
    q = forms.CharField(label="Search by name, postcode or CQC ID", required=False)
    kind = forms.ChoiceField(
        label="Type of service", choices=[("", "All types"), *Provider.Kind.choices], required=False
    )
    agreement = forms.ChoiceField(
        label="Agreement", choices=[("", "Any agreement"), *Provider.Agreement.choices], required=False
    )


class ProviderImportForm(GovukFormHelperMixin, forms.Form):
    """The CQC care directory file: a CSV, no larger than the upload limit (checked before it is read)."""

    submit_label = "Import providers"

    file = forms.FileField(
        label="CSV file",
        help_text="The CQC care directory saved as CSV, or our template filled in.",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise ValidationError("The file must be a CSV file (ending .csv). In Excel, choose Save As, then CSV UTF-8")
        limit_mb = settings.DOCUMENT_MAX_UPLOAD_MB
        if upload.size > limit_mb * 1024 * 1024:
            raise ValidationError(f"The file must be smaller than {limit_mb} MB")
        if upload.size == 0:
            raise ValidationError("The file is empty")
        return upload


class ColleagueInviteForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send invitation"

    full_name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter their full name"})
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email address. The invitation link is sent there.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


# --- engagement: contacts, support, the quarterly survey and the lists' filters -----------------------


class PastDateField(DateInputField):
    """The GOV.UK day, month and year boxes for a day that has happened (today or before)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = str(self.label or "The date")
        self.error_messages["required"] = f"Enter {self.name[0].lower()}{self.name[1:]}"

    def compress(self, data_list: list[str]) -> date | None:
        parts = [str(part or "").strip() for part in data_list]
        if not any(parts):
            return None
        if len(parts) != 3 or not all(parts):
            raise ValidationError(f"{self.name} must include a day, month and year")
        day, month, year = parts
        try:
            value = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{self.name} must be a real date, like 27 3 2026") from exc
        if value.year < 2000:
            raise ValidationError(f"{self.name} must include a four-digit year, like 2026")
        if value > timezone.localdate():
            raise ValidationError(f"{self.name} must be today or in the past")
        return value


class ProviderContactForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save contact"

    kind = forms.ChoiceField(
        label="Type of contact",
        choices=[(k, label) for k, label in ProviderContact.Kind.choices if k != ProviderContact.Kind.EVENT],
        widget=forms.RadioSelect,
        help_text="Events the provider attended are added from the event's page.",
    )
    occurred_on = PastDateField(label="The date of the contact", help_text="For example, 27 3 2026")
    summary = forms.CharField(
        label="What was discussed (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProviderSupportForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save support"

    kind = forms.ChoiceField(label="Type of support", choices=ProviderSupport.Kind.choices, widget=forms.RadioSelect)
    offered_on = PastDateField(label="The date the support was offered", help_text="For example, 27 3 2026")
    details = forms.CharField(
        label="Details (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


SCORE_CHOICES = [(5, "5 - very good"), (4, "4 - good"), (3, "3 - fair"), (2, "2 - poor"), (1, "1 - very poor")]


class ProviderSurveyForm(GovukFormHelperMixin, forms.Form):
    """The quarterly survey: four scores from 1 to 5, the turnover the provider reports, and comments."""

    submit_label = "Send answers"

    readiness = forms.TypedChoiceField(
        label="How ready for work were the people the academy sent you?",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score for how ready for work they were"},
    )
    values = forms.TypedChoiceField(
        label="How well did their values and attitude fit care work?",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score for their values and attitude"},
    )
    retention = forms.TypedChoiceField(
        label="How well are they staying in the job?",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score for how well they are staying"},
    )
    support = forms.TypedChoiceField(
        label="How useful was the academy's support to you?",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score for the academy's support"},
    )
    turnover_percent = forms.DecimalField(
        label="Your staff turnover in the last 12 months, as a percentage (optional)",
        help_text="Leavers in the last 12 months divided by the average number of staff. For example, 23.",
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": "Enter the turnover as a number, like 23 or 23.5",
            "min_value": "The turnover must be between 0 and 100",
            "max_value": "The turnover must be between 0 and 100",
            "max_digits": "Enter the turnover as a number, like 23 or 23.5",
            "max_decimal_places": "Give the turnover to one decimal place at most, like 23.5",
        },
    )
    comments = forms.CharField(
        label="Anything else about the academy's recruits or support (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EngagementFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or postcode", required=False)
    not_contacted = forms.TypedChoiceField(
        label="Not contacted in",
        choices=[("", "Any time"), (3, "3 months"), (6, "6 months"), (12, "12 months")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    rating = forms.ChoiceField(
        label="CQC rating",
        choices=[("", "Any rating"), ("weak", "Requires improvement or inadequate")],
        required=False,
    )


def quarter_choices(today: date, count: int = 8) -> list[tuple[str, str]]:
    """The last `count` quarters, newest first, as (first day, label) pairs."""
    choices = []
    start, _ = quarter_of(today)
    for _ in range(count):
        choices.append((start.isoformat(), quarter_label(start)))
        start, _ = quarter_of(start - timedelta(days=1))
    return choices


class SurveyFilterForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", "The last four quarters"), *quarter_choices(today)]  # type: ignore[attr-defined]

    def period(self, today: date) -> tuple[date, date]:
        """The quarters chosen: one, or by default the last four (the current one included)."""
        chosen = self.cleaned_data.get("quarter") if self.is_valid() else ""
        if chosen:
            start = date.fromisoformat(chosen)
            return start, start
        start, _ = quarter_of(today)
        return quarter_of(add_months(start, -9))[0], start
