"""Forms for the staff view of a record: create, edit and pipeline stage changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from academy.forms import GovukFormHelperMixin, PoundsField
from academy.models import Academy, Role, User
from academy.validators import uk_phone, uk_postcode
from candidates.models import Candidate, PipelineStage, choices


class GovukDateField(DateInputField):
    """GOV.UK date input (day, month, year boxes) whose errors say what to fix, in plain words."""

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.past_only = past_only
        self.name = str(self.label or "date").removesuffix(" (optional)")
        self.error_messages["required"] = f"Enter the {self.name.lower()}"

    def compress(self, data_list: list[str]) -> date | None:
        parts = [str(part or "").strip() for part in data_list]
        if not any(parts):
            return None
        if len(parts) != 3 or not all(parts):
            raise forms.ValidationError(f"{self.name} must include a day, month and year")
        day, month, year = parts
        try:
            value = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(f"{self.name} must be a real date, for example 27 3 2007") from exc
        if value.year < 1900:
            raise forms.ValidationError(f"{self.name} must include a four-digit year, for example 2007")
        if self.past_only and value > timezone.localdate():
            raise forms.ValidationError(f"{self.name} must be in the past")
        return value


def _optional(choice_class: type[Any], empty_label: str = "Not known") -> list[tuple[str, str]]:
    return [("", empty_label), *choice_class.choices]


def staff_owner_choices(current: User | None = None) -> QuerySet[User]:
    """People who can own a record: active academy staff and managers, plus the `current` owner.

    The current owner stays a choice even if since deactivated, so saving other changes keeps them.
    """
    condition = Q(role__in=[Role.STAFF, Role.MANAGER], is_active=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return User.objects.filter(condition).order_by("full_name", "email")


class StaffUserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


# Fields that map one-to-one onto Candidate attributes and are passed to the records services.
PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "date_of_birth",
    "source",
    "right_to_work",
    "employment_status",
    "months_out_of_work",
    "benefit_status",
    "jobcentre_referral",
    "work_coach_name",
    "highest_qualification",
    "current_salary",
    "owner",
]


class CandidateForm(GovukFormHelperMixin, forms.Form):
    """Profile fields staff fill in for someone who phoned or walked in, or later correct."""

    submit_label = "Save record"

    first_name = forms.CharField(label="First name", max_length=80)
    last_name = forms.CharField(label="Last name", max_length=80)
    email = forms.EmailField(
        label="Email address", required=False, help_text="Leave blank if they do not have one.", max_length=254
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=30)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, past_only=True, help_text="For example, 27 3 1985"
    )
    source = forms.ChoiceField(
        label="How they heard about the academy", choices=_optional(choices.Source), required=False
    )
    right_to_work = forms.ChoiceField(
        label="Do they have the right to work in the UK?",
        choices=choices.RightToWork.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    employment_status = forms.ChoiceField(
        label="Employment status", choices=_optional(choices.EmploymentStatus), required=False
    )
    months_out_of_work = forms.IntegerField(
        label="Months out of work",
        required=False,
        min_value=0,
        max_value=600,
        help_text="Leave blank if working.",
        error_messages={"invalid": "Enter the months out of work as a whole number, for example 6"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    benefit_status = forms.ChoiceField(label="Benefits", choices=_optional(choices.BenefitStatus), required=False)
    jobcentre_referral = forms.BooleanField(label="Referred by Jobcentre Plus", required=False)
    work_coach_name = forms.CharField(
        label="Work coach's name", required=False, max_length=100, help_text="Only if referred by Jobcentre Plus."
    )
    highest_qualification = forms.ChoiceField(
        label="Highest qualification", choices=_optional(choices.Qualification), required=False
    )
    current_salary = PoundsField(
        label="Current yearly salary in pounds (optional)",
        help_text="Before tax. Some funding streams pay only for people earning below a threshold.",
        required=False,
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the salary in pounds, like 18500",
            "min_value": "The salary must be £0 or more",
            "max_digits": "The salary must be £9,999,999.99 or less",
            "max_decimal_places": "The salary must be in pounds and pence, with no more than 2 decimal places",
        },
    )
    barriers = forms.MultipleChoiceField(
        label="Barriers to work they told you about",
        help_text="Select all that apply.",
        choices=choices.Barrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner = StaffUserChoiceField(
        label="Owner",
        help_text="The member of staff who looks after this person.",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody yet",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.initial.get("owner")
        self.fields["owner"].queryset = staff_owner_choices(owner if isinstance(owner, User) else None)  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "first_name",
                "last_name",
                "email",
                "phone",
                "postcode",
                "date_of_birth",
                "source",
                legend="About them",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("right_to_work", inline=True, legend_size=Size.SMALL),
                "employment_status",
                Field.text("months_out_of_work", field_width=3),
                "benefit_status",
                "jobcentre_referral",
                "work_coach_name",
                "highest_qualification",
                Field.text("current_salary", field_width=10),
                legend="Eligibility",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("barriers", legend_size=Size.MEDIUM, small=True),
            "owner",
            Button("submit", self.submit_label),
        )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("work_coach_name") and not cleaned.get("jobcentre_referral"):
            self.add_error("work_coach_name", "Only give a work coach's name if Jobcentre Plus referred them")
        return cleaned

    def profile_data(self) -> dict[str, Any]:
        """The cleaned values the records services take as `data`."""
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    @classmethod
    def initial_for(cls, candidate: Candidate, barriers: list[str]) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(candidate, name) for name in PROFILE_FIELDS}
        initial["barriers"] = barriers
        return initial

    def clean_phone(self) -> str:
        return uk_phone(self.cleaned_data.get("phone", ""))

    def clean_postcode(self) -> str:
        return uk_postcode(self.cleaned_data.get("postcode", ""))


class CandidateCreateForm(CandidateForm):
    submit_label = "Create record"

    # Both are rendered by the template's duplicate warning, not by the layout. "Create anyway" only
    # counts for the records in `acknowledged` (the ones the warning listed), checked by the view.
    create_anyway = forms.BooleanField(required=False)
    acknowledged = forms.CharField(required=False, widget=forms.HiddenInput)

    def acknowledged_ids(self) -> set[str]:
        return {part for part in self.cleaned_data.get("acknowledged", "").split(",") if part}


class StageChoiceField(forms.ModelChoiceField[PipelineStage]):
    def label_from_instance(self, obj: PipelineStage) -> str:
        return f"{obj.name} (closes the record)" if obj.is_closed else obj.name


class StageChangeForm(GovukFormHelperMixin, forms.Form):
    """Move someone to another stage; a closed stage needs a reason (also enforced by the service)."""

    submit_label = "Change stage"

    stage = StageChoiceField(label="New stage", queryset=PipelineStage.objects.none(), widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label="Reason for closing",
        help_text="Only needed when moving them to a stage that closes the record.",
        choices=choices.ClosedReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, candidate: Candidate, stages: QuerySet[PipelineStage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.fields["stage"].queryset = stages  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.radios("stage", legend_size=Size.MEDIUM),
            Field.radios("reason", legend_size=Size.SMALL, small=True),
            "note",
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stage = cleaned.get("stage")
        if stage is not None:
            if stage.pk == self.candidate.stage_id:
                self.add_error("stage", f"{self.candidate.full_name} is already in {stage.name}: choose another stage")
            elif stage.is_closed and not cleaned.get("reason"):
                self.add_error("reason", f"Choose why you are moving {self.candidate.full_name} to {stage.name}")
        return cleaned


def add_service_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: keys naming a form field go to that field, others on top."""
    rename = rename or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        field = rename.get(key, key)
        form.add_error(field if field in form.fields else None, errors)


class CandidateTransferForm(GovukFormHelperMixin, forms.Form):
    """Move a learner to another academy of the region (they moved house, or another academy suits them)."""

    submit_label = "Move their record"

    to_academy = forms.ModelChoiceField(
        label="Which academy will work with them now?",
        queryset=Academy.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the academy they are moving to"},
    )
    reason = forms.CharField(
        label="Why are they moving?",
        max_length=300,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": "Enter why they are moving, for example that they moved house"},
    )
    confirm = forms.BooleanField(
        label="I understand that our academy will no longer see this record once it has moved",
        error_messages={"required": "Confirm that you understand your academy will no longer see this record"},
    )

    def __init__(self, *args: Any, destinations: list[Academy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_academy"]).queryset = Academy.objects.filter(
            pk__in=[a.pk for a in destinations]
        )
        self.helper.layout = Layout(
            Field.radios("to_academy", legend_size=Size.MEDIUM),
            "reason",
            Field.checkbox("confirm"),
            Button("submit", self.submit_label),
        )
