"""Forms for applying to a cohort, reviewing applications and answering an offer."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils.html import escape, format_html

from academy.forms import GovukFormHelperMixin
from courses.models import Application, Cohort, ScreeningQuestion
from courses.selectors.applications import AWAITING_DECISION

ANSWER_MAX_LENGTH = 2000


def question_field_name(question: ScreeningQuestion) -> str:
    return f"question_{question.pk}"


class ApplicationForm(GovukFormHelperMixin, forms.Form):
    """One field per screening question of the course, in the course's order."""

    submit_label = "Continue"

    def __init__(self, *args: Any, questions: list[ScreeningQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        layout: list[Any] = []
        for question in questions:
            name = question_field_name(question)
            # crispy-forms-gds renders labels as HTML; the question is a manager's text, so escape it.
            label = escape(question.text) if question.required else format_html("{} (optional)", question.text)
            if question.kind == ScreeningQuestion.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=[(choice, choice) for choice in question.choice_list],
                    required=question.required,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": f"Choose an answer to: {question.text}",
                        "invalid_choice": f"Choose one of the answers to: {question.text}",
                    },
                )
                layout.append(Field.radios(name, legend_size=Size.SMALL))
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=question.required,
                    max_length=ANSWER_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={
                        "required": f"Answer the question: {question.text}",
                        "max_length": (
                            f"Your answer to '{question.text}' must be {ANSWER_MAX_LENGTH:,} characters or fewer"
                        ),
                    },
                )
                layout.append(Field.textarea(name, label_size=Size.SMALL, rows=4))
        self.helper.layout = Layout(*layout, Button("submit", self.submit_label))

    def answers(self) -> dict[str, str]:
        """{question id: answer} for the service."""
        return {str(q.pk): self.cleaned_data.get(question_field_name(q), "") for q in self.questions}


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "All statuses"), *Application.Status.choices], required=False
    )


DECISION_LABELS = {
    Application.Status.SHORTLISTED: "Shortlist",
    Application.Status.OFFERED: "Offer a place",
    Application.Status.WAITING_LIST: "Put on the waiting list",
    Application.Status.DECLINED: "Decline",
}
# Once a place is offered, "decline" means taking the offer back.
OFFER_DECISION_LABELS = {Application.Status.DECLINED: "Withdraw the offer (the seat goes to the waiting list)"}


class ApplicationDecideForm(GovukFormHelperMixin, forms.Form):
    """Staff's decision; only the decisions allowed from the application's status are offered."""

    submit_label = "Save decision"

    decision = forms.ChoiceField(
        label="Your decision",
        help_text="The applicant is emailed about every decision.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a decision",
            "invalid_choice": "Choose one of the decisions listed",
        },
    )
    reason = forms.CharField(
        label="Reason for declining",
        help_text="Only when declining. The applicant sees this in their email, so write it for them.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, status: str, decisions: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["decision"])
        labels = {**DECISION_LABELS, **(OFFER_DECISION_LABELS if status == Application.Status.OFFERED else {})}
        field.choices = [(d, labels[Application.Status(d)]) for d in decisions]
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, rows=3),
            Button("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == Application.Status.DECLINED and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for declining the application: the applicant will see it.")
        return cleaned


class ApplicationRespondForm(GovukFormHelperMixin, forms.Form):
    """The learner's answer to an offered place."""

    submit_label = "Send my answer"

    response = forms.ChoiceField(
        label="Do you want to accept this place?",
        choices=[("accept", "Yes, I accept the place"), ("decline", "No, I do not want the place")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you accept the place"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("response", legend_size=Size.MEDIUM), Button("submit", self.submit_label)
        )


class ApplicationQueueFilterForm(forms.Form):
    """The staff queue's GET filters; choices are the cohorts (and their courses) with applications waiting.

    An unknown value is reported on its field and ignored, so an old link still shows the queue.
    """

    course = forms.ChoiceField(
        label="Course", required=False, error_messages={"invalid_choice": "Choose a course from the list"}
    )
    cohort = forms.ChoiceField(
        label="Cohort", required=False, error_messages={"invalid_choice": "Choose a cohort from the list"}
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Submitted or shortlisted"), *((s, Application.Status(s).label) for s in AWAITING_DECISION)],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, data: Any, *, cohorts: list[Cohort]) -> None:
        super().__init__(data)
        self.cohorts = {str(cohort.public_id): cohort for cohort in cohorts}
        self.courses = {str(cohort.course.public_id): cohort.course for cohort in cohorts}
        cast(forms.ChoiceField, self.fields["course"]).choices = [
            ("", "All courses"),
            *((key, course.title) for key, course in self.courses.items()),
        ]
        cast(forms.ChoiceField, self.fields["cohort"]).choices = [
            ("", "All cohorts"),
            *(
                (key, f"{cohort.course.title}: {cohort.name} ({cohort.waiting} waiting)")  # type: ignore[attr-defined]
                for key, cohort in self.cohorts.items()
            ),
        ]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for application_queue_for_staff from the valid fields (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {
            "course": self.courses.get(data.get("course") or ""),
            "cohort": self.cohorts.get(data.get("cohort") or ""),
            "status": data.get("status") or "",
        }
