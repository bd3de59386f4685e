"""CSV export of the staff candidate list: streamed, audited, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, QuerySet
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, EqualityMonitoring
from candidates.models.choices import Barrier, Interest
from candidates.selectors.candidate_list import CandidateListFilters, candidate_export_rows

CHUNK_SIZE = 2000
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"  # so Excel reads the file as UTF-8 and names with accents survive


def csv_safe(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would otherwise treat it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Candidate], object]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _equality(candidate: Candidate) -> EqualityMonitoring | None:
    try:
        return candidate.equality
    except EqualityMonitoring.DoesNotExist:
        return None


def _labels(model: type[Model], field: str) -> dict[str, str]:
    # A dict built once: get_FOO_display() rebuilds its lookup on every call, which at 100,000
    # rows and a dozen coded columns was a third of the export's time.
    return {str(value): str(label) for value, label in model._meta.get_field(field).flatchoices}  # type: ignore[union-attr]


def _choice_column(header: str, field: str) -> Column:
    labels = _labels(Candidate, field)
    return Column(header, lambda c: labels.get(getattr(c, field), getattr(c, field)))


def _equality_column(header: str, field: str) -> Column:
    labels = _labels(EqualityMonitoring, field)

    def value(candidate: Candidate) -> str:
        record = _equality(candidate)
        return labels.get(getattr(record, field), getattr(record, field)) if record else ""

    return Column(header, value)


INTEREST_LABELS = {str(value): str(label) for value, label in Interest.choices}
BARRIER_LABELS = {str(value): str(label) for value, label in Barrier.choices}

RECORD_COLUMNS = [
    Column("Reference", lambda c: c.public_id),
    Column("First name", lambda c: c.first_name),
    Column("Last name", lambda c: c.last_name),
    Column("Email", lambda c: c.email),
    Column("Phone", lambda c: c.phone),
    Column("Postcode", lambda c: c.postcode),
    Column("Date of birth", lambda c: _date(c.date_of_birth)),
    _choice_column("How they heard about us", "source"),
    Column("Stage", lambda c: c.stage.name),
    Column("In stage since", lambda c: _local(c.stage_entered_at)),
    _choice_column("Closed reason", "closed_reason"),
    Column("Staff owner", lambda c: c.owner.get_full_name() if c.owner else ""),
    Column("Registered", lambda c: _local(c.created_at)),
    Column("Portal account", lambda c: _yes_no(c.user_id is not None)),
    _choice_column("Right to work", "right_to_work"),
    _choice_column("Employment status", "employment_status"),
    Column("Months out of work", lambda c: c.months_out_of_work if c.months_out_of_work is not None else ""),
    _choice_column("Benefit status", "benefit_status"),
    Column("Referred by Jobcentre Plus", lambda c: _yes_no(c.jobcentre_referral)),
    Column("Work coach", lambda c: c.work_coach_name),
    _choice_column("Highest qualification", "highest_qualification"),
    Column("Caring responsibilities", lambda c: _yes_no(c.caring_responsibilities)),
    Column("Interests", lambda c: "; ".join(str(INTEREST_LABELS.get(i, i)) for i in c.interests or [])),
    _choice_column("Availability", "availability"),
    Column("Driving licence", lambda c: _yes_no(c.driving_licence)),
    Column("Has use of a car", lambda c: _yes_no(c.has_car)),
    Column("Barriers", lambda c: "; ".join(BARRIER_LABELS[b.barrier] for b in c.barriers.all())),
    Column(
        "Support needed",
        lambda c: "; ".join(
            f"{BARRIER_LABELS[b.barrier]}: {b.support_needed}" for b in c.barriers.all() if b.support_needed
        ),
    ),
]

EQUALITY_COLUMNS = [
    _equality_column("Sex", "sex"),
    _equality_column("Gender identity same as sex registered at birth", "gender_same_as_birth"),
    _equality_column("Ethnicity", "ethnicity"),
    _equality_column("Disabled or long-term health condition", "disability"),
    _equality_column("Religion", "religion"),
    _equality_column("Sexual orientation", "sexual_orientation"),
    _equality_column("Care leaver", "care_leaver"),
    _equality_column("Armed forces community", "armed_forces"),
    _equality_column("Refugee or asylum seeker", "refugee"),
    _equality_column("Career returner", "career_returner"),
    _equality_column("Unpaid carer", "carer"),
]


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def candidate_export_columns(*, include_equality: bool) -> list[Column]:
    """The export's columns: the record, plus equality answers only when the user may export them."""
    return RECORD_COLUMNS + (EQUALITY_COLUMNS if include_equality else [])


def _lines(rows: Iterable[Candidate], columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK + writer.writerow([column.header for column in columns])
    for candidate in rows:
        yield writer.writerow([csv_safe(column.value(candidate)) for column in columns])


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
    rows = candidate_export_rows(candidates=candidates, include_equality=include_equality)
    columns = candidate_export_columns(include_equality=include_equality)
    return _lines(rows.iterator(chunk_size=CHUNK_SIZE), columns)
