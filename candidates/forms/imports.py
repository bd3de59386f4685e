"""CSV import of candidates: the upload form, the commit form, and checking one row of a file.

A row is checked with the same Django form fields a person filling in the record would meet,
used directly as validators (no Form per row: a 5,000-row file is checked in well under a second).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from academy.forms import GovukFormHelperMixin
from academy.validators import uk_phone, uk_postcode
from candidates.forms.import_csv import COLUMNS, CsvTable, header_key, read_csv
from candidates.models import choices

# Columns, what they hold and what they accept: shown on the upload page next to the template.
COLUMN_HELP: dict[str, str] = {
    "first_name": "Required.",
    "last_name": "Required.",
    "email": "An email address, for example name@example.com.",
    "phone": "A UK or international number; spaces and brackets are fine.",
    "postcode": "For example LS1 4AP.",
    "date_of_birth": "DD/MM/YYYY (27/03/1985) or YYYY-MM-DD (1985-03-27).",
    "source": "How they heard about the academy: " + "; ".join(choices.Source.labels) + ".",
    "employment_status": "; ".join(choices.EmploymentStatus.labels) + ".",
    "months_out_of_work": "A whole number of months.",
    "benefit_status": "; ".join(choices.BenefitStatus.labels) + ".",
    "jobcentre_referral": "Yes or no (blank means no, or yes when a work coach is named).",
    "work_coach_name": "The Jobcentre Plus work coach who referred them.",
    "notes": "Saved as a note in their contact log.",
}

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
MAX_NOTES = 2000


class CodeOrLabelChoiceField(forms.ChoiceField):
    """A choice typed into a spreadsheet: its code or its label, in any case ("Jobcentre Plus", "jobcentre")."""

    def __init__(self, choice_class: type[models.TextChoices], name: str, **kwargs: Any) -> None:
        super().__init__(choices=choice_class.choices, required=False, **kwargs)
        self.lookup = {}
        for value, label in choice_class.choices:
            self.lookup[header_key(label)] = value
            self.lookup[header_key(value)] = value
        self.error_messages["invalid_choice"] = f"“%(value)s” is not a {name} we know. Use one of: " + ", ".join(
            choice_class.labels
        )

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return self.lookup.get(header_key(text), text) if text else ""


def _text(label: str, max_length: int, required: bool = False) -> forms.CharField:
    return forms.CharField(
        max_length=max_length,
        required=required,
        error_messages={
            "required": f"Enter the {label}",
            "max_length": f"The {label} must be %(limit_value)s characters or fewer",
        },
    )


# Module-level fields, built once: `Field.clean` keeps no state between values.
ROW_FIELDS: dict[str, forms.Field] = {
    "first_name": _text("first name", 80, required=True),
    "last_name": _text("last name", 80, required=True),
    "email": forms.EmailField(
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    ),
    "phone": _text("phone number", 30),
    "postcode": _text("postcode", 10),
    "source": CodeOrLabelChoiceField(choices.Source, "source"),
    "employment_status": CodeOrLabelChoiceField(choices.EmploymentStatus, "employment status"),
    "benefit_status": CodeOrLabelChoiceField(choices.BenefitStatus, "benefit status"),
    "months_out_of_work": forms.IntegerField(
        min_value=0,
        max_value=600,
        required=False,
        error_messages={
            "invalid": "Months out of work must be a whole number, like 6",
            "min_value": "Months out of work cannot be negative",
            "max_value": "Months out of work must be 600 or fewer",
        },
    ),
    "work_coach_name": _text("work coach's name", 100),
    "notes": _text("notes", MAX_NOTES),
}
# Columns that map one-to-one onto Candidate fields (`notes` becomes a contact log note).
CANDIDATE_FIELDS = [name for name in COLUMNS if name != "notes"]


@dataclass
class CheckedRow:
    """One row after checking: `data` for the records service, or `errors` as {line, field, message}."""

    line: int
    data: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add_error(self, name: str, message: str) -> None:
        self.errors.append({"line": self.line, "field": name, "message": message})


def parse_date_of_birth(value: str, today: date) -> date | None:
    """A date of birth written DD/MM/YYYY or YYYY-MM-DD; raises ValidationError saying what to fix."""
    if not value:
        return None
    # Excel sometimes adds a midnight time to dates it recognised.
    value = re.sub(r"\s+00:00(:00)?$", "", value)
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", value):
        raise ValidationError("Date of birth must include a four-digit year, like 27/03/1985")
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, not a moment
        except ValueError:
            continue
        if parsed.year < 1900:
            raise ValidationError("Date of birth must include a four-digit year, like 27/03/1985")
        if parsed >= today:
            raise ValidationError("Date of birth must be in the past")
        return parsed
    raise ValidationError(f"“{value}” is not a date. Write the date of birth as DD/MM/YYYY, like 27/03/1985")


def parse_yes_no(value: str) -> bool | None:
    """True for yes, False for no or blank, None when it is neither."""
    key = value.strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    return None


def check_row(row: dict[str, Any], *, today: date) -> CheckedRow:
    """Check one row of a file (as stored by `read_csv`): every problem, each naming its column."""
    checked = CheckedRow(line=int(row["line"]))
    values: dict[str, Any] = {}
    for name, form_field in ROW_FIELDS.items():
        try:
            values[name] = form_field.clean(row.get(name, ""))
        except ValidationError as exc:
            for message in exc.messages:
                checked.add_error(name, message)
    try:
        values["date_of_birth"] = parse_date_of_birth(row.get("date_of_birth", ""), today)
    except ValidationError as exc:
        checked.add_error("date_of_birth", exc.messages[0])

    # The same checks as every form (academy/validators.py), so an import cannot bring in "abc" or "NOT A PC".
    for name, check in (("phone", uk_phone), ("postcode", uk_postcode)):
        if values.get(name):
            try:
                values[name] = check(values[name])
            except ValidationError as exc:
                checked.add_error(name, exc.messages[0])
    if values.get("email"):
        values["email"] = values["email"].lower()

    referral = parse_yes_no(row.get("jobcentre_referral", ""))
    if referral is None:
        checked.add_error("jobcentre_referral", "Jobcentre referral must be yes or no")
    elif values.get("work_coach_name") and not referral:
        if row.get("jobcentre_referral", "").strip():
            checked.add_error("work_coach_name", "Only give a work coach's name if Jobcentre Plus referred them")
        else:
            referral = True  # a named work coach means Jobcentre Plus referred them
    values["jobcentre_referral"] = bool(referral)

    if not checked.errors:
        checked.notes = values.pop("notes", "") or ""
        checked.data = {name: values[name] for name in CANDIDATE_FIELDS if values.get(name) not in (None, "")}
        checked.data["jobcentre_referral"] = values["jobcentre_referral"]
    return checked


def check_rows(rows: list[dict[str, Any]]) -> list[CheckedRow]:
    """Check every row of a file, with today's date fixed once for the whole file."""
    today = timezone.localdate()
    return [check_row(row, today=today) for row in rows]


def import_max_mb() -> int:
    """The largest file accepted, in MB: about 1 KB per allowed row (a generous row), at least 1 MB."""
    return max(1, math.ceil(settings.CANDIDATE_IMPORT_MAX_ROWS / 1000))


class CandidateImportForm(GovukFormHelperMixin, forms.Form):
    """Upload a CSV file; a valid form has `table`, the file's rows keyed by column name."""

    submit_label = "Upload and check"

    file = forms.FileField(
        label="CSV file",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )

    table: CsvTable

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        max_rows = settings.CANDIDATE_IMPORT_MAX_ROWS
        self.fields["file"].help_text = f"A spreadsheet saved as CSV, up to {max_rows:,} rows and {import_max_mb()} MB."
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".tsv")):
            raise ValidationError(
                "The file must be a CSV file (its name ends in .csv). In Excel, choose File, Save As, "
                "and the type “CSV UTF-8 (Comma delimited)”"
            )
        if upload.size > import_max_mb() * 1024 * 1024:
            raise ValidationError(f"The file must be smaller than {import_max_mb()} MB")
        # Size and type are checked on the content too: read_csv refuses workbooks, PDFs and binary files.
        self.table = read_csv(upload.read(), max_rows=settings.CANDIDATE_IMPORT_MAX_ROWS)
        return upload


class CandidateImportCommitForm(forms.Form):
    """Confirm an import; possible duplicates are left out unless staff tick the box."""

    include_duplicates = forms.BooleanField(required=False)

    def __init__(self, *args: Any, duplicate_rows: int | None = None, to_import: int = 0, **kwargs: Any) -> None:
        """Give the counts to display the form; a form only reading a POST needs none."""
        super().__init__(*args, **kwargs)
        if duplicate_rows is None:
            return
        self.helper = FormHelper()
        self.helper.form_tag = False
        fields: list[Any] = []
        if duplicate_rows:
            rows = "row" if duplicate_rows == 1 else "rows"
            self.fields[
                "include_duplicates"
            ].label = f"Also import the {duplicate_rows} {rows} that may be duplicates (you can merge records later)"
            fields.append(Field.checkbox("include_duplicates", small=True))
        else:
            del self.fields["include_duplicates"]
        people = "candidate" if to_import == 1 else "candidates"
        self.helper.layout = Layout(*fields, Button("submit", f"Import {to_import:,} {people}"))
