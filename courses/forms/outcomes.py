"""Forms for recording how a course ended, certificates, feedback and the before/after questionnaire."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.files.uploadedfile import UploadedFile

from academy.forms import GovukFormHelperMixin
from candidates.forms.records import GovukDateField
from candidates.services.documents import ALLOWED_EXTENSIONS, document_validate_file
from courses.models import Enrolment
from courses.services.feedback import COMMENT_MAX_LENGTH, MAX_SCORE_EACH, STATEMENTS
from courses.services.outcomes import MAX_STANDARDS, NEEDS_REASON, OUTCOMES

Status = Enrolment.Status

REASON_MAX_LENGTH = 1000


class OutcomeForm(GovukFormHelperMixin, forms.Form):
    """How the course ended for one learner; Care Certificate standards only on Care Certificate courses."""

    submit_label = "Save outcome"

    status = forms.ChoiceField(
        label="How did the course end for them?",
        choices=[(status.value, status.label) for status in OUTCOMES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the course ended for them"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed if they withdrew or did not complete, for example 'Started a job' or 'Missed too many days'.",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"},
    )
    care_certificate_standards = forms.IntegerField(
        label="Care Certificate standards achieved",
        help_text=f"A number from 0 to {MAX_STANDARDS}.",
        min_value=0,
        max_value=MAX_STANDARDS,
        error_messages={
            "required": "Enter the number of Care Certificate standards achieved",
            "invalid": f"Standards achieved must be a number from 0 to {MAX_STANDARDS}, like 15",
            "min_value": "Standards achieved must be 0 or more",
            "max_value": f"Standards achieved must be {MAX_STANDARDS} or fewer",
        },
    )

    confirm_early = forms.BooleanField(
        label="I confirm they have completed the course before it is over",
        required=False,
    )
    early_reason = forms.CharField(
        label="Why have they completed early?",
        help_text="For example, 'Covered the remaining sessions one to one before starting a job'.",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args: Any, care_certificate: bool, early: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # `early`: why completing now is early (courses.services.outcomes.completion_too_early), or "".
        self.early = early
        fields: list[Any] = [
            Field.radios("status", legend_size=Size.MEDIUM),
            Field.textarea("reason", rows=3, max_characters=REASON_MAX_LENGTH),
        ]
        if care_certificate:
            self.fields["care_certificate_standards"].widget.attrs.update({"inputmode": "numeric"})
            fields.append(Field.text("care_certificate_standards", field_width=2))
        else:
            del self.fields["care_certificate_standards"]
        if self.show_early:
            fields += [Field.checkbox("confirm_early"), Field.textarea("early_reason", rows=3)]
        else:
            del self.fields["confirm_early"], self.fields["early_reason"]
        self.helper.layout = Layout(*fields, Button("submit", self.submit_label))

    @property
    def show_early(self) -> bool:
        """The confirmation appears once someone asks to complete a learner early."""
        return bool(self.early) and self.is_bound and self.data.get("status") == Status.COMPLETED

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status in NEEDS_REASON and not cleaned.get("reason", "").strip():
            self.add_error("reason", NEEDS_REASON[status])
        cleaned.setdefault("care_certificate_standards", 0)
        if self.show_early:
            if not cleaned.get("confirm_early"):
                self.add_error("confirm_early", "Tick to confirm they have completed before the course is over")
            if not cleaned.get("early_reason", "").strip():
                self.add_error("early_reason", "Enter why they have completed before the course is over")
        else:
            cleaned["early_reason"] = ""
        return cleaned


class CertificateForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save certificate"

    title = forms.CharField(
        label="Certificate title",
        max_length=150,
        error_messages={
            "required": "Enter the certificate title",
            "max_length": "The certificate title must be 150 characters or fewer",
        },
    )
    issued_on = GovukDateField(label="Date issued", help_text="For example, 27 3 2027", past_only=True)
    file = forms.FileField(
        label="Upload a copy (optional)",
        required=False,
        error_messages={"empty": "The selected file is empty. Choose a file that has something in it"},
    )

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"A PDF, Word document (.docx), OpenDocument text (.odt), JPG, PNG or text file, smaller than {max_mb} MB."
        )
        self.fields["file"].widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)
        self.helper.layout = Layout(
            Field.text("title"), Field("issued_on"), Field("file"), Button("submit", self.submit_label)
        )

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if upload:
            document_validate_file(upload)
        return upload or None


RATING_CHOICES = [
    (5, "5 - Very good"),
    (4, "4 - Good"),
    (3, "3 - Neither good nor poor"),
    (2, "2 - Poor"),
    (1, "1 - Very poor"),
]


class FeedbackForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Send feedback"

    rating = forms.TypedChoiceField(
        label="Overall, how would you rate the course?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a rating for the course, from 1 to 5"},
    )
    comment = forms.CharField(
        label="What went well, and what could we do better? (optional)",
        help_text="Staff read your comments without your name next to them.",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"Your comments must be {COMMENT_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("comment", rows=5, max_characters=COMMENT_MAX_LENGTH),
            Button("submit", self.submit_label),
        )


SCORE_CHOICES = [(score, str(score)) for score in range(MAX_SCORE_EACH + 1)]


class QuestionnaireForm(GovukFormHelperMixin, forms.Form):
    """The five statements, each scored from 0 (not at all) to 10 (completely)."""

    submit_label = "Send answers"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, statement in STATEMENTS:
            self.fields[key] = forms.TypedChoiceField(
                label=statement,
                help_text=f"0 means not at all, {MAX_SCORE_EACH} means completely.",
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a score for: {statement}"},
            )
        # One fieldset per statement (GOV.UK radios); the page's heading introduces them, as nested
        # fieldsets confuse screen readers.
        self.helper.layout = Layout(
            *[Field.radios(key, legend_size=Size.SMALL, inline=True, small=True) for key, _ in STATEMENTS],
            Button("submit", self.submit_label),
        )

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _ in STATEMENTS}
