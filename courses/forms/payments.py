"""Forms for learner support payments: asking for one, a manager's decision, and the list's filter."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet

from academy.forms import GovukFormHelperMixin
from academy.models import FundingStream
from courses.models import Enrolment, SupportPayment
from courses.services.payments import MAX_AMOUNT, PENCE

Kind = SupportPayment.Kind
# Bursaries are recorded from the bursary list, following the course's rule.
REQUESTABLE_KINDS = [(kind.value, kind.label) for kind in Kind if kind != Kind.ATTENDANCE_BURSARY]


class MoneyField(forms.Field):
    """Pounds and pence as a Decimal; accepts "12.5", "£12.50" and "1,200" and says clearly what is wrong."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["required"] = "Enter the amount"
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value: Any) -> Decimal | None:
        text = re.sub(r"[£,\s]", "", str(value or ""))
        if not text:
            return None
        if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
            if re.fullmatch(r"\d+\.\d{3,}", text):
                raise forms.ValidationError("The amount must be in pounds and pence, like 12.50", code="pence")
            if text.startswith("-"):
                raise forms.ValidationError("The amount must be more than £0.00", code="negative")
            raise forms.ValidationError("Enter the amount in pounds and pence, like 12.50", code="invalid")
        try:
            amount = Decimal(text).quantize(PENCE)
        except InvalidOperation as exc:  # too many digits to hold
            raise forms.ValidationError(f"The amount must be £{MAX_AMOUNT:,} or less", code="too_big") from exc
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than £0.00", code="zero")
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(f"The amount must be £{MAX_AMOUNT:,} or less", code="too_big")
        return amount


class LearnerChoiceField(forms.ModelChoiceField[Enrolment]):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.candidate.full_name} ({obj.get_status_display().lower()})"


class PaymentRequestForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Ask for approval"

    enrolment = LearnerChoiceField(
        label="Learner",
        queryset=Enrolment.objects.none(),
        to_field_name="public_id",
        empty_label="Choose a learner",
        error_messages={
            "required": "Choose the learner the payment is for",
            "invalid_choice": "Choose a learner on this cohort",
        },
    )
    kind = forms.ChoiceField(
        label="What is the payment for?",
        choices=REQUESTABLE_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the payment is for"},
    )
    amount = MoneyField(label="Amount in pounds (£)", help_text="In pounds and pence, for example 12.50.")
    description = forms.CharField(
        label="Details (optional for everything but 'Other support')",
        help_text="For example, 'Bus pass for the two weeks of the course'.",
        required=False,
        max_length=200,
        error_messages={"max_length": "Details must be 200 characters or fewer"},
    )
    may_affect_benefits = forms.BooleanField(
        label="This payment may affect the person's benefits",
        help_text=(
            "For example, a bursary can count as income for Universal Credit. The manager sees this before approving."
        ),
        required=False,
    )

    def __init__(self, *args: Any, enrolments: QuerySet[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field("enrolment"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("amount", field_width=10),
            Field.text("description"),
            Field.checkbox("may_affect_benefits"),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Kind.OTHER and not cleaned.get("description", "").strip():
            self.add_error("description", "Describe what the payment is for")
        return cleaned


class PaymentDecideForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save decision"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the payment"), ("reject", "Reject the payment")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve or reject the payment"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed if you reject it. The member of staff who asked for it will see this.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )
    confirm_over_budget = forms.BooleanField(
        label="I approve it although it takes the stream over its budget", required=False
    )

    def __init__(self, *args: Any, over_budget: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parts: list[Any] = [
            Field.radios("decision", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("reason", rows=3, max_characters=1000),
        ]
        if over_budget:
            parts.append(Field.checkbox("confirm_over_budget"))
        self.helper.layout = Layout(*parts, Button("submit", self.submit_label))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why the payment is rejected")
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "All payments"), *SupportPayment.Status.choices], required=False
    )


class HeldBackLearnerField(forms.ModelMultipleChoiceField[Enrolment]):
    def label_from_instance(self, obj: Enrolment) -> str:
        missing = obj.missing_count  # type: ignore[attr-defined]
        return (
            f"{obj.candidate.full_name}: {obj.attendance_percent:.1f}% attendance, "  # type: ignore[attr-defined]
            f"{missing} session{'' if missing == 1 else 's'} never marked"
        )


class BursaryConfirmForm(GovukFormHelperMixin, forms.Form):
    """A manager records bursaries for learners whose register is incomplete, saying why."""

    submit_label = "Record with my confirmation"

    learners = HeldBackLearnerField(
        label="Learners to record the bursary for",
        queryset=Enrolment.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the learners whose bursary you confirm",
            "invalid_choice": "Select learners from the list: their registers may have changed, so check again",
            "invalid_pk_value": "Select learners from the list",
        },
    )
    reason = forms.CharField(
        label="Why can the bursary be recorded before the register is complete?",
        help_text="For example, 'Tutor's paper register shows she attended; the online register was not updated'.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the bursary can be recorded before the register is complete",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, held_back: QuerySet[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learners"].queryset = held_back  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.checkboxes("learners", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3, max_characters=1000),
            Button("submit", self.submit_label),
        )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the bursary can be recorded before the register is complete")
        return reason


class StreamPaymentRequestForm(GovukFormHelperMixin, forms.Form):
    """Support outside a cohort, charged to one of the streams the person counts for."""

    submit_label = "Ask for approval"

    funding_stream = forms.ModelChoiceField(
        label="Funding stream to charge",
        queryset=FundingStream.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the funding stream to charge",
            "invalid_choice": "Choose an open stream the person counts for",
        },
    )
    kind = forms.ChoiceField(
        label="What is the payment for?",
        choices=REQUESTABLE_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the payment is for"},
    )
    amount = MoneyField(label="Amount in pounds (£)", help_text="In pounds and pence, for example 38.50.")
    description = forms.CharField(
        label="Details (optional for everything but 'Other support')",
        help_text="For example, 'Tunic and shoes for the first week in work'.",
        required=False,
        max_length=200,
        error_messages={"max_length": "Details must be 200 characters or fewer"},
    )
    may_affect_benefits = PaymentRequestForm.base_fields["may_affect_benefits"]

    def __init__(self, *args: Any, streams: QuerySet[FundingStream], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funding_stream"].queryset = streams  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.radios("funding_stream", legend_size=Size.SMALL),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("amount", field_width=10),
            Field.text("description"),
            Field.checkbox("may_affect_benefits"),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Kind.OTHER and not cleaned.get("description", "").strip():
            self.add_error("description", "Describe what the payment is for")
        return cleaned
