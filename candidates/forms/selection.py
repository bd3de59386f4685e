"""Forms for screening and selection events. They never carry equality data."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html

from academy.forms import GovukFormHelperMixin
from candidates.forms.records import GovukDateField
from candidates.models import Candidate, PipelineStage, SelectionResult, SkillLevel
from candidates.services.selection import ResultData

LEVEL_CHOICES = [("", "Not assessed"), *SkillLevel.choices]


class SelectionEventForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Create event"

    title = forms.CharField(label="Title", max_length=120, help_text="For example, March cohort selection day.")
    held_on = GovukDateField(label="Date of the event", help_text="For example, 14 3 2026")
    location = forms.CharField(label="Location (optional)", max_length=200, required=False)


class SelectionAddForm(forms.Form):
    """The people ticked on the event page (chosen from the screening stage or a search)."""

    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.none(),
        to_field_name="public_id",
        error_messages={
            "required": "Select at least one person to add",
            "invalid_choice": "One of the people selected cannot be added: search again",
            "invalid_pk_value": "One of the people selected cannot be added: search again",
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates  # type: ignore[attr-defined]


class SelectionResultForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save results"

    values_score = forms.IntegerField(
        label="Values case-study score (optional)",
        help_text="From 0 to 10.",
        min_value=0,
        max_value=10,
        required=False,
        error_messages={
            "min_value": "The values score must be between 0 and 10",
            "max_value": "The values score must be between 0 and 10",
            "invalid": "Enter the values score as a whole number from 0 to 10",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    literacy_level = forms.ChoiceField(label="Literacy level", choices=LEVEL_CHOICES, required=False)
    numeracy_level = forms.ChoiceField(label="Numeracy level", choices=LEVEL_CHOICES, required=False)
    interview = forms.ChoiceField(
        label="Panel interview", choices=SelectionResult.Interview.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(label="Outcome", choices=SelectionResult.Outcome.choices, widget=forms.RadioSelect)
    referred_to = forms.ChoiceField(
        label="Referred to",
        help_text="Only for a referral to build skills.",
        choices=SelectionResult.ReferralPartner.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    follow_up_on = GovukDateField(
        label="Referral follow-up date",
        required=False,
        help_text="Only for a referral: when to check whether they are ready to come back. For example, 1 9 2026",
    )
    feedback = forms.CharField(
        label="Feedback",
        help_text="Required when not accepted on values: constructive feedback, emailed to them once.",
        required=False,
        widget=forms.Textarea({"rows": 6}),
        max_length=5000,
    )
    move_to_next_stage = forms.BooleanField(required=False)

    def __init__(self, *args: Any, candidate: Candidate, next_stage: PipelineStage | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: list[Any] = [
            HTML('<h2 class="govuk-heading-m">Results</h2>'),
            Field.text("values_score", field_width=2),
            "literacy_level",
            "numeracy_level",
            Field.radios("interview", legend_size=Size.SMALL, inline=True),
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.radios("referred_to", legend_size=Size.SMALL, small=True),
            "follow_up_on",
            "feedback",
        ]
        if next_stage is None:
            del self.fields["move_to_next_stage"]
        else:
            # crispy-forms-gds renders labels as HTML: the names are typed text.
            self.fields["move_to_next_stage"].label = format_html(
                "Also move {} from {} to {} (only when accepted)",
                candidate.full_name,
                candidate.stage.name,
                next_stage.name,
            )
            fields.append(Field.checkbox("move_to_next_stage"))
        self.helper.layout = Layout(*fields, Button("submit", self.submit_label))

    def result_data(self) -> ResultData:
        data = self.cleaned_data
        return ResultData(
            values_score=data["values_score"],
            literacy_level=data["literacy_level"],
            numeracy_level=data["numeracy_level"],
            interview=data["interview"],
            outcome=data["outcome"],
            referred_to=data["referred_to"],
            follow_up_on=data["follow_up_on"],
            feedback=data["feedback"],
        )

    @staticmethod
    def initial_for(result: SelectionResult) -> dict[str, Any]:
        fields = ["values_score", "literacy_level", "numeracy_level", "interview", "outcome", "referred_to"]
        initial = {name: getattr(result, name) for name in fields}
        initial.update(follow_up_on=result.follow_up_on, feedback=result.feedback)
        return initial
