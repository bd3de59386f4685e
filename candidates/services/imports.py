"""CSV import of candidates: check a file, then import all of it or nothing.

Uploading stores the file's rows with every error and possible duplicate (nothing is created).
Committing claims the import, checks the stored rows again against today's records and creates
every candidate in one transaction, with one audit entry for the batch; any error rolls it all back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.forms.import_csv import CsvTable
from candidates.forms.imports import CheckedRow, check_rows
from candidates.models import Candidate, CandidateImport, ContactLog, StageChange
from candidates.selectors.duplicates import PersonDetails, candidate_duplicates_for_many, person_details
from candidates.services.records import candidate_create, first_stage, phone_key, record_academy_id

Status = CandidateImport.Status
BULK_BATCH_SIZE = 500
# How long the rows (people's details) of an import that was never committed are kept.
ROWS_KEPT_FOR = timedelta(days=30)


@dataclass
class ImportCheck:
    """Every row checked: its errors and possible duplicates, in the JSON shapes CandidateImport stores."""

    rows: list[CheckedRow]
    errors: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]

    @property
    def duplicate_lines(self) -> set[int]:
        return {d["line"] for d in self.duplicates}


def candidate_import_check(rows: list[dict[str, Any]], *, academy_id: int | None = None) -> ImportCheck:
    """Check rows as stored by `read_csv`: field errors, then duplicates among the valid rows.

    A valid row is a possible duplicate of an existing record (`candidate`: its public id) or of an
    earlier row of the same file (`line_of`); the first of several similar rows is not flagged.
    Existing records are looked up in a few batched queries, whatever the number of rows.
    """
    checked = check_rows(rows)
    errors = [error for row in checked for error in row.errors]
    valid = [row for row in checked if not row.errors]
    people = [
        person_details(
            email=row.data.get("email", ""),
            phone=row.data.get("phone", ""),
            first_name=row.data["first_name"],
            last_name=row.data["last_name"],
            date_of_birth=row.data.get("date_of_birth"),
        )
        for row in valid
    ]
    duplicates: list[dict[str, Any]] = []
    # Earlier rows of the file by identifying detail, so comparing 5,000 rows with each other stays linear.
    first_line_with: dict[tuple[str, object], int] = {}
    person_on_line: dict[int, PersonDetails] = {}
    for row, person, matches in zip(
        valid, people, candidate_duplicates_for_many(people, academy_id=academy_id), strict=True
    ):
        for match in matches:
            duplicates.append({"line": row.line, "candidate": str(match.candidate.public_id), "reasons": match.reasons})
        for line in sorted({first_line_with[key] for key in person.identity_keys() if key in first_line_with}):
            reasons = person_on_line[line].reasons_to_match(person)
            duplicates.append({"line": row.line, "line_of": line, "reasons": reasons})
        for key in person.identity_keys():
            first_line_with.setdefault(key, row.line)
        person_on_line[row.line] = person
    return ImportCheck(rows=checked, errors=errors, duplicates=duplicates)


@transaction.atomic
def candidate_import_create(*, actor: User, file_name: str, table: CsvTable) -> CandidateImport:
    """Store an uploaded file's rows with their errors and possible duplicates, for staff to review."""
    academy_id = record_academy_id(actor=actor)
    check = candidate_import_check(table.rows, academy_id=academy_id)
    candidate_import = CandidateImport.objects.create(
        original_name=file_name[:200],
        rows=table.rows,
        errors=check.errors,
        duplicates=check.duplicates,
        status=Status.INVALID if check.errors else Status.PREVIEW,
        created_by=actor,
        academy_id=academy_id,
        row_count=len(table.rows),
    )
    audit_log(
        actor=actor,
        action="candidate_import.check",
        obj=candidate_import,
        data={"rows": len(table.rows), "errors": len(check.errors), "duplicates": len(check.duplicate_lines)},
    )
    return candidate_import


class _ImportProblem(Exception):
    """Raised inside the commit transaction to roll it back; the outer function records why."""

    def __init__(self, check: ImportCheck, message: str) -> None:
        super().__init__(message)
        self.check = check
        self.message = message


def candidate_import_commit(
    *, candidate_import: CandidateImport, actor: User, include_duplicates: bool = False
) -> CandidateImport:
    """Import every row of a checked file, or none; possible duplicates only with `include_duplicates`.

    Raises ValidationError, having imported nothing, when the import is not waiting for confirmation
    (already imported, or it has errors), when a row no longer passes the checks, or when the
    possible duplicates changed since staff saw the preview (they are shown the new list).
    """
    try:
        with transaction.atomic():
            return _commit(candidate_import=candidate_import, actor=actor, include_duplicates=include_duplicates)
    except _ImportProblem as problem:
        # The transaction is rolled back; record what staff need to see on the preview, then refuse.
        update: dict[str, Any] = {"errors": problem.check.errors, "duplicates": problem.check.duplicates}
        if problem.check.errors:
            update["status"] = Status.INVALID
        CandidateImport.objects.filter(pk=candidate_import.pk, status=Status.PREVIEW).update(**update)
        candidate_import.refresh_from_db()
        raise ValidationError(problem.message) from None


# Names the advisory lock that makes import commits take turns (any fixed 64-bit key: "CANDIMPT").
COMMIT_LOCK_KEY = 0x43414E44494D5054


def _lock_import_commits() -> None:
    """Make commits take turns until this transaction ends, so each duplicate check sees the records
    the commit before it created (two previews of one file committed at once created everything twice).

    PostgreSQL: a transaction-level advisory lock, taken before anything is read. SQLite already lets
    one writer at a time in: the claim below takes its write lock before the check reads.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COMMIT_LOCK_KEY])


def _commit(*, candidate_import: CandidateImport, actor: User, include_duplicates: bool) -> CandidateImport:
    _lock_import_commits()
    now = timezone.now()
    # Claim first: of two commits of the same import (a double click, two staff), only one gets here.
    claimed = CandidateImport.objects.filter(pk=candidate_import.pk, status=Status.PREVIEW).update(
        status=Status.IMPORTED, imported_at=now
    )
    if not claimed:
        candidate_import.refresh_from_db()
        if candidate_import.status == Status.IMPORTED:
            when = timezone.localtime(candidate_import.imported_at)
            raise ValidationError(f"This file was already imported on {when:%d %B %Y at %H:%M}.")
        raise ValidationError("This file has errors, so nothing can be imported. Fix them and upload the file again.")
    candidate_import.refresh_from_db()
    if not candidate_import.rows:
        raise ValidationError("This file was not imported in time and its rows have been deleted. Upload it again.")

    check = candidate_import_check(candidate_import.rows, academy_id=candidate_import.academy_id)
    if check.errors:
        lines = len({e["line"] for e in check.errors})
        rows = "1 row no longer passes" if lines == 1 else f"{lines} rows no longer pass"
        raise _ImportProblem(check, f"Nothing was imported: {rows} the checks. See the errors below.")
    if sorted(map(_duplicate_key, check.duplicates)) != sorted(map(_duplicate_key, candidate_import.duplicates)):
        raise _ImportProblem(
            check,
            "Nothing was imported: records were added or changed since the file was checked, so the possible "
            "duplicates are different now. Review them and import again.",
        )

    skip = set() if include_duplicates else check.duplicate_lines
    to_create = [row for row in check.rows if row.line not in skip]
    _create_candidates(to_create, actor=actor, created_at=now, academy_id=cast(int, candidate_import.academy_id))

    candidate_import.imported_count = len(to_create)
    candidate_import.skipped_count = len(check.rows) - len(to_create)
    # The records now hold the data; the import keeps its counts, errors and duplicates, not people's details.
    candidate_import.rows = []
    candidate_import.save(update_fields=["imported_count", "skipped_count", "rows"])
    audit_log(
        actor=actor,
        action="candidate_import.commit",
        obj=candidate_import,
        data={
            "imported": candidate_import.imported_count,
            "skipped_duplicates": candidate_import.skipped_count,
            "included_duplicates": include_duplicates and bool(check.duplicates),
        },
    )
    return candidate_import


def _duplicate_key(duplicate: dict[str, Any]) -> tuple[int, str, int]:
    return (duplicate["line"], duplicate.get("candidate", ""), duplicate.get("line_of", 0))


def _create_candidates(
    rows: list[CheckedRow], *, actor: User, created_at: datetime, academy_id: int
) -> list[Candidate]:
    """Create the records as `candidate_create` does, in a few bulk inserts (one audit entry for the batch).

    Row by row, candidate_create costs four queries a person: 20,000 for a 5,000-row file. This
    writes the same rows (record in the first stage, its first StageChange) in bulk; a test checks
    that both paths give the same records. Databases that cannot return the new keys from a bulk
    insert use candidate_create.
    """
    stage = first_stage()
    if connection.features.can_return_rows_from_bulk_insert:
        candidates = []
        for row in rows:
            candidate = Candidate(
                **row.data, stage=stage, stage_entered_at=created_at, created_at=created_at, academy_id=academy_id
            )
            candidate.phone_key = phone_key(candidate.phone)
            candidate.email = candidate.email.strip().lower()
            candidates.append(candidate)
        Candidate.objects.bulk_create(candidates, batch_size=BULK_BATCH_SIZE)
        StageChange.objects.bulk_create(
            [StageChange(candidate=c, to_stage=stage, changed_by=actor, changed_at=created_at) for c in candidates],
            batch_size=BULK_BATCH_SIZE,
        )
    else:
        candidates = [
            candidate_create(actor=actor, data=row.data, stage=stage, audit=False, academy_id=academy_id)
            for row in rows
        ]
    notes = [
        ContactLog(
            candidate=candidate,
            kind=ContactLog.Kind.NOTE,
            summary=row.notes,
            occurred_at=created_at,
            created_by=actor,
        )
        for row, candidate in zip(rows, candidates, strict=True)
        if row.notes
    ]
    ContactLog.objects.bulk_create(notes, batch_size=BULK_BATCH_SIZE)
    return candidates


@transaction.atomic
def candidate_imports_purge(*, older_than: timedelta = ROWS_KEPT_FOR) -> int:
    """Clear the stored rows (people's details) of imports never committed and older than `older_than`.

    Counts, errors and possible duplicates stay, so the history of imports is kept. Returns how
    many imports were cleared. Meant for a daily scheduled task.
    """
    cutoff = timezone.now() - older_than
    return (
        CandidateImport.objects.filter(created_at__lt=cutoff)
        .exclude(status=Status.IMPORTED)
        .exclude(rows=[])
        .update(rows=[])
    )
