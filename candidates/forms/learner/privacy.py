"""Documents, asking for deletion, and staff handling deletion requests."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.files.uploadedfile import UploadedFile

from academy.forms import GovukFormHelperMixin
from candidates.models import Document
from candidates.services.documents import FileType, document_validate_file


class DocumentUploadForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Upload document"

    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of document it is"},
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"},
    )

    file_type: FileType | None = None

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True
        self.fields[
            "file"
        ].help_text = (
            f"A PDF, Word document (.docx), OpenDocument text (.odt), JPG, PNG or text file, smaller than {max_mb} MB."
        )
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.odt,.jpg,.jpeg,.png,.txt"
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("file"),
            Button("submit", self.submit_label),
        )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        self.file_type = document_validate_file(upload)
        return upload


class ErasureRequestForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Ask us to delete my data"

    reason = forms.CharField(
        label="Why do you want us to delete your data? (optional)",
        help_text="You do not have to tell us.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Your reason must be 1,000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.textarea("reason", rows=4, max_characters=1000),
            Button.warning("submit", self.submit_label),
        )


class DataRequestCompleteForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Anonymise the record"

    note = forms.CharField(
        label="Note for the record (optional)",
        help_text="For example, how you checked the request came from the person. Do not include their name.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.textarea("note", rows=3), Button.warning("submit", self.submit_label))


class DataRequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[("open", "Open"), ("completed", "Completed"), ("all", "All")],
        required=False,
    )
