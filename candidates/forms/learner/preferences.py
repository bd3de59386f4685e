"""Equality monitoring and consent: optional questions, each with a way to say no."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from candidates.forms.learner.fields import YES_NO
from candidates.models import ConsentKind, EqualityMonitoring, choices
from candidates.services.consent import RETENTION_MONTHS_CHOICES

EQUALITY_QUESTIONS: dict[str, tuple[str, list[tuple[str, str]], str]] = {
    "sex": ("What is your sex?", choices.Sex.choices, ""),
    "gender_same_as_birth": (
        "Is the gender you identify with the same as your sex registered at birth?",
        choices.YesNo.choices,
        "",
    ),
    "ethnicity": (
        "What is your ethnic group?",
        choices.Ethnicity.choices,
        "These are the groups used in the 2021 census.",
    ),
    "disability": (
        "Do you have a disability or a long-term health condition?",
        choices.YesNo.choices,
        "A physical or mental health condition or illness lasting, or expected to last, 12 months or more.",
    ),
    "religion": ("What is your religion?", choices.Religion.choices, ""),
    "sexual_orientation": ("Which best describes your sexual orientation?", choices.SexualOrientation.choices, ""),
    "care_leaver": (
        "Have you been in care, for example in foster care or a children's home?",
        choices.YesNo.choices,
        "",
    ),
    "armed_forces": (
        "Are you part of the armed forces community?",
        choices.YesNo.choices,
        "For example a veteran, a reservist, or the partner of someone serving.",
    ),
    "refugee": ("Are you a refugee or an asylum seeker?", choices.YesNo.choices, ""),
    "career_returner": (
        "Are you returning to work after a long break?",
        choices.YesNo.choices,
        "For example after caring for children or a relative, or after illness.",
    ),
    "carer": (
        "Do you look after someone without being paid?",
        choices.YesNo.choices,
        "For example a family member who is ill, disabled or older.",
    ),
}


class EqualityForm(forms.Form):
    """Every question optional, every question with "Prefer not to say"."""

    submit_label = "Save answers"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, choice_list, hint) in EQUALITY_QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=f"{label} (optional)",
                help_text=hint,
                choices=choice_list,
                required=False,
                widget=forms.RadioSelect,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            *[Field.radios(name, legend_size=Size.SMALL) for name in EQUALITY_QUESTIONS],
            Button("submit", self.submit_label),
        )

    @staticmethod
    def initial_for(record: EqualityMonitoring | None) -> dict[str, str]:
        return {name: getattr(record, name) for name in EQUALITY_QUESTIONS} if record else {}

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in EQUALITY_QUESTIONS}


# --- consent ----------------------------------------------------------------------------------

KEEP_NO = "no"
CONSENT_QUESTIONS: dict[str, tuple[str, str]] = {
    ConsentKind.SHARE_WITH_PROVIDERS: (
        "Can we share your profile with care providers you apply to, or that we refer you to?",
        "They see your contact details, profile and documents, never your equality answers.",
    ),
    ConsentKind.CONTACT_EMAIL: ("Can we email you about courses, jobs and your progress?", ""),
    ConsentKind.CONTACT_SMS: ("Can we send you text messages about courses, jobs and your progress?", ""),
    ConsentKind.DATA_RETENTION: (
        "Can we keep your information after you finish with the academy?",
        "It helps if you come back later or a job comes up. If you say no, we delete it when you finish.",
    ),
    ConsentKind.CASE_STUDY: (
        "Can we tell your story as a case study in our reports to funders?",
        "We use the name you agree with us. If you change your mind, later reports leave your story out.",
    ),
}


class ConsentForm(forms.Form):
    """One question per kind of consent: saying yes and saying no are the same effort."""

    submit_label = "Save my choices"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, (label, hint) in CONSENT_QUESTIONS.items():
            if kind == ConsentKind.DATA_RETENTION:
                choice_list = [(str(m), f"Yes, keep it for {m} months") for m in RETENTION_MONTHS_CHOICES]
                choice_list.append((KEEP_NO, "No, delete it when I finish"))
            else:
                choice_list = YES_NO
            self.fields[str(kind)] = forms.ChoiceField(
                label=label, help_text=hint, choices=choice_list, required=False, widget=forms.RadioSelect
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            *[Field.radios(str(kind), legend_size=Size.SMALL) for kind in CONSENT_QUESTIONS],
            Button("submit", self.submit_label),
        )

    @staticmethod
    def initial_for(consents: dict[ConsentKind, Any]) -> dict[str, str]:
        initial = {}
        for kind, consent in consents.items():
            if consent is None:
                continue
            if kind == ConsentKind.DATA_RETENTION:
                initial[str(kind)] = str(consent.retention_months) if consent.granted else KEEP_NO
            else:
                initial[str(kind)] = "yes" if consent.granted else "no"
        return initial

    def decisions(self) -> list[tuple[str, bool, int | None]]:
        """(kind, granted, retention months) for each question answered."""
        result = []
        for kind in CONSENT_QUESTIONS:
            value = self.cleaned_data.get(str(kind))
            if not value:
                continue
            if kind == ConsentKind.DATA_RETENTION:
                result.append((str(kind), value != KEEP_NO, None if value == KEEP_NO else int(value)))
            else:
                result.append((str(kind), value == "yes", None))
        return result
