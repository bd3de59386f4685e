"""The profile steps: one form per step, each able to save unfinished ("Save and come back later")."""

from __future__ import annotations

from typing import Any, ClassVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms

from academy.validators import uk_phone, uk_postcode
from candidates.forms.learner.fields import (
    MINIMUM_AGE,
    DateOfBirthField,
    TelInput,
    answered,
    radios,
    yes_no_field,
)
from candidates.models import Candidate, choices


class ProfileStepForm(forms.Form):
    """One step of the learner's profile.

    Bound with `complete=False` ("Save and come back later") the fields in `completion_fields`
    may be left empty; whatever is entered is still checked. `is_complete()` then says whether
    the step can be marked Completed.
    """

    step: ClassVar[str]
    completion_fields: ClassVar[tuple[str, ...]] = ()
    record_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, candidate: Candidate, complete: bool = True, **kwargs: Any) -> None:
        kwargs["initial"] = {**self.initial_for(candidate), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.complete = complete
        if not complete:
            for name in self.completion_fields:
                self.fields[name].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            *self.layout_fields(),
            Div(
                Button("continue", "Save and continue"),
                Button.secondary("later", "Save and come back later"),
                css_class="govuk-button-group",
            ),
        )

    def layout_fields(self) -> list[Any]:
        return list(self.fields)

    @classmethod
    def initial_for(cls, candidate: Candidate) -> dict[str, Any]:
        step_done = cls.step in candidate.profile_steps_done
        initial: dict[str, Any] = {}
        for name in cls.record_fields:
            value = getattr(candidate, name)
            if isinstance(value, bool):
                # An unanswered Yes/No question is stored as False: show it unanswered until saved.
                initial[name] = ("yes" if value else "no") if value or step_done else None
            else:
                initial[name] = value
        return initial

    def is_complete(self) -> bool:
        return all(answered(self.cleaned_data.get(name)) for name in self.completion_fields)

    def record_data(self) -> dict[str, Any]:
        """The step's record fields to save; an unanswered Yes/No keeps its stored value."""
        data = {name: self.cleaned_data.get(name) for name in self.record_fields}
        for name, value in list(data.items()):
            if isinstance(self.fields[name], forms.TypedChoiceField) and value is None:
                del data[name]
            elif value is None and isinstance(self.fields[name], forms.CharField | forms.ChoiceField):
                data[name] = ""
        return data

    def barrier_support(self) -> dict[str, str] | None:
        """`{barrier code: what would help}` for the support step; None for the other steps."""
        return None


class AboutYouForm(ProfileStepForm):
    step = "about-you"
    record_fields = ("first_name", "last_name", "phone", "postcode", "date_of_birth", "right_to_work", "source")
    completion_fields = ("phone", "postcode", "date_of_birth", "right_to_work", "source")

    first_name = forms.CharField(
        label="First name",
        max_length=80,
        error_messages={"required": "Enter your first name", "max_length": "First name must be 80 characters or fewer"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=80,
        error_messages={"required": "Enter your last name", "max_length": "Last name must be 80 characters or fewer"},
    )
    phone = forms.CharField(
        label="UK phone number",
        help_text="We will call you about courses and jobs. For example, 07700 900 982.",
        widget=TelInput(),
        error_messages={"required": "Enter your phone number"},
    )
    postcode = forms.CharField(label="Postcode", error_messages={"required": "Enter your postcode"})
    date_of_birth = DateOfBirthField(
        label="Date of birth",
        help_text=f"You must be {MINIMUM_AGE} or over. For example, 27 3 1990.",
    )
    right_to_work = radios(
        "Do you have the right to work in the UK?",
        choices.RightToWork.choices,
        help_text="Before you start a job an employer will check this, for example with your passport or a share code.",
        required_message="Select whether you have the right to work in the UK",
    )
    source = radios(
        "How did you hear about the academy?",
        choices.Source.choices,
        required_message="Select how you heard about the academy",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parts = self.fields["date_of_birth"].widget.widgets
        for part, autocomplete in zip(parts, ("bday-day", "bday-month", "bday-year"), strict=True):
            part.attrs.update(autocomplete=autocomplete, inputmode="numeric")

    def layout_fields(self) -> list[Any]:
        return [
            Field.text("first_name", field_width=20, autocomplete="given-name", spellcheck="false"),
            Field.text("last_name", field_width=20, autocomplete="family-name", spellcheck="false"),
            Field.text("phone", field_width=20, autocomplete="tel"),
            Field.text("postcode", field_width=10, autocomplete="postal-code"),
            Field("date_of_birth"),
            Field.radios("right_to_work", legend_size=Size.SMALL),
            Field.radios("source", legend_size=Size.SMALL),
        ]

    def clean_phone(self) -> str:
        return uk_phone(self.cleaned_data.get("phone", ""))

    def clean_postcode(self) -> str:
        return uk_postcode(self.cleaned_data.get("postcode", ""))


OUT_OF_WORK = {choices.EmploymentStatus.UNEMPLOYED, choices.EmploymentStatus.INACTIVE}


class WorkForm(ProfileStepForm):
    step = "work"
    record_fields = (
        "employment_status",
        "months_out_of_work",
        "benefit_status",
        "jobcentre_referral",
        "work_coach_name",
        "highest_qualification",
        "caring_responsibilities",
    )
    completion_fields = (
        "employment_status",
        "benefit_status",
        "jobcentre_referral",
        "highest_qualification",
        "caring_responsibilities",
    )

    employment_status = radios(
        "What is your work situation now?",
        choices.EmploymentStatus.choices,
        required_message="Select your work situation",
    )
    months_out_of_work = forms.IntegerField(
        label="How many months have you been out of work?",
        help_text="Only if you are not working. Enter 0 if it is less than a month.",
        required=False,
        min_value=0,
        max_value=600,
        error_messages={
            "invalid": "Months out of work must be a whole number, like 6",
            "min_value": "Months out of work must be 0 or more",
            "max_value": "Months out of work must be 600 or fewer",
        },
    )
    benefit_status = radios(
        "Are you getting any benefits?",
        choices.BenefitStatus.choices,
        help_text="If you get more than one, choose the main one.",
        required_message="Select the benefit you get, or no benefits",
    )
    jobcentre_referral = yes_no_field("Did Jobcentre Plus send you to us?")
    work_coach_name = forms.CharField(
        label="Your work coach's name (optional)",
        required=False,
        max_length=100,
        help_text="So we can keep them up to date with your progress.",
        error_messages={"max_length": "Your work coach's name must be 100 characters or fewer"},
    )
    highest_qualification = radios(
        "What is your highest qualification?",
        choices.Qualification.choices,
        required_message="Select your highest qualification",
    )
    caring_responsibilities = yes_no_field(
        "Do you look after anyone, such as children or a relative?",
        help_text="This helps us find course times that work for you.",
    )

    def layout_fields(self) -> list[Any]:
        return [
            Field.radios("employment_status", legend_size=Size.SMALL),
            Field.text("months_out_of_work", field_width=4, inputmode="numeric"),
            Field.radios("benefit_status", legend_size=Size.SMALL),
            Field(
                "jobcentre_referral",
                template="candidates/learner/_field_radios_reveal.html",
                context={
                    "reveal_value": "yes",
                    "reveal_field": self["work_coach_name"],
                    "legend_size": "govuk-fieldset__legend--s",
                },
            ),
            Field.radios("highest_qualification", legend_size=Size.SMALL),
            Field.radios("caring_responsibilities", legend_size=Size.SMALL),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("employment_status")
        months_missing = cleaned.get("months_out_of_work") is None and "months_out_of_work" not in self.errors
        if self.complete and status in OUT_OF_WORK and months_missing:
            self.add_error("months_out_of_work", "Enter how many months you have been out of work, or 0")
        if cleaned.get("jobcentre_referral") is False:
            cleaned["work_coach_name"] = ""
        return cleaned


NO_BARRIERS = "none"


class SupportForm(ProfileStepForm):
    """Barriers as checkboxes, each with an optional "what would help" box revealed under it."""

    step = "support"
    completion_fields = ("barriers",)

    barriers = forms.MultipleChoiceField(
        label="Is there anything that could make training or starting work harder for you?",
        help_text="Select all that apply. We may be able to help, for example with bus fares, childcare or a laptop.",
        choices=[*choices.Barrier.choices, (NO_BARRIERS, "None of these")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what could make things harder, or select 'None of these'"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in choices.Barrier.choices:
            self.fields[f"support_{code}"] = forms.CharField(
                label=f"What would help with {str(label)[0].lower()}{str(label)[1:]}? (optional)",
                required=False,
                max_length=200,
                error_messages={"max_length": "What would help must be 200 characters or fewer"},
            )
        self.helper.layout = Layout(
            Field(
                "barriers",
                template="candidates/learner/_field_barriers.html",
                context={"legend_size": "govuk-fieldset__legend--m", "no_barriers": NO_BARRIERS},
            ),
            *self.helper.layout.fields[-1:],
        )

    @classmethod
    def initial_for(cls, candidate: Candidate) -> dict[str, Any]:
        current = {b.barrier: b.support_needed for b in candidate.barriers.all()}
        initial: dict[str, Any] = {f"support_{code}": text for code, text in current.items()}
        if current:
            initial["barriers"] = list(current)
        elif cls.step in candidate.profile_steps_done:
            initial["barriers"] = [NO_BARRIERS]
        return initial

    @property
    def barrier_options(self) -> list[dict[str, Any]]:
        """For the template: each checkbox with its position and its revealed support box."""
        selected = {str(v) for v in (self["barriers"].value() or [])}
        options = []
        for position, (code, label) in enumerate(self.fields["barriers"].choices, start=1):  # type: ignore[attr-defined]
            support = self[f"support_{code}"] if code != NO_BARRIERS else None
            options.append(
                {"code": code, "label": label, "position": position, "checked": code in selected, "support": support}
            )
        return options

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        selected = cleaned.get("barriers") or []
        if NO_BARRIERS in selected and len(selected) > 1:
            self.add_error("barriers", "Select what could make things harder, or select 'None of these', not both")
        return cleaned

    def record_data(self) -> dict[str, Any]:
        return {}

    def barrier_support(self) -> dict[str, str] | None:
        selected = [code for code in self.cleaned_data.get("barriers") or [] if code != NO_BARRIERS]
        return {code: self.cleaned_data.get(f"support_{code}", "").strip() for code in selected}


class InterestsForm(ProfileStepForm):
    step = "interests"
    record_fields = ("interests", "availability", "driving_licence", "has_car")
    completion_fields = ("interests", "availability", "driving_licence", "has_car")

    interests = forms.MultipleChoiceField(
        label="What kind of care work interests you?",
        help_text="Select all that apply. You can change your mind later.",
        choices=choices.Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of care work"},
    )
    availability = radios(
        "When can you work?",
        choices.Availability.choices,
        required_message="Select when you can work",
    )
    driving_licence = yes_no_field("Do you have a full UK driving licence?")
    has_car = yes_no_field(
        "Do you have the use of a car?", help_text="Many home care jobs involve driving between visits."
    )

    def layout_fields(self) -> list[Any]:
        return [
            Field.checkboxes("interests", legend_size=Size.SMALL),
            Field.radios("availability", legend_size=Size.SMALL),
            Field.radios("driving_licence", legend_size=Size.SMALL),
            Field.radios("has_car", legend_size=Size.SMALL),
        ]

    def record_data(self) -> dict[str, Any]:
        data = super().record_data()
        data["interests"] = list(self.cleaned_data.get("interests") or [])
        return data


STEP_FORMS: dict[str, type[ProfileStepForm]] = {
    form.step: form for form in (AboutYouForm, WorkForm, SupportForm, InterestsForm)
}
