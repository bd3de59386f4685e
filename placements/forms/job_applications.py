"""Forms for applying, answering a referral, referring, turning an applicant down and filtering the lists."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from academy.forms import GovukFormHelperMixin
from placements.models import JobApplication, Vacancy
from providers.models import Provider

Status = JobApplication.Status
STATEMENT_MAX_LENGTH = 3000
FOLDER_LABEL = "If I am offered this job, the provider may see my personnel folder"
FOLDER_HINT = (
    "Your DBS outcome, references, employment history and right-to-work evidence, so you can start sooner. "
    "Nothing is released before an offer."
)


class _ConsentFields(GovukFormHelperMixin, forms.Form):
    """The choices a learner makes about what the provider may see; the CV box only when they have a CV."""

    attach_cv = forms.BooleanField(label="Attach my CV", required=False)
    folder_release_consented = forms.BooleanField(label=FOLDER_LABEL, help_text=FOLDER_HINT, required=False)

    def __init__(self, *args: Any, has_cv: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_cv:
            del self.fields["attach_cv"]

    def consent(self) -> dict[str, bool]:
        return {
            "attach_cv": bool(self.cleaned_data.get("attach_cv")),
            "folder_release_consented": bool(self.cleaned_data.get("folder_release_consented")),
        }


class JobApplyForm(_ConsentFields):
    submit_label = "Send my application"

    supporting_statement = forms.CharField(
        label="Why you would like this job (optional)",
        help_text="A few lines about why you want it and what you would bring. The provider sees this.",
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"Your statement must be {STATEMENT_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args: Any, has_cv: bool, **kwargs: Any) -> None:
        super().__init__(*args, has_cv=has_cv, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("supporting_statement", label_size=Size.SMALL, rows=5),
            *(["attach_cv"] if has_cv else []),
            "folder_release_consented",
            Button("submit", self.submit_label),
        )


class JobReferralRespondForm(_ConsentFields):
    """The learner agrees to be put forward (with the same sharing choices as applying) or declines."""

    submit_label = "Send my answer"

    response = forms.ChoiceField(
        label="Do you want to be put forward for this job?",
        choices=[("agree", "Yes, share my profile with the provider"), ("decline", "No, do not put me forward")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you want to be put forward"},
    )

    def __init__(self, *args: Any, has_cv: bool, **kwargs: Any) -> None:
        super().__init__(*args, has_cv=has_cv, **kwargs)
        self.helper.layout = Layout(
            Field.radios("response", legend_size=Size.MEDIUM),
            *(["attach_cv"] if has_cv else []),
            "folder_release_consented",
            Button("submit", self.submit_label),
        )


class JobReferForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send the referral to the learner"

    note = forms.CharField(
        label="Why this is a good match",
        help_text="The learner sees this in their email and on their applications page.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this is a good match: the learner will see it."},
    )


class CandidateSearchForm(forms.Form):
    q = forms.CharField(label="Search for a learner by name or email", required=False, max_length=100)


class NotProgressedForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Confirm: not progressed"

    not_progressed_reason = forms.ChoiceField(
        label="Why is the application not going further?",
        choices=JobApplication.NotProgressedReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why the application is not going further",
            "invalid_choice": "Choose one of the reasons listed",
        },
    )
    reason = forms.CharField(
        label="More detail (optional unless you chose 'Other reason')",
        help_text="The learner sees this in their email, so write it for them.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("not_progressed_reason", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, rows=3),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("not_progressed_reason") == JobApplication.NotProgressedReason.OTHER
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", "Enter the reason: the learner will see it.")
        return cleaned


class ProviderApplicationFilterForm(forms.Form):
    """The provider's applicant filters: an unknown value is reported on its field and ignored."""

    q = forms.CharField(label="Name", required=False, max_length=100)
    vacancy = forms.ChoiceField(
        label="Vacancy", required=False, error_messages={"invalid_choice": "Choose a vacancy from the list"}
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *((s, Status(s).label) for s in JobApplication.VISIBLE_TO_PROVIDER)],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, data: Any, *, vacancies: list[Vacancy]) -> None:
        super().__init__(data)
        self.vacancies = {str(v.public_id): v for v in vacancies}
        cast(forms.ChoiceField, self.fields["vacancy"]).choices = [
            ("", "All vacancies"),
            *((key, f"{v.title} (closes {v.closing_date:%-d %b %Y})") for key, v in self.vacancies.items()),
        ]

    def filters(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {
            "search": (data.get("q") or "").strip(),
            "vacancy": self.vacancies.get(data.get("vacancy") or ""),
            "status": data.get("status") or "",
        }


class StaffApplicationFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    provider = forms.ChoiceField(
        label="Provider", required=False, error_messages={"invalid_choice": "Choose a provider from the list"}
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *Status.choices],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    vacancy = forms.UUIDField(
        label="Vacancy reference", required=False, error_messages={"invalid": "Enter a vacancy reference"}
    )

    def __init__(self, data: Any, *, providers: list[Provider]) -> None:
        super().__init__(data)
        self.providers = {str(p.public_id): p for p in providers}
        cast(forms.ChoiceField, self.fields["provider"]).choices = [
            ("", "All providers"),
            *((key, p.name) for key, p in self.providers.items()),
        ]

    def filters(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {
            "search": (data.get("q") or "").strip(),
            "provider": self.providers.get(data.get("provider") or ""),
            "status": data.get("status") or "",
            "vacancy_id": data.get("vacancy"),
        }
