"""Forms for posting a vacancy, staff's decisions on it, the management lists' filters and the public job board."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin
from academy.postcodes import postcode_is_valid
from candidates.forms.records import GovukDateField
from courses.forms.catalogue import PoundsField, whole_number
from courses.models import Cohort
from placements.models import MAX_WEEKLY_HOURS, ContractType, JobRole, PayPeriod, Vacancy, VacancyKind
from placements.selectors.board import HOURS_BANDS, RADIUS_MILES
from placements.selectors.vacancies import cohort_label, ring_fence_cohorts
from placements.services.vacancies import vacancy_details_errors
from providers.models import Provider


class CohortChoiceField(forms.ModelChoiceField[Cohort]):
    def label_from_instance(self, obj: Cohort) -> str:
        return cohort_label(obj)


class VacancyForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save vacancy"

    kind = forms.ChoiceField(
        label="What are you offering?",
        choices=VacancyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you are offering", "invalid_choice": "Select what you are offering"},
    )
    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="As people would search for it, for example: Home care worker, days.",
        error_messages={"required": "Enter the title", "max_length": "Title must be 150 characters or fewer"},
    )
    job_role = forms.ChoiceField(
        label="Job role",
        choices=[("", "Choose a job role"), *JobRole.choices],
        help_text="The role as the adult social care workforce data set names it.",
        error_messages={"required": "Select the job role", "invalid_choice": "Select the job role"},
    )
    description = forms.CharField(
        label="Description",
        help_text="What the work involves, who it supports, training given, and what you look for.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter a description"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours per week",
        max_digits=4,
        decimal_places=1,
        help_text=f"For example 37.5. Up to {MAX_WEEKLY_HOURS}.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the hours per week",
            "invalid": "Hours per week must be a number, like 37.5",
            "max_digits": f"Hours per week must be {MAX_WEEKLY_HOURS} or fewer",
            "max_whole_digits": f"Hours per week must be {MAX_WEEKLY_HOURS} or fewer",
            "max_decimal_places": "Hours per week can have one decimal place, like 22.5",
        },
    )
    contract_type = forms.ChoiceField(
        label="Contract",
        choices=[("", "Choose a contract"), *ContractType.choices],
        error_messages={"required": "Select the contract", "invalid_choice": "Select the contract"},
    )
    pay_amount = PoundsField(
        label="Pay in pounds",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text="For example 12.60 an hour or 24000 a year. Leave blank if unpaid.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Pay must be an amount in pounds, like 12.60",
            "min_value": "Pay must be more than £0, or choose unpaid",
            "max_digits": "Pay must be £9,999,999.99 or less",
            "max_whole_digits": "Pay must be £9,999,999.99 or less",
            "max_decimal_places": "Pay must be in pounds and pence, like 12.60",
        },
    )
    pay_period = forms.ChoiceField(
        label="Paid",
        choices=PayPeriod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the pay is given", "invalid_choice": "Select how the pay is given"},
    )
    place = forms.CharField(
        label="Town or area",
        max_length=100,
        help_text="Where the work is, for example Harehills, Leeds. Home care: the area covered.",
        error_messages={
            "required": "Enter the town or area",
            "max_length": "Town or area must be 100 characters or fewer",
        },
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        help_text="Of the workplace or the office, so people can search by distance.",
        error_messages={"required": "Enter the postcode", "max_length": "Enter a real postcode, like LS9 8AB"},
    )
    places = whole_number("Number of places", name="Number of places", minimum=1, maximum=500, example=2)
    closing_date = GovukDateField(
        label="Closing date", help_text="The last day people can apply. For example, 27 3 2027"
    )
    start_date = GovukDateField(
        label="Start date (optional)",
        required=False,
        help_text="On or after the closing date. Leave blank if the start is flexible.",
    )
    guaranteed_interview = forms.BooleanField(
        label="Everyone the academy refers who meets the essentials gets an interview (guaranteed interview)",
        required=False,
    )
    ring_fenced_cohort = CohortChoiceField(
        label="Only for the completers of one cohort (optional)",
        queryset=Cohort.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="No: open to everyone",
        help_text="Ring-fenced vacancies can only be applied for by people who completed that cohort's course.",
        error_messages={"invalid_choice": "Select a cohort from the list"},
    )

    def __init__(self, *args: Any, current_cohort: Cohort | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CohortChoiceField, self.fields["ring_fenced_cohort"]).queryset = ring_fence_cohorts(current=current_cohort)
        self.fields["closing_date"].error_messages["required"] = "Enter the closing date"
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title", field_width="two-thirds"),
            Field.select("job_role"),
            "description",
            Fieldset(
                Field.text("hours_per_week", field_width=4),
                Field.select("contract_type"),
                Field.text("pay_amount", field_width=10),
                Field.radios("pay_period", legend_size=Size.SMALL, small=True, inline=True),
                legend="Hours, contract and pay",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("place", field_width="two-thirds"),
                Field.text("postcode", field_width=10),
                legend="Where",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("places", field_width=3),
                Field("closing_date"),
                Field("start_date"),
                Field.checkbox("guaranteed_interview", small=True),
                Field.select("ring_fenced_cohort"),
                legend="Places and dates",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", self.submit_label),
        )

    def clean_postcode(self) -> str:
        postcode = str(self.cleaned_data.get("postcode") or "")
        if not postcode_is_valid(postcode):
            raise forms.ValidationError("Enter a real postcode, like LS9 8AB")
        return postcode

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in vacancy_details_errors(cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    @classmethod
    def initial_for(cls, vacancy: Vacancy | None) -> dict[str, Any]:
        if vacancy is None:
            return {"kind": VacancyKind.JOB, "pay_period": PayPeriod.HOUR, "places": 1}
        initial = {name: getattr(vacancy, name) for name in cls.base_fields if name != "ring_fenced_cohort"}
        cohort = vacancy.ring_fenced_cohort
        initial["ring_fenced_cohort"] = cohort.public_id if cohort else None
        return initial


class VacancyRequestChangesForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send back for changes"

    reason = forms.CharField(
        label="What needs to change?",
        help_text="The provider sees this and gets it by email.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the provider needs to change"},
    )


class VacancyCloseForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Close vacancy"

    reason = forms.CharField(
        label="Why is it closing? (optional for the provider)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: we filled the post ourselves.",
    )


class ProviderVacancyFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Vacancy.Status.choices], required=False)


class StaffVacancyFilterForm(forms.Form):
    q = forms.CharField(label="Search title, provider, town or postcode", max_length=100, required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Vacancy.Status.choices], required=False)
    provider = forms.ChoiceField(label="Provider", choices=[("", "Any provider")], required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *VacancyKind.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Provider.objects.filter(vacancies__isnull=False).distinct().order_by("name")
        self.fields["provider"].choices = [  # type: ignore[attr-defined]
            ("", "Any provider"),
            *((str(public_id), name) for public_id, name in providers.values_list("public_id", "name")),
        ]


class JobBoardForm(forms.Form):
    q = forms.CharField(label="What", max_length=100, required=False, help_text="For example: care worker, nights")
    where = forms.CharField(label="Postcode or town", max_length=60, required=False, help_text="For example: LS9 8AB")
    radius = forms.TypedChoiceField(
        label="Distance",
        choices=[("", "Any distance"), *((str(m), f"Within {m} mile{'s' if m != 1 else ''}") for m in RADIUS_MILES)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    kind = forms.ChoiceField(label="Type", choices=[("", "Any type"), *VacancyKind.choices], required=False)
    job_role = forms.ChoiceField(label="Job role", choices=[("", "Any job role"), *JobRole.choices], required=False)
    hours = forms.ChoiceField(label="Hours", choices=[("", "Any hours"), *HOURS_BANDS.items()], required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("radius") and not (cleaned.get("where") or "").strip():
            self.add_error("where", "Enter a postcode or town to search within a distance")
        return cleaned
