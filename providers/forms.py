from __future__ import annotations

from django import forms

from academy.forms import GovukFormHelperMixin
from providers.models import Provider


class ProviderForm(GovukFormHelperMixin, forms.ModelForm[Provider]):
    submit_label = "Save provider"

    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "cqc_location_id",
            "address",
            "postcode",
            "contact_email",
            "contact_phone",
            "is_active",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"cqc_location_id": "From the provider's CQC registration, for example 1-123456789."}


class ProviderFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or postcode", required=False)
    kind = forms.ChoiceField(label="Type", choices=[("", "All types"), *Provider.Kind.choices], required=False)
