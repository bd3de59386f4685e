"""Form for portable DBS: choose the care provider to share an outcome with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from academy.forms import GovukFormHelperMixin
from providers.models import Provider


class DbsShareForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Share the outcome"

    provider = forms.ModelChoiceField(
        label="Care provider",
        help_text="Usually the provider offering them a placement or a job.",
        queryset=Provider.objects.none(),
        empty_label="Choose a provider",
        error_messages={"required": "Select the care provider to share the outcome with"},
    )

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
