"""The merge form: which record is kept and, for each field where they differ, which value."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from candidates.models import Candidate
from candidates.selectors.merge import MergeComparison

NOT_RECORDED = "Not recorded"


def _default_survivor(comparison: MergeComparison) -> Candidate:
    """Suggest keeping the record with an active account, else the older one (it has the longer history)."""
    first, second = comparison.first, comparison.second
    first_account = bool(first.user and first.user.is_active)
    second_account = bool(second.user and second.user.is_active)
    if first_account != second_account:
        return first if first_account else second
    return first if (first.created_at, first.pk) <= (second.created_at, second.pk) else second


class CandidateMergeForm(forms.Form):
    survivor = forms.ChoiceField(
        label="Which record do you want to keep?",
        help_text="The other record's history moves to it, and the other record is closed as merged.",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which record to keep"},
    )

    def __init__(self, *args: Any, comparison: MergeComparison, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.records = {str(c.public_id): c for c in (comparison.first, comparison.second)}
        first_id, second_id = str(comparison.first.public_id), str(comparison.second.public_id)
        default = _default_survivor(comparison)
        survivor_field = cast(forms.ChoiceField, self.fields["survivor"])
        survivor_field.choices = [
            (first_id, f"Record A: {comparison.first.full_name}, added {comparison.first.created_at:%d %B %Y}"),
            (second_id, f"Record B: {comparison.second.full_name}, added {comparison.second.created_at:%d %B %Y}"),
        ]
        survivor_field.initial = str(default.public_id)

        value_fields = []
        for row in comparison.differing_fields:
            # Suggest the kept record's value, unless it has none.
            kept_value, kept_id, other_id = (
                (row.first, first_id, second_id) if default == comparison.first else (row.second, second_id, first_id)
            )
            initial = kept_id if kept_value else other_id
            self.fields[f"keep_{row.name}"] = forms.ChoiceField(
                label=row.label,
                choices=[
                    (first_id, f"{row.first or NOT_RECORDED} (record A)"),
                    (second_id, f"{row.second or NOT_RECORDED} (record B)"),
                ],
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={"required": f"Choose which {row.label.lower()} to keep"},
            )
            value_fields.append(Field.radios(f"keep_{row.name}", legend_size=Size.SMALL, small=True))

        self.helper = FormHelper()
        self.helper.form_tag = False
        layout: list[Any] = [Field.radios("survivor", legend_size=Size.MEDIUM)]
        if value_fields:
            layout.append(Fieldset(*value_fields, legend="Which details to keep", legend_size=Size.MEDIUM))
        layout.append(Button.warning("submit", "Merge records"))
        self.helper.layout = Layout(*layout)

    def merge_arguments(self) -> dict[str, Any]:
        """`survivor`, `duplicate` and `field_choices` for candidate_merge, from the cleaned form."""
        survivor = self.records[self.cleaned_data["survivor"]]
        duplicate = next(c for c in self.records.values() if c != survivor)
        field_choices = {
            name.removeprefix("keep_"): self.records[value]
            for name, value in self.cleaned_data.items()
            if name.startswith("keep_")
        }
        return {"survivor": survivor, "duplicate": duplicate, "field_choices": field_choices}
