"""allauth's account forms with the Design System's labels and one specific message per field.

ACCOUNT_FORMS points here. The wording follows GOV.UK patterns: "Email address", "Enter your email
address", "Enter an email address in the correct format, like name@example.com".
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm, ResetPasswordForm, ResetPasswordKeyForm, SignupForm
from django import forms
from django.http import HttpRequest

from academy.models import Academy, User
from academy.validators import uk_postcode

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def _email(field: forms.Field, *, required: str) -> None:
    field.label = "Email address"
    field.error_messages.update({"required": required, "invalid": EMAIL_FORMAT})
    field.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
    field.widget.attrs.pop("placeholder", None)


def _password(field: forms.Field, *, label: str, required: str, autocomplete: str) -> None:
    field.label = label
    field.error_messages["required"] = required
    field.widget.attrs["autocomplete"] = autocomplete
    field.widget.attrs.pop("placeholder", None)


class AcademyLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _email(self.fields["login"], required="Enter your email address")
        _password(
            self.fields["password"], label="Password", required="Enter your password", autocomplete="current-password"
        )
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"
        # allauth puts a "Forgot your password?" link in the help text; the page has its own link.
        self.fields["password"].help_text = ""


def academy_for_postcode(postcode: str) -> Academy | None:
    """The academy whose postcode districts or areas include the postcode (the longest match wins)."""
    outward = postcode.strip().upper().split(" ")[0] if postcode.strip() else ""
    if not outward:
        return None
    best: tuple[int, Academy] | None = None
    for academy in Academy.objects.exclude(postcode_areas=""):
        for prefix in academy.postcode_prefixes:
            district_match = outward == prefix
            area_match = (
                prefix.isalpha()
                and len(outward) > len(prefix)
                and outward.startswith(prefix)
                and outward[len(prefix)].isdigit()
            )
            if (district_match or area_match) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), academy)
    return best[1] if best else None


class AcademySignupForm(SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        academies = Academy.objects.order_by("name")
        if academies.count() > 1:
            # Several academies share the portal: the learner belongs to one, suggested by postcode.
            self.fields["postcode"] = forms.CharField(
                label="Your postcode (optional)",
                required=False,
                max_length=10,
                help_text="If you leave the academy below unselected, we choose the one that covers your postcode.",
                widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
            )
            self.fields["academy"] = forms.ModelChoiceField(
                label="Which academy do you want to join?",
                queryset=academies,
                required=False,
                widget=forms.RadioSelect,
                empty_label=None,
            )
        _email(self.fields["email"], required="Enter your email address")
        _password(
            self.fields["password1"],
            label="Create a password",
            required="Create a password",
            autocomplete="new-password",
        )
        self.fields[
            "password1"
        ].help_text = "Use at least 10 characters. Three random words together are easy to remember and hard to guess."
        if "password2" in self.fields:
            _password(
                self.fields["password2"],
                label="Confirm your password",
                required="Enter your password again",
                autocomplete="new-password",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "academy" not in self.fields:
            return cleaned
        postcode = cleaned.get("postcode", "")
        if postcode:
            try:
                cleaned["postcode"] = postcode = uk_postcode(postcode)
            except forms.ValidationError as error:
                self.add_error("postcode", error)
                return cleaned
        if not cleaned.get("academy"):
            suggested = academy_for_postcode(postcode)
            if suggested is None:
                message = (
                    "No academy covers this postcode: choose the academy you want to join"
                    if postcode
                    else "Choose the academy you want to join, or enter your postcode"
                )
                self.add_error("academy", message)
            cleaned["academy"] = suggested
        return cleaned

    def custom_signup(self, request: HttpRequest, user: User) -> None:
        academy = self.cleaned_data.get("academy")
        if academy is not None:
            user.home_academy = academy
            user.save(update_fields=["home_academy"])


class AcademyResetPasswordForm(ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _email(self.fields["email"], required="Enter the email address you use to sign in")


class AcademyResetPasswordKeyForm(ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _password(
            self.fields["password1"], label="New password", required="Enter a new password", autocomplete="new-password"
        )
        _password(
            self.fields["password2"],
            label="Confirm your new password",
            required="Enter your new password again",
            autocomplete="new-password",
        )
