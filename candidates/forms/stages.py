"""Forms for managers configuring the pipeline stages."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from academy.forms import GovukFormHelperMixin


class StageForm(GovukFormHelperMixin, forms.Form):
    submit_label = "Save stage"

    name = forms.CharField(label="Name", max_length=60)
    position = forms.IntegerField(
        label="Position",
        min_value=0,
        max_value=32767,
        help_text="Stages are listed from the lowest number up. New records start in the first open stage in use.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    is_closed = forms.BooleanField(
        label="This stage closes the record",
        help_text="Moving someone here needs a reason, such as withdrew or not eligible.",
        required=False,
    )
    is_active = forms.BooleanField(
        label="In use",
        help_text="Untick to stop using the stage. Only possible when nobody is in it.",
        required=False,
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            # New stages start in use; retiring one is an edit.
            del self.fields["is_active"]
        layout: list[Any] = [Field.text("name", field_width="two-thirds"), Field.text("position", field_width=4)]
        layout += [Field.checkbox(name) for name in ("is_closed", "is_active") if name in self.fields]
        self.helper.layout = Layout(*layout, Button("submit", self.submit_label))
