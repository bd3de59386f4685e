"""How the learner wants to hear from us: email, text or both."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin
from candidates.selectors.contact import CHOICE_BOTH, CHOICE_EMAIL, CHOICE_TEXT


class ContactChannelsForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save how we contact you"

    channel = forms.ChoiceField(
        label="How should we send you messages about courses, jobs and your progress?",
        choices=[
            (CHOICE_EMAIL, "By email"),
            (CHOICE_TEXT, "By text message"),
            (CHOICE_BOTH, "By email and text message"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )

    def __init__(self, *args: Any, has_mobile: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_mobile = has_mobile
        self.fields["channel"].help_text = (
            "Texts are short and never mention your DBS check or anything personal: they tell you to look at "
            "your email or sign in. We do not send texts between 8pm and 8am."
        )
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("channel", legend_size=Size.MEDIUM), Button("submit", self.submit_label)
        )

    def clean_channel(self) -> str:
        channel = self.cleaned_data["channel"]
        if channel != CHOICE_EMAIL and not self.has_mobile:
            raise forms.ValidationError("Add your mobile phone number to your profile before choosing text messages")
        return channel
