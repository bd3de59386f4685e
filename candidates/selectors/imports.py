"""What the CSV import screens read: recent imports, and the preview of one import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from candidates.forms.import_csv import COLUMNS
from candidates.models import Candidate, CandidateImport

PREVIEW_ROWS = 20
# The columns the preview's sample table shows (the rest are checked but would make it too wide).
PREVIEW_COLUMNS = ["first_name", "last_name", "email", "phone", "postcode", "date_of_birth", "source"]


def candidate_import_list(*, imports: QuerySet[CandidateImport], limit: int = 10) -> list[CandidateImport]:
    """The latest imports, newest first, with who uploaded them (not their rows: a file can be megabytes)."""
    queryset = imports.select_related("created_by").defer("rows", "errors", "duplicates")
    return list(queryset.order_by("-created_at", "-id")[:limit])


@dataclass
class DuplicateRow:
    """A row of the file that may be someone already known: an existing record, or an earlier row."""

    line: int
    reasons: list[str]
    name: str = ""  # as written in the file, while the import still holds its rows
    candidate: Candidate | None = None
    candidate_missing: bool = False  # merged or deleted since the file was checked
    line_of: int | None = None


@dataclass
class SampleRow:
    line: int
    cells: list[str]
    has_errors: bool
    is_duplicate: bool


@dataclass
class ImportPreview:
    """Counts, a sample of rows, every error and every possible duplicate of one import."""

    candidate_import: CandidateImport
    row_count: int
    error_rows: int
    duplicate_rows: int
    errors: list[dict[str, Any]]
    duplicates: list[DuplicateRow]
    sample: list[SampleRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def valid_rows(self) -> int:
        return self.row_count - self.error_rows

    @property
    def expired(self) -> bool:
        """Never imported, and its rows were cleared (see candidate_imports_purge): upload it again."""
        return self.candidate_import.status != CandidateImport.Status.IMPORTED and not self.candidate_import.rows

    @property
    def to_import(self) -> int:
        """Rows imported by default: valid ones that are not possible duplicates."""
        return self.valid_rows - self.duplicate_rows


def candidate_import_preview(candidate_import: CandidateImport, *, candidates: QuerySet[Candidate]) -> ImportPreview:
    """The preview of an import: two queries at most (the import is loaded; this loads the matched records).

    `candidates` is the viewer's scope: matched records outside it, or merged since, are shown
    without a link.
    """
    rows = candidate_import.rows
    errors = sorted(candidate_import.errors, key=lambda e: (e["line"], list(COLUMNS).index(e["field"])))
    error_lines = {e["line"] for e in errors}
    duplicate_lines = {d["line"] for d in candidate_import.duplicates}
    public_ids = {d["candidate"] for d in candidate_import.duplicates if d.get("candidate")}
    found = (
        {str(c.public_id): c for c in candidates.filter(public_id__in=public_ids).select_related("stage")}
        if public_ids
        else {}
    )
    names = {row["line"]: f"{row.get('first_name', '')} {row.get('last_name', '')}".strip() for row in rows}
    duplicates = [
        DuplicateRow(
            line=d["line"],
            reasons=d["reasons"],
            name=names.get(d["line"], ""),
            candidate=found.get(d.get("candidate", "")),
            candidate_missing=bool(d.get("candidate")) and d["candidate"] not in found,
            line_of=d.get("line_of"),
        )
        for d in sorted(candidate_import.duplicates, key=lambda d: (d["line"], d.get("line_of") or 0))
    ]
    columns = [c for c in PREVIEW_COLUMNS if any(c in row for row in rows[:PREVIEW_ROWS])]
    sample = [
        SampleRow(
            line=row["line"],
            cells=[row.get(c, "") for c in columns],
            has_errors=row["line"] in error_lines,
            is_duplicate=row["line"] in duplicate_lines,
        )
        for row in rows[:PREVIEW_ROWS]
    ]
    return ImportPreview(
        candidate_import=candidate_import,
        row_count=candidate_import.row_count,
        error_rows=len(error_lines),
        duplicate_rows=len(duplicate_lines),
        errors=errors,
        duplicates=duplicates,
        sample=sample,
        columns=columns,
    )
