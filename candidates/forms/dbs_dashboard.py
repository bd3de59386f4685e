"""Forms of the DBS dashboard (its filter) and of the DBS policy managers set."""

from __future__ import annotations

from typing import Any

from django import forms

from academy.forms import GovukFormHelperMixin
from candidates.models import DbsCheck, DbsPolicy
from candidates.models.dbs import NOTICE_DAYS_MAX, notice_days_message
from candidates.selectors.dbs_dashboard import RAG_LABELS


class DbsDashboardFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "All in progress"), *DbsCheck.Status.choices], required=False
    )
    rag = forms.ChoiceField(
        label="Time since last step",
        choices=[("", "Any"), *((code, f"{label} ({code})") for code, label in RAG_LABELS.items())],
        required=False,
    )


def _number(label: str, *, minimum: int, maximum: int, unit: str, help_text: str = "") -> forms.IntegerField:
    name = label[0].upper() + label[1:]
    return forms.IntegerField(
        label=f"{name} ({unit})",
        min_value=minimum,
        max_value=maximum,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": f"Enter {label} in {unit}",
            "invalid": f"Enter {label} as a whole number of {unit}",
            "min_value": f"{name} must be {minimum} {unit} or more",
            "max_value": f"{name} must be {maximum} {unit} or fewer",
        },
    )


def _notice(label: str) -> forms.IntegerField:
    """A reminder's notice in days, with the model's range and its reason (candidates.models.dbs)."""
    field = _number(label, minimum=1, maximum=NOTICE_DAYS_MAX, unit="days")
    message = notice_days_message(label[0].upper() + label[1:])
    field.error_messages.update({"min_value": message, "max_value": message})
    return field


class DbsPolicyForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save policy"

    recheck_interval_months = _number(
        "the recheck interval", minimum=6, maximum=120, unit="months", help_text="For example, 36 for every 3 years."
    )
    retention_months_after_decision = _number(
        "how long certificate details are kept after the decision",
        minimum=1,
        maximum=24,
        unit="months",
        help_text="Usually no longer than 6 months. Level, issue date and decision are kept for the figures.",
    )
    retention_months_after_last_step = _number(
        "how long certificate details are kept when a check stalls",
        minimum=1,
        maximum=36,
        unit="months",
        help_text="For a check with no decision and no withdrawal: months after its last recorded step.",
    )
    chase_application_days = _number(
        "when to chase an application not completed", minimum=1, maximum=90, unit="days", help_text="After the start."
    )
    chase_certificate_first_days = _number(
        "the first chase for a certificate", minimum=1, maximum=180, unit="days", help_text="After submission."
    )
    chase_certificate_second_days = _number(
        "the second chase for a certificate", minimum=2, maximum=365, unit="days", help_text="After submission."
    )
    update_service_renewal_notice_days = _notice("the notice before an Update Service renewal")
    recheck_notice_days = _notice("the notice before a recheck")

    @classmethod
    def initial_for(cls, policy: DbsPolicy) -> dict[str, Any]:
        return {name: getattr(policy, name) for name in cls.base_fields}
