"""Forms for the DBS Update Service: the subscription with consent to status checks, and a status check."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin
from candidates.forms.dbs import DATE_HINT
from candidates.forms.records import GovukDateField
from candidates.models import DbsCheck, DbsStatusCheck

YES_NO = [("yes", "Yes"), ("no", "No")]


class UpdateServiceForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save subscription"

    update_service_id = forms.CharField(
        label="Subscription ID",
        max_length=30,
        help_text="From the learner's Update Service account, for example C0123456789.",
        error_messages={"required": "Enter the subscription ID"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    update_service_subscribed_on = GovukDateField(
        label="Date they subscribed", help_text="The renewal is due a year later. " + DATE_HINT
    )
    status_check_consent = forms.TypedChoiceField(
        label="Do they agree to the academy checking their certificate's status online?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they agree to status checks"},
    )
    status_check_consent_on = GovukDateField(
        label="Date they agreed (if they agree)", required=False, help_text=DATE_HINT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("update_service_id", field_width=10),
            "update_service_subscribed_on",
            Fieldset(
                Field.radios("status_check_consent", legend_size=Size.SMALL, inline=True),
                "status_check_consent_on",
                legend="Consent to status checks",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", self.submit_label),
        )

    @classmethod
    def initial_for(cls, check: DbsCheck) -> dict[str, Any]:
        if not check.update_service_id:
            return {}
        consent_at = check.status_check_consent_at
        return {
            "update_service_id": check.update_service_id,
            "update_service_subscribed_on": check.update_service_subscribed_on,
            "status_check_consent": "yes" if check.status_check_consent else "no",
            "status_check_consent_on": consent_at.date() if consent_at and check.status_check_consent else None,
        }


class StatusCheckForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save status check"

    checked_on = GovukDateField(label="Date of the status check", help_text=DATE_HINT)
    result = forms.ChoiceField(
        label="Result",
        choices=DbsStatusCheck.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the result of the status check"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "checked_on", Field.radios("result", legend_size=Size.SMALL), Button("submit", self.submit_label)
        )
