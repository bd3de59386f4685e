"""Forms for outreach events: planning one, the list filters, the public "register interest" form and
the short form staff fill in on a phone at the event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin, PoundsField
from academy.models import Role, User
from academy.validators import uk_phone, uk_postcode
from candidates.forms.records import GovukDateField
from candidates.models import OutreachEvent
from providers.models import Provider

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="For example, 10:00 or 14:30.",
        required=False,
        input_formats=TIME_FORMATS,
        error_messages={"invalid": f"Enter the {label.split(' (')[0].lower()} as hours and minutes, like 14:30"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


class OutreachEventForm(GovukFormHelperMixin, forms.ModelForm[OutreachEvent]):
    submit_label = "Save event"

    held_on = GovukDateField(label="Date", help_text="For example, 14 3 2027")
    starts_at = _time_field("Start time (optional)")
    ends_at = _time_field("End time (optional)")
    cost = PoundsField(
        label="Cost in pounds",
        help_text="What the event cost the academy: the stall, room, travel, printing. 0 if nothing.",
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        initial=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the cost in pounds, or 0 if it cost nothing",
            "invalid": "Cost must be an amount in pounds, like 150 or 150.50",
            "min_value": "Cost cannot be less than £0",
            "max_digits": "Cost must be £9,999,999.99 or less",
            "max_whole_digits": "Cost must be £9,999,999.99 or less",
            "max_decimal_places": "Cost must be in pounds and pence, like 150.50",
        },
    )
    staff_present = PeopleChoiceField(
        label="Staff at the event (optional)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    providers_attending = forms.ModelMultipleChoiceField(
        label="Care providers attending (optional)",
        help_text="Each one gets the event on its engagement record.",
        queryset=Provider.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OutreachEvent
        fields = [
            "title",
            "kind",
            "held_on",
            "starts_at",
            "ends_at",
            "place",
            "postcode",
            "partner",
            "description",
            "is_public",
            "cost",
            "staff_present",
            "providers_attending",
        ]
        labels = {
            "title": "Title",
            "kind": "Type of event",
            "place": "Place",
            "postcode": "Postcode (optional)",
            "partner": "Partner (optional)",
            "description": "Description for the public page (optional)",
            "is_public": "Show this event on the public events page, where people can register their interest",
        }
        help_texts = {
            "title": "For example, Leeds jobs fair.",
            "place": "For example, Leeds Town Hall, The Headrow.",
            "description": "What people will find there and who it is for.",
        }
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff_present"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role__in=[Role.STAFF, Role.MANAGER], is_active=True
        ).order_by("full_name", "email")
        self.fields["providers_attending"].queryset = Provider.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Fieldset(
                "title",
                Field.radios("kind", legend_size=Size.SMALL, small=True),
                "held_on",
                Field.text("starts_at", field_width=5),
                Field.text("ends_at", field_width=5),
                "place",
                Field.text("postcode", field_width=10),
                "partner",
                legend="The event",
                legend_size=Size.MEDIUM,
            ),
            Fieldset("description", Field.checkbox("is_public"), legend="Public page", legend_size=Size.MEDIUM),
            Fieldset(
                Field.text("cost", field_width=10),
                Field.checkboxes("staff_present", legend_size=Size.SMALL, small=True),
                Field.checkboxes("providers_attending", legend_size=Size.SMALL, small=True),
                legend="Who was there and what it cost",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", self.submit_label),
        )

    def clean_postcode(self) -> str:
        return uk_postcode(self.cleaned_data.get("postcode", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end time must be after the start time")
        return cleaned


class OutreachFilterForm(forms.Form):
    q = forms.CharField(label="Search by title, place or partner", required=False)
    kind = forms.ChoiceField(
        label="Type of event", choices=[("", "All types"), *OutreachEvent.Kind.choices], required=False
    )
    when = forms.ChoiceField(
        label="When",
        choices=[("", "Any time"), ("upcoming", "Today and later"), ("past", "Before today")],
        required=False,
    )


class _PersonFields(forms.Form):
    """Name and how to get in touch: an email address, a phone number or both."""

    first_name = forms.CharField(
        label="First name", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Last name", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        return uk_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("email") or cleaned.get("phone")) and not ({"email", "phone"} & set(self.errors)):
            self.add_error("email", "Enter an email address or a phone number")
        return cleaned


class InterestForm(GovukFormHelperMixin, _PersonFields):
    """The public page's form: a person registers their interest in an event."""

    submit_label = "Register my interest"

    consent = forms.BooleanField(
        label="I agree that the academy can keep these details and contact me about this event and about "
        "training and jobs in care",
        error_messages={"required": "Tick the box to agree that the academy can contact you"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "Give an email address, a phone number or both."
        self.helper.layout = Layout(
            "first_name",
            "last_name",
            "email",
            Field.text("phone", field_width=20),
            Field.checkbox("consent"),
            Button("submit", self.submit_label),
        )


class StallEnquiryForm(GovukFormHelperMixin, _PersonFields):
    """The phone form at the event: a name, a way to get in touch, and whether they agreed to be contacted."""

    submit_label = "Save and add another"

    note = forms.CharField(label="What they asked about (optional)", max_length=300, required=False)
    contact_consent = forms.BooleanField(label="They agreed that the academy can contact them", required=False)
    # Set by static/js/outreach-stall.mjs for each person, so a retried save is recognised.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email", "phone"):
            # A shared phone at a stall: the browser must not offer the last person's details.
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.helper.layout = Layout(
            "first_name",
            "last_name",
            "email",
            "phone",
            "note",
            Field.checkbox("contact_consent"),
            "submission_key",
            Button("submit", self.submit_label),
        )
