"""allauth's account forms with the Design System's labels and one specific message per field.

ACCOUNT_FORMS points here. The wording follows GOV.UK patterns: "Email address", "Enter your email
address", "Enter an email address in the correct format, like name@example.com".
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm, ResetPasswordForm, ResetPasswordKeyForm, SignupForm
from django import forms

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


class AcademySignupForm(SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
