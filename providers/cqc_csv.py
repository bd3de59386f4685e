"""Reading and checking the CQC care directory saved as CSV (or our template of the same columns).

The CQC publishes its care directory ("care directory with filters") as a spreadsheet; academies
filter it to their area and save it as CSV. Headers are matched liberally: any case, spaces,
underscores or punctuation, and the names the CQC's files use ("CQC Location (for office use only)",
"Location ID", "Location Postal Code", "Latest overall rating"). Files come from Excel as often as
not, so UTF-8 with or without a byte-order mark, UTF-16 and Windows-1252 are read, with commas,
semicolons or tabs. Line numbers are spreadsheet row numbers: the header is line 1.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from academy.validators import uk_postcode
from providers.forms import normalise_cqc_location_id
from providers.models import CQC_LOCATION_ID_PATTERN, Provider

MAX_ROWS = 5000
DELIMITERS = ",;\t"

# Our column names, in the template's order, with the headers we also recognise (compared after
# `header_key`: lower case, letters and digits only).
COLUMNS: dict[str, tuple[str, ...]] = {
    "location_id": (
        "locationid",
        "cqclocationid",
        "cqclocation",
        "cqclocationforofficeuseonly",
        "cqclocationidforofficeuseonly",
        "locationidentifier",
    ),
    "name": ("name", "locationname", "servicename"),
    "address": ("address", "locationaddress", "streetaddress", "locationstreetaddress", "addressline1"),
    "town": ("town", "city", "towncity", "locationcity", "locationtown"),
    "postcode": ("postcode", "postalcode", "locationpostalcode", "locationpostcode"),
    "service_types": ("servicetypes", "servicetype", "locationservicetypes", "services"),
    "rating": (
        "rating",
        "cqcrating",
        "overallrating",
        "latestoverallrating",
        "locationlatestoverallrating",
        "latestrating",
    ),
}
REQUIRED_COLUMNS = ("location_id", "name")
COLUMN_LABELS = {
    "location_id": "Location ID",
    "name": "Name",
    "address": "Address",
    "town": "Town",
    "postcode": "Postcode",
    "service_types": "Service types",
    "rating": "Rating",
}
# What each column holds: shown on the upload page beside the template.
COLUMN_HELP = {
    "location_id": "Required. The CQC location ID, like 1-123456789. Re-importing a file updates the provider "
    "with the same ID.",
    "name": "Required. The name of the location (care home or agency branch).",
    "address": "The street address; a town column, when there is one, is added on a new line.",
    "town": "Optional, added to the address.",
    "postcode": "A UK postcode, like LS1 4AP.",
    "service_types": "As the CQC lists them, for example “Homecare agencies|Supported living”. A new provider's "
    "type of service is taken from them.",
    "rating": "Outstanding, Good, Requires improvement, Inadequate, or blank when not rated.",
}

_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or other zipped file",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook",
    b"%PDF": "a PDF",
}

_RATINGS = {
    "outstanding": Provider.CqcRating.OUTSTANDING,
    "good": Provider.CqcRating.GOOD,
    "requiresimprovement": Provider.CqcRating.REQUIRES_IMPROVEMENT,
    "inadequate": Provider.CqcRating.INADEQUATE,
    "": Provider.CqcRating.NOT_RATED,
    "notrated": Provider.CqcRating.NOT_RATED,
    "notyetrated": Provider.CqcRating.NOT_RATED,
    "nopublishedrating": Provider.CqcRating.NOT_RATED,
    "insufficientevidencetorate": Provider.CqcRating.NOT_RATED,
}

# A new provider's type of service from the CQC service types, first match wins (nursing before residential,
# as a nursing home is listed as both).
_KIND_FROM_SERVICE = (
    ("nursing", Provider.Kind.NURSING),
    ("residential", Provider.Kind.RESIDENTIAL),
    ("carehome", Provider.Kind.RESIDENTIAL),
    ("homecare", Provider.Kind.HOME_CARE),
    ("domiciliary", Provider.Kind.HOME_CARE),
    ("supportedliving", Provider.Kind.SUPPORTED_LIVING),
    ("extracare", Provider.Kind.SUPPORTED_LIVING),
    ("day", Provider.Kind.DAY_SERVICES),
)

MAX_LENGTHS = {"name": 200, "address": 500, "town": 100, "service_types": 500}


def header_key(text: str) -> str:
    """Compare headers by their letters and digits only: "Location ID", "location_id", "LOCATION-ID*"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


_HEADER_LOOKUP = {alias: name for name, aliases in COLUMNS.items() for alias in (header_key(name), *aliases)}


@dataclass
class ProviderRow:
    """One checked row: the provider fields it gives, or its errors as {line, column, message}."""

    line: int
    location_id: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add_error(self, column: str, message: str) -> None:
        self.errors.append({"line": self.line, "column": COLUMN_LABELS[column], "message": message})


@dataclass
class CqcTable:
    """The data rows of a file, keyed by our column names, and the headers we did not use."""

    rows: list[dict[str, Any]]
    ignored_headers: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ValidationError(
                f"The file is {what}, not a CSV file. In Excel, choose File, Save As, and the type "
                "“CSV UTF-8 (Comma delimited)”, then upload that file."
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    text = ""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    if "\x00" in text:
        raise ValidationError("The file is not a text file. Upload a spreadsheet saved as CSV.")
    return text


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns we know (comma on a tie)."""
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""

    def recognised(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if header_key(cell) in _HEADER_LOOKUP)

    return max(DELIMITERS, key=lambda d: (recognised(d), d == ","))


def _map_headers(headers: list[str]) -> tuple[list[str | None], list[str]]:
    mapping: list[str | None] = []
    seen: dict[str, str] = {}
    ignored = []
    for header in headers:
        name = _HEADER_LOOKUP.get(header_key(header))
        if name is None or name in seen:
            # A second column for the same thing (the CQC file has both a name and a provider name) is ignored.
            if header.strip():
                ignored.append(header.strip())
            mapping.append(None)
            continue
        seen[name] = header.strip()
        mapping.append(name)
    missing = [COLUMN_LABELS[name] for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        found = ", ".join(h.strip() for h in headers if h.strip()) or "none"
        raise ValidationError(
            f"The file has no {' or '.join(missing)} column. The first line must name the columns "
            f"(download the template to see them). Columns found: {found}."
        )
    return mapping, ignored


def read_cqc_csv(data: bytes, *, max_rows: int = MAX_ROWS) -> CqcTable:
    """Parse an uploaded CSV into rows keyed by our column names; blank rows are skipped.

    Raises ValidationError (a message for the person who uploaded it) when the file cannot be read,
    has no usable header, no data rows, or more than `max_rows` rows.
    """
    text = _decode(data)
    if not text.strip():
        raise ValidationError("The file is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[dict[str, Any]] = []
    try:
        mapping, ignored = _map_headers(next(reader))
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == max_rows:
                raise ValidationError(
                    f"The file has more than {max_rows:,} rows, the most one import can take. Split it into smaller "
                    "files (for example by local authority)."
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
    return CqcTable(rows=rows, ignored_headers=ignored)


def kind_from_service_types(service_types: str) -> str:
    """The type of service a new provider gets from its CQC service types (Other when none fits)."""
    key = header_key(service_types)
    for fragment, kind in _KIND_FROM_SERVICE:
        if fragment in key:
            return kind
    return Provider.Kind.OTHER


def check_row(row: dict[str, Any]) -> ProviderRow:
    """Check one row: every problem, each naming its column; `values` holds the Provider fields it sets."""
    checked = ProviderRow(line=int(row["line"]))
    for column, limit in MAX_LENGTHS.items():
        if len(row.get(column, "")) > limit:
            checked.add_error(column, f"{COLUMN_LABELS[column]} must be {limit} characters or fewer")

    location_id = normalise_cqc_location_id(row.get("location_id", ""))
    if not location_id:
        checked.add_error("location_id", "Enter the CQC location ID")
    elif not re.match(CQC_LOCATION_ID_PATTERN, location_id):
        checked.add_error("location_id", f"“{location_id}” is not a CQC location ID. They look like 1-123456789")
    checked.location_id = location_id

    name = " ".join(row.get("name", "").split())
    if not name:
        checked.add_error("name", "Enter the name")

    postcode = ""
    try:
        postcode = uk_postcode(row.get("postcode", ""))
    except ValidationError:
        checked.add_error("postcode", f"“{row.get('postcode', '')}” is not a UK postcode. Write it like LS1 4AP")

    rating_text = row.get("rating", "")
    rating = _RATINGS.get(header_key(rating_text))
    if rating is None:
        checked.add_error(
            "rating",
            f"“{rating_text}” is not a CQC rating. Use Outstanding, Good, Requires improvement, Inadequate, "
            "or leave it blank",
        )

    address = "\n".join(part for part in (row.get("address", ""), row.get("town", "")) if part)
    service_types = " | ".join(part.strip() for part in row.get("service_types", "").split("|") if part.strip())
    if not checked.errors:
        checked.values = {
            "name": name,
            "address": address,
            "postcode": postcode,
            "cqc_service_types": service_types,
            "cqc_rating": str(rating),
        }
    return checked
