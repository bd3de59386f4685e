"""Forms for outcomes: recording one, its leaving, answering a follow-up, and the lists' filters."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from crispy_forms_gds.layout import Button, Layout
from django import forms

from academy.forms import GovukFormHelperMixin
from academy.models import FundingStream
from candidates.forms.records import GovukDateField
from placements.models import MAX_WEEKLY_HOURS, ContractType, LeavingReason, Outcome
from providers.models import Provider

RETENTION_BY = [("cohort", "Cohort"), ("course", "Course"), ("provider", "Employer")]


class DecimalText(forms.CharField):
    """A number typed as text ("37.5", "5%"), as a Decimal; says plainly what is wrong."""

    def __init__(self, *, what: str, places: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what, self.places = what, places
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = re.sub(r"[%\s,]", "", str(value or ""))
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(f"{self.what} cannot be negative", code="negative")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(f"Enter {self.what.lower()} as a number, like 37.5", code="invalid") from exc
        if not number.is_finite() or number.as_tuple().exponent < -self.places:  # type: ignore[operator]
            raise forms.ValidationError(
                f"Enter {self.what.lower()} with at most {self.places} decimal place", code="places"
            )
        return number


class ProviderChoiceField(forms.ModelChoiceField[Provider]):
    def label_from_instance(self, obj: Provider) -> str:
        return obj.name


class OutcomeForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Record the outcome"

    kind = forms.ChoiceField(
        label="What did they go on to?",
        choices=Outcome.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what they went on to"},
    )
    provider = ProviderChoiceField(
        label="Employer, if it is one of our providers",
        queryset=Provider.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        empty_label="Not one of our providers",
    )
    employer_name = forms.CharField(
        label="Employer or organisation (if not one of our providers)", max_length=200, required=False
    )
    role = forms.CharField(label="Role or course (optional)", max_length=150, required=False)
    start_date = GovukDateField(label="Start date", help_text="For example, 3 3 2027")
    hours_per_week = DecimalText(
        label="Hours per week",
        what="Hours per week",
        required=False,
        help_text=f"Required for paid work; at most {MAX_WEEKLY_HOURS}.",
    )
    contract_type = forms.ChoiceField(
        label="Contract (optional)", choices=[("", "Not known"), *ContractType.choices], required=False
    )
    evidence = forms.ChoiceField(
        label="How do you know?",
        choices=Outcome.Evidence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the evidence you have"},
    )
    levy_status = forms.ChoiceField(
        label="Apprenticeships only: does the employer pay the apprenticeship levy?",
        choices=[("", "Not an apprenticeship"), *Outcome.LevyStatus.choices],
        required=False,
    )
    co_investment_percent = DecimalText(
        label="Apprenticeships only: the employer's co-investment share (%)",
        what="The co-investment share",
        places=2,
        required=False,
        help_text="For a non-levy employer, usually 5.",
    )


class OutcomeEditForm(OutcomeForm):
    """The outcome's details that may be corrected: not its kind or start date (the follow-ups hang on them)."""

    submit_label = "Save changes"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["start_date"]
        self.helper.layout = Layout(*self.fields, Button("submit", self.submit_label))


class LeavingForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Record leaving"

    left_on = GovukDateField(label="Date they left", past_only=True)
    leaving_reason = forms.ChoiceField(
        label="Why did they leave?",
        choices=LeavingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why they left"},
    )
    note = forms.CharField(label="Anything else (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FollowUpLeftForm(GovukFormHelperMixin, forms.Form):
    """The "they left" answer; "still employed" is a one-click button of its own."""

    submit_label = "They left: send the answer"

    left_on = GovukDateField(label="Date they left", past_only=True)
    leaving_reason = forms.ChoiceField(
        label="Why did they leave?",
        choices=LeavingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why they left"},
    )


class StreamFilterForm(forms.Form):
    stream = forms.ModelChoiceField(
        label="Funding stream",
        queryset=FundingStream.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        empty_label="All streams",
    )


class OutcomeFilterForm(StreamFilterForm):
    q = forms.CharField(label="Learner or employer", max_length=100, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "All kinds"), *Outcome.Kind.choices], required=False)

    field_order = ["q", "kind", "stream"]


class RetentionForm(forms.Form):
    by = forms.ChoiceField(label="Retention by", choices=RETENTION_BY, required=False)


class LearnerSearchForm(forms.Form):
    q = forms.CharField(label="Learner's name or email address", max_length=100, required=False)
