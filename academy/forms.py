"""Forms of the core: invitations, accepting one, and the list filters."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.contrib.auth import password_validation

from academy.audit_words import action_filter_choices
from academy.discovery import app_hooks
from academy.models import Role
from academy.services import invitation_check_details


class PoundsField(forms.DecimalField):
    """An amount in pounds; accepts "£60", "60" or "1,060.50"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[£,\s]", "", value)
        return super().to_python(value)


DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def specific_required_message(field: forms.Field, name: str) -> str:
    """What to say when a required field is left empty, as the Design System does: "Enter your phone number",
    "Select a contract", "Enter the start date" rather than "This field is required."."""
    label = str(field.label or name.replace("_", " ")).removesuffix(" (optional)").rstrip("?:. ")
    subject = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.CheckboxInput
    )
    if isinstance(field.widget, forms.CheckboxInput):
        return f"Confirm {subject}"
    return f"Select {subject}" if choosing else f"Enter {subject}"


class GovukFormHelperMixin:
    """Gives a form a GOV.UK helper with one primary submit button, and every required field its own
    message (a field's own `required` message, where it has one, is kept)."""

    submit_label = "Continue"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if str(field.error_messages.get("required", "")) == DJANGO_REQUIRED:
                field.error_messages["required"] = specific_required_message(field, name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.fields, Button("submit", self.submit_label))  # type: ignore[attr-defined]


INVITABLE_ROLES = [(r.value, r.label) for r in Role if r != Role.LEARNER]


def invitation_extra_fields() -> dict[str, forms.Field]:
    """Fields other apps add to the invitation form (providers: which provider a provider user works for)."""
    fields: dict[str, forms.Field] = {}
    for offer in cast(list[Callable[[], dict[str, forms.Field]]], app_hooks("invitations", "invitation_fields")):
        fields.update(offer())
    return fields


class InvitationForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send invitation"

    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(label="Role", choices=INVITABLE_ROLES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(invitation_extra_fields())
        self.helper.layout = Layout(*self.fields, Button("submit", self.submit_label))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role"):
            details = {name: cleaned.get(name) for name in self.fields if name not in ("full_name", "email", "role")}
            try:
                invitation_check_details(role=cleaned["role"], details=details)
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class InvitationAcceptForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Create account"

    full_name = forms.CharField(label="Full name", max_length=150)
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password and not all numbers.",
    )
    password2 = forms.CharField(
        label="Confirm password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match.")
        elif p1:
            from academy.models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="What happened", required=False, choices=action_filter_choices)
    actor = forms.CharField(label="Who (email contains)", required=False)
    object_id = forms.CharField(label="Object ID", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return cleaned


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or email", required=False)
    role = forms.ChoiceField(label="Role", choices=[("", "All roles"), *Role.choices], required=False)
    active = forms.ChoiceField(
        label="Status", choices=[("", "Any"), ("yes", "Active"), ("no", "Deactivated")], required=False
    )
