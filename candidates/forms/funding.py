"""Forms staff use to attribute a person to a funding stream, or undo it."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet

from academy.forms import GovukFormHelperMixin
from academy.models import FundingStream


class AttributeStreamField(forms.ModelChoiceField[FundingStream]):
    def __init__(self, *args: Any, verdicts: dict[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.verdicts = verdicts or {}

    def label_from_instance(self, obj: FundingStream) -> str:
        verdict = self.verdicts.get(obj.pk, "")
        return f"{obj.name} ({verdict})" if verdict else obj.name


class StreamAttributeForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Attribute to the stream"

    stream = AttributeStreamField(
        label="Funding stream",
        queryset=FundingStream.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the funding stream they count for",
            "invalid_choice": "Choose an open stream they do not already count for",
        },
    )
    reason = forms.CharField(
        label="Why they count for it (optional)",
        help_text="For example, 'Referred by Jobcentre Plus under the programme'.",
        required=False,
        max_length=300,
        error_messages={"max_length": "The reason must be 300 characters or fewer"},
    )

    def __init__(self, *args: Any, streams: QuerySet[FundingStream], verdicts: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stream"]
        field.queryset = streams  # type: ignore[attr-defined]
        field.verdicts = verdicts  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.radios("stream", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.text("reason"),
            Button("submit", self.submit_label),
        )


class StreamAttributionRemoveForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Remove from the stream"

    reason = forms.CharField(
        label="Why do they no longer count for this stream?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why they no longer count for this stream",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why they no longer count for this stream")
        return reason
