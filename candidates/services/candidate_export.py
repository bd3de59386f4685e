"""CSV export of the staff candidate list: streamed, audited, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, CandidateBarrier, EqualityMonitoring
from candidates.models.choices import Barrier, Interest
from candidates.selectors.candidate_list import CandidateListFilters

CHUNK_SIZE = 2000
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"  # so Excel reads the file as UTF-8 and names with accents survive


def csv_safe(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would otherwise treat it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


# One exported row: the columns of `ROW_FIELDS` read with QuerySet.values() (no model objects: at
# 100,000 rows building them was most of the export's time), plus "barriers", a list of
# (code, support needed) pairs read per chunk.
Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Row], object]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _labels(model: type[Model], field: str) -> dict[str, str]:
    # A dict built once: get_FOO_display() rebuilds its lookup on every call, which at 100,000
    # rows and a dozen coded columns was a third of the export's time.
    return {str(value): str(label) for value, label in model._meta.get_field(field).flatchoices}  # type: ignore[union-attr]


def _choice_column(header: str, field: str) -> Column:
    labels = _labels(Candidate, field)
    return Column(header, lambda row: labels.get(row[field], row[field]))


def _field(header: str, field: str) -> Column:
    return Column(header, lambda row: row[field])


def _equality_column(header: str, field: str) -> Column:
    labels = _labels(EqualityMonitoring, field)
    key = f"equality__{field}"

    def value(row: Row) -> str:
        answer = row[key]
        return str(labels.get(answer, answer)) if answer is not None else ""

    return Column(header, value)


INTEREST_LABELS = {str(value): str(label) for value, label in Interest.choices}
BARRIER_LABELS = {str(value): str(label) for value, label in Barrier.choices}

RECORD_COLUMNS = [
    _field("Reference", "public_id"),
    _field("First name", "first_name"),
    _field("Last name", "last_name"),
    _field("Email", "email"),
    _field("Phone", "phone"),
    _field("Postcode", "postcode"),
    Column("Date of birth", lambda row: _date(row["date_of_birth"])),
    _choice_column("How they heard about us", "source"),
    _field("Stage", "stage__name"),
    Column("In stage since", lambda row: _local(row["stage_entered_at"])),
    _choice_column("Closed reason", "closed_reason"),
    # As User.get_full_name(): the name, else the email address.
    Column("Staff owner", lambda row: row["owner__full_name"] or row["owner__email"] or ""),
    Column("Registered", lambda row: _local(row["created_at"])),
    Column("Portal account", lambda row: _yes_no(row["user_id"] is not None)),
    _choice_column("Right to work", "right_to_work"),
    _choice_column("Employment status", "employment_status"),
    Column(
        "Months out of work", lambda row: row["months_out_of_work"] if row["months_out_of_work"] is not None else ""
    ),
    _choice_column("Benefit status", "benefit_status"),
    Column("Referred by Jobcentre Plus", lambda row: _yes_no(row["jobcentre_referral"])),
    _field("Work coach", "work_coach_name"),
    _choice_column("Highest qualification", "highest_qualification"),
    Column("Caring responsibilities", lambda row: _yes_no(row["caring_responsibilities"])),
    Column("Interests", lambda row: "; ".join(str(INTEREST_LABELS.get(i, i)) for i in row["interests"] or [])),
    _choice_column("Availability", "availability"),
    Column("Driving licence", lambda row: _yes_no(row["driving_licence"])),
    Column("Has use of a car", lambda row: _yes_no(row["has_car"])),
    Column("Barriers", lambda row: "; ".join(BARRIER_LABELS[code] for code, _ in row["barriers"])),
    Column(
        "Support needed",
        lambda row: "; ".join(f"{BARRIER_LABELS[code]}: {support}" for code, support in row["barriers"] if support),
    ),
]
ROW_FIELDS = [
    "id",
    "public_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "date_of_birth",
    "source",
    "stage__name",
    "stage_entered_at",
    "closed_reason",
    "owner__full_name",
    "owner__email",
    "created_at",
    "user_id",
    "right_to_work",
    "employment_status",
    "months_out_of_work",
    "benefit_status",
    "jobcentre_referral",
    "work_coach_name",
    "highest_qualification",
    "caring_responsibilities",
    "interests",
    "availability",
    "driving_licence",
    "has_car",
]

EQUALITY_FIELDS = [
    ("Sex", "sex"),
    ("Gender identity same as sex registered at birth", "gender_same_as_birth"),
    ("Ethnicity", "ethnicity"),
    ("Disabled or long-term health condition", "disability"),
    ("Religion", "religion"),
    ("Sexual orientation", "sexual_orientation"),
    ("Care leaver", "care_leaver"),
    ("Armed forces community", "armed_forces"),
    ("Refugee or asylum seeker", "refugee"),
    ("Career returner", "career_returner"),
    ("Unpaid carer", "carer"),
]
EQUALITY_COLUMNS = [_equality_column(header, field) for header, field in EQUALITY_FIELDS]


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def candidate_export_columns(*, include_equality: bool) -> list[Column]:
    """The export's columns: the record, plus equality answers only when the user may export them."""
    return RECORD_COLUMNS + (EQUALITY_COLUMNS if include_equality else [])


def _with_barriers(rows: Iterator[Row]) -> Iterator[Row]:
    """`rows` with each one's barriers, read with one query per CHUNK_SIZE rows."""
    while chunk := list(islice(rows, CHUNK_SIZE)):
        barriers: dict[int, list[tuple[str, str]]] = defaultdict(list)
        found = CandidateBarrier.objects.filter(candidate_id__in=[row["id"] for row in chunk]).order_by("barrier")
        for candidate_id, code, support in found.values_list("candidate_id", "barrier", "support_needed"):
            barriers[candidate_id].append((code, support))
        for row in chunk:
            row["barriers"] = barriers.get(row["id"], [])
            yield row


def _lines(rows: Iterable[Row], columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK + writer.writerow([column.header for column in columns])
    for row in rows:
        yield writer.writerow([csv_safe(column.value(row)) for column in columns])


def candidate_export_csv(
    *, actor: User, candidates: QuerySet[Candidate], filters: CandidateListFilters, include_equality: bool
) -> Iterator[str]:
    """Audit the export, then return its CSV lines; rows are read 2,000 at a time, never all at once.

    `candidates` is the filtered list from selectors.candidate_list (the same rows the list shows).
    The audit entry names the filters, the row count and whether equality answers were included.
    """
    audit_log(
        actor=actor,
        action="candidate.export",
        data={"filters": filters.summary(), "rows": candidates.count(), "equality": include_equality},
    )
    fields = ROW_FIELDS + ([f"equality__{field}" for _, field in EQUALITY_FIELDS] if include_equality else [])
    rows = candidates.values(*fields).iterator(chunk_size=CHUNK_SIZE)
    columns = candidate_export_columns(include_equality=include_equality)
    return _lines(_with_barriers(rows), columns)
