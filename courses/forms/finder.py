"""The public course finder's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from candidates.forms.records import GovukDateField
from courses.models import Course
from courses.selectors.finder import FinderFilters


def _date(label: str) -> GovukDateField:
    """The Design System's date input (day, month and year boxes), as every other date in the portal."""
    return GovukDateField(label=label, required=False)


class FinderFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Type of course", choices=[("", "Any type"), *Course.Kind.choices], required=False)
    town = forms.ChoiceField(label="Town or city", choices=[], required=False)
    starts_from = _date("Starting from")
    starts_to = _date("Starting by")

    def __init__(self, *args: Any, towns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", "Anywhere"), *((town, town) for town in towns)]  # type: ignore[attr-defined]
        self.fields["kind"].error_messages["invalid_choice"] = "Choose a type of course from the list"
        # A bookmarked town may have no course left: say so, and show the courses elsewhere.
        self.fields["town"].error_messages["invalid_choice"] = (
            "There are no courses in %(value)s at the moment: choose another place"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_from"), cleaned.get("starts_to")
        if start and end and end < start:
            self.add_error("starts_to", "Starting by must be the same as or after Starting from")
        return cleaned

    def filters(self) -> FinderFilters:
        """The valid filters to apply; a filter with an error is left out (the error summary says why)."""
        if not self.is_bound:
            return FinderFilters()
        self.is_valid()
        data = self.cleaned_data
        return FinderFilters(
            kind=data.get("kind", ""),
            town=data.get("town", ""),
            starts_from=data.get("starts_from"),
            starts_to=data.get("starts_to"),
        )
