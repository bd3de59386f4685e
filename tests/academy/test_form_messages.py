"""Every required field of our forms says what to do when left empty, never "This field is required."."""

from __future__ import annotations

from django import forms

from academy.forms import GovukFormHelperMixin


class Example(GovukFormHelperMixin, forms.Form):
    first_name = forms.CharField(label="First name")
    contract = forms.ChoiceField(label="Contract", choices=[("a", "A")])
    cqc = forms.CharField(label="CQC location ID")
    agree = forms.BooleanField(label="I have seen their passport")
    own = forms.CharField(label="Phone", error_messages={"required": "Enter a phone number we can call"})


def test_each_required_field_has_its_own_message() -> None:
    form = Example(data={})
    assert not form.is_valid()
    assert {name: list(messages) for name, messages in form.errors.items()} == {
        "first_name": ["Enter first name"],
        "contract": ["Select contract"],
        "cqc": ["Enter CQC location ID"],  # acronyms keep their capitals
        "agree": ["Confirm I have seen their passport"],
        "own": ["Enter a phone number we can call"],  # a field's own message is kept
    }
