"""Forms of the impact reports page: asking for a report, the narrative, self-assessments, case studies."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from academy.forms import GovukFormHelperMixin
from academy.models import Academy, FundingStream
from academy.periods import Quarter, last_quarters
from candidates.forms.records import GovukDateField
from reporting.models import AssessmentArea, CaseStudy, MaturityLevel

# How far back a report may be asked for from the page (the command line goes further).
QUARTERS_OFFERED = 8


def quarters_offered(today: Any = None) -> list[Quarter]:
    """The quarters a manager may ask a report for: the one in progress and the seven before, newest first."""
    return list(reversed(last_quarters(today or timezone.localdate(), QUARTERS_OFFERED)))


def quarter_code(quarter: Quarter) -> str:
    return quarter.start.isoformat()


class ReportRequestForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Make the report"

    quarter = forms.ChoiceField(label="Quarter", error_messages={"required": "Select the quarter to report on"})
    stream = forms.ModelChoiceField(
        label="Funding stream (optional)",
        queryset=FundingStream.objects.none(),
        required=False,
        empty_label="All funding streams",
        help_text="Report only the people and spend of one funding stream.",
    )

    def __init__(self, *args: Any, academy: Academy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quarters = quarters_offered()
        self.fields["quarter"].choices = [(quarter_code(q), q.label) for q in quarters]  # type: ignore[attr-defined]
        if len(quarters) > 1:
            self.fields["quarter"].initial = quarter_code(quarters[1])  # the quarter just ended
        self.fields["stream"].queryset = FundingStream.objects.filter(  # type: ignore[attr-defined]
            Q(academy=academy) | Q(academy__isnull=True)
        ).order_by("-start_date", "name")

    def chosen_quarter(self) -> Quarter:
        return Quarter.containing(date.fromisoformat(self.cleaned_data["quarter"]))


class NarrativeForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save the narrative"

    highlights = forms.CharField(
        label="Highlights of the quarter",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Highlights must be 5,000 characters or fewer"},
    )
    case_studies = forms.ModelMultipleChoiceField(
        label="Case studies to include (optional)",
        queryset=CaseStudy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only stories whose learner has agreed to them being told can be chosen.",
    )
    sector_challenges = forms.CharField(
        label="Challenges in the care sector",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Challenges must be 5,000 characters or fewer"},
    )
    next_quarter_plans = forms.CharField(
        label="Plans for next quarter",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Plans must be 5,000 characters or fewer"},
    )

    def __init__(self, *args: Any, case_studies: QuerySet[CaseStudy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_studies"].queryset = case_studies  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.textarea("highlights"),
            Field.checkboxes("case_studies", legend_size=Size.SMALL),
            Field.textarea("sector_challenges"),
            Field.textarea("next_quarter_plans"),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        written = [cleaned.get(name) for name in ("highlights", "sector_challenges", "next_quarter_plans")]
        if not any(written) and not cleaned.get("case_studies") and not self.errors:
            raise forms.ValidationError("Write at least one part of the narrative, or choose a case study")
        return cleaned


class SelfAssessmentForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save the assessment"

    area = forms.ChoiceField(
        label="Area of the academy model", choices=AssessmentArea.choices, widget=forms.RadioSelect
    )
    assessed_on = GovukDateField(label="Date of the assessment", help_text="For example, 30 6 2026")
    level = forms.ModelChoiceField(
        label="Level now", queryset=MaturityLevel.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    target_level = forms.ModelChoiceField(
        label="Target level (optional)",
        queryset=MaturityLevel.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={
            "required": "Enter the evidence for this level",
            "max_length": "Evidence must be 5,000 characters or fewer",
        },
    )
    actions = forms.CharField(
        label="Actions to reach the target (optional)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Actions must be 5,000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = MaturityLevel.objects.order_by("rank")
        self.fields["level"].queryset = levels  # type: ignore[attr-defined]
        self.fields["target_level"].queryset = levels  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.radios("area", legend_size=Size.SMALL),
            "assessed_on",
            Field.radios("level", legend_size=Size.SMALL),
            Field.radios("target_level", legend_size=Size.SMALL),
            Field.textarea("evidence"),
            Field.textarea("actions"),
            Button("submit", self.submit_label),
        )


class CaseStudyForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save the case study"

    learner_email = forms.EmailField(
        label="Learner's email address",
        help_text="The email address on the learner's record.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    consent_given = forms.BooleanField(
        label="The learner agreed to their story being told in the academy's reports to funders",
        help_text="Their agreement is recorded on their record. They can withdraw it at any time.",
    )
    title = forms.CharField(
        label="Title",
        max_length=150,
        error_messages={"max_length": "Title must be 150 characters or fewer"},
    )
    display_name = forms.CharField(
        label="Name used in the story",
        max_length=60,
        help_text="A first name or another name the learner chose.",
        error_messages={"max_length": "Name must be 60 characters or fewer"},
    )
    story = forms.CharField(
        label="Story",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        error_messages={"max_length": "Story must be 10,000 characters or fewer"},
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["learner_email"]
            del self.fields["consent_given"]
        self.helper.layout = Layout(
            *[name for name in ("learner_email", "consent_given", "title", "display_name") if name in self.fields],
            Field.textarea("story"),
            Button("submit", self.submit_label),
        )
