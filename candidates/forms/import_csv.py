"""Reading a spreadsheet saved as CSV: encoding, delimiter and header names, as people really send them.

Files come from Excel as often as from other systems, so this accepts UTF-8 with or without a
byte-order mark, Excel's "Unicode text" (UTF-16), and Windows-1252 (Excel's "CSV" on Windows);
commas, semicolons (Excel in many European locales) or tabs; and header names in any case, with
spaces or underscores and a few common alternative names. Line numbers are spreadsheet row
numbers: the header is line 1, so "line 7" is the row a user sees as 7 when opening the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

# Our column names, in the order of the template, with the header texts we also recognise
# (compared after `header_key`: lower case, letters and digits only).
COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "forename", "forenames", "givenname"),
    "last_name": ("lastname", "surname", "familyname"),
    "email": ("email", "emailaddress"),
    "phone": ("phone", "phonenumber", "telephone", "tel", "mobile", "mobilenumber", "telephonenumber"),
    "postcode": ("postcode", "postalcode"),
    "date_of_birth": ("dateofbirth", "dob", "birthdate"),
    "source": ("source", "howtheyheardaboutus", "howheard", "referralsource"),
    "employment_status": ("employmentstatus", "employment"),
    "months_out_of_work": ("monthsoutofwork",),
    "benefit_status": ("benefitstatus", "benefits", "benefit"),
    "jobcentre_referral": ("jobcentrereferral", "referredbyjobcentreplus", "jobcentreplusreferral"),
    "work_coach_name": ("workcoachname", "workcoach"),
    "notes": ("notes", "note", "comments"),
}
REQUIRED_COLUMNS = ("first_name", "last_name")

# Signatures of files people upload by mistake instead of a CSV.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or other zipped file",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook",
    b"%PDF": "a PDF",
}


def header_key(text: str) -> str:
    """Compare headers by their letters and digits only: "Date of birth", "date_of_birth", "DOB*"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


_HEADER_LOOKUP = {alias: name for name, aliases in COLUMNS.items() for alias in (header_key(name), *aliases)}


@dataclass
class CsvTable:
    """The data rows of a file: `{"line": 7, "first_name": "Ann", ...}`, keyed by our column names."""

    rows: list[dict[str, Any]]
    columns: list[str]
    ignored_headers: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def decode(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and the encoding that worked.

    Tries UTF-16 when it has a byte-order mark, then UTF-8 (with or without a mark), then
    Windows-1252, then Latin-1 (which decodes any bytes, so the file is never refused for
    encoding alone; a wrong guess shows up as odd letters in the preview).
    """
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ValidationError(
                f"The file is {what}, not a CSV file. In Excel, choose File, Save As, and the type "
                "“CSV UTF-8 (Comma delimited)”, then upload that file."
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    if "\x00" in text:
        raise ValidationError("The file is not a text file. Upload a spreadsheet saved as CSV.")
    return text, "utf-8" if encoding == "utf-8-sig" else encoding


def _header_cells(text: str, delimiter: str) -> list[str]:
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    return next(csv.reader([first_line], delimiter=delimiter), [])


def _recognised(cells: list[str]) -> int:
    return sum(1 for cell in cells if header_key(cell) in _HEADER_LOOKUP)


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: csv.Sniffer's guess when the header splits into our columns with it.

    The Sniffer guesses from character frequencies and can be fooled (e.g. by commas inside notes),
    so its answer is checked against the header; if it does not fit, the delimiter that splits the
    header into the most recognised column names wins (comma on a tie).
    """
    try:
        guess = csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = ""
    if guess and _recognised(_header_cells(text, guess)) >= len(REQUIRED_COLUMNS):
        return guess
    return max(DELIMITERS, key=lambda d: (_recognised(_header_cells(text, d)), d == ","))


def map_headers(headers: list[str]) -> tuple[list[str | None], list[str]]:
    """For each header, our column name (None when ignored), and the ignored header texts.

    Raises ValidationError when a required column is missing or two headers mean the same column.
    """
    mapping: list[str | None] = []
    seen: dict[str, str] = {}
    ignored = []
    for header in headers:
        name = _HEADER_LOOKUP.get(header_key(header))
        if name is None:
            if header.strip():
                ignored.append(header.strip())
            mapping.append(None)
            continue
        if name in seen:
            raise ValidationError(
                f"The columns “{seen[name]}” and “{header.strip()}” both give the {name.replace('_', ' ')}. "
                "Remove one of them."
            )
        seen[name] = header.strip()
        mapping.append(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        found = ", ".join(h.strip() for h in headers if h.strip()) or "none"
        raise ValidationError(
            f"The file has no {' or '.join(missing)} column. The first line must name the columns "
            f"(download the template to see them). Columns found: {found}."
        )
    return mapping, ignored


def read_csv(data: bytes, *, max_rows: int) -> CsvTable:
    """Parse an uploaded CSV into rows keyed by our column names; blank rows are skipped.

    Raises ValidationError (a message for the person who uploaded it) when the file cannot be
    read, has no usable header, no data rows, or more than `max_rows` rows.
    """
    text, encoding = decode(data)
    if not text.strip():
        raise ValidationError("The file is empty.")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
        mapping, ignored = map_headers(headers)
        rows: list[dict[str, Any]] = []
        # Spreadsheet row numbers: the header is line 1; blank rows still take a number.
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == max_rows:
                raise ValidationError(
                    f"The file has more than {max_rows:,} rows, the most one import can take. "
                    "Split it into smaller files."
                )
            row: dict[str, Any] = {"line": line}
            for name, cell in zip(mapping, cells, strict=False):
                if name is not None:
                    row[name] = cell.strip()
            rows.append(row)
    except csv.Error as exc:
        raise ValidationError(f"The file could not be read as CSV (line {reader.line_num}): {exc}.") from exc
    if not rows:
        raise ValidationError("The file has a header line but no rows of data.")
    columns = [name for name in mapping if name is not None]
    return CsvTable(rows=rows, columns=columns, ignored_headers=ignored, encoding=encoding, delimiter=delimiter)
