"""Importing a checked file: all or nothing, duplicates flagged and skipped, bounded queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy.models import AuditEntry, User
from academy.tenancy import academy_in_use_id
from candidates.forms.import_csv import read_csv
from candidates.models import Candidate, CandidateImport, ContactLog, StageChange
from candidates.services.imports import (
    candidate_import_commit,
    candidate_import_create,
    candidate_imports_purge,
)
from candidates.services.records import candidate_create
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db
Status = CandidateImport.Status
HEADER = "first_name,last_name,email,phone,postcode,date_of_birth,source,notes"


def person_line(i: int) -> str:
    return f"Person{i},Surname{i},person{i}@example.org,07700 {i:06d},LS1 1AA,{1 + i % 28}/03/1985,Jobcentre Plus,"


def csv_bytes(lines: list[str], header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def upload(actor: User, data: bytes, name: str = "referrals.csv") -> CandidateImport:
    return candidate_import_create(actor=actor, file_name=name, table=read_csv(data, max_rows=5000))


def imported_count() -> int:
    return Candidate.objects.filter(email__startswith="person").count()


def test_a_clean_file_waits_for_confirmation_and_creates_nothing(staff: User) -> None:
    candidate_import = upload(staff, csv_bytes([person_line(i) for i in range(3)]))
    assert (candidate_import.status, candidate_import.row_count, candidate_import.errors) == (Status.PREVIEW, 3, [])
    assert imported_count() == 0
    assert AuditEntry.objects.filter(action="candidate_import.check", actor=staff).count() == 1


def test_500_rows_with_3_bad_import_nothing_then_the_fixed_file_imports_all(staff: User) -> None:
    lines = [person_line(i) for i in range(500)]
    bad = list(lines)
    bad[10] = "Person10,,person10@example.org,,,,,"  # no last name: line 12
    bad[200] = "Person200,Surname200,not-an-email,,,,,"  # line 202
    bad[499] = "Person499,Surname499,,,,31/13/1985,Facebok,"  # line 501: bad date and unknown source
    candidate_import = upload(staff, csv_bytes(bad))

    assert candidate_import.status == Status.INVALID
    assert [(e["line"], e["field"]) for e in candidate_import.errors] == [
        (12, "last_name"),
        (202, "email"),
        (501, "source"),
        (501, "date_of_birth"),
    ]
    assert len({e["line"] for e in candidate_import.errors}) == 3
    with pytest.raises(ValidationError, match="has errors"):
        candidate_import_commit(candidate_import=candidate_import, actor=staff)
    assert imported_count() == 0

    fixed = upload(staff, csv_bytes(lines))
    assert fixed.status == Status.PREVIEW
    fixed = candidate_import_commit(candidate_import=fixed, actor=staff)
    assert (fixed.status, fixed.imported_count, fixed.skipped_count) == (Status.IMPORTED, 500, 0)
    assert imported_count() == 500


def test_commit_creates_records_as_the_records_service_does(staff: User) -> None:
    """The bulk path must give the same records, with the same related rows, as candidate_create."""
    data = {
        "first_name": "Ann",
        "last_name": "Smith",
        "email": "ann@example.org",
        "phone": "+44 7700 900123",
        "date_of_birth": date(1985, 3, 27),
    }
    by_service = candidate_create(actor=staff, data=dict(data), audit=False)
    Candidate.objects.filter(pk=by_service.pk).update(email="ann.old@example.org", phone="0113 496 0000")
    candidate_import = upload(staff, csv_bytes(["Ann,Smith,ANN@example.org,+44 7700 900123,,1985-03-27,,"]))
    candidate_import_commit(candidate_import=candidate_import, actor=staff, include_duplicates=True)
    by_import = Candidate.objects.get(email="ann@example.org")
    by_service.refresh_from_db()

    def comparable(candidate: Candidate) -> dict[str, object]:
        skip = {"id", "public_id", "created_at", "updated_at", "stage_entered_at", "email", "phone", "phone_key"}
        return {f.attname: getattr(candidate, f.attname) for f in Candidate._meta.concrete_fields if f.name not in skip}

    assert comparable(by_import) == comparable(by_service)
    assert (by_import.phone_key, by_import.email) == ("07700900123", "ann@example.org")
    for relation in Candidate._meta.related_objects:
        manager = cast(type[Model], relation.related_model)._default_manager
        counts = [manager.filter(**{relation.field.name: c}).count() for c in (by_import, by_service)]
        assert counts[0] == counts[1], relation
    change = StageChange.objects.get(candidate=by_import)
    assert (change.from_stage, change.to_stage, change.changed_by) == (None, by_import.stage, staff)


def test_one_audit_entry_for_the_batch_and_notes_in_the_contact_log(staff: User) -> None:
    lines = [person_line(0) + "Wants nights", person_line(1)]
    candidate_import = candidate_import_commit(candidate_import=upload(staff, csv_bytes(lines)), actor=staff)
    entries = AuditEntry.objects.filter(action__startswith="candidate")
    assert list(entries.values_list("action", flat=True)) == ["candidate_import.commit", "candidate_import.check"]
    assert entries[0].data == {"imported": 2, "skipped_duplicates": 0, "included_duplicates": False}
    note = ContactLog.objects.get()
    assert (note.candidate.email, note.kind, note.summary, note.created_by) == (
        "person0@example.org",
        ContactLog.Kind.NOTE,
        "Wants nights",
        staff,
    )
    # The records now hold people's details; the import keeps only counts, errors and duplicates.
    assert candidate_import.rows == []


def test_duplicates_of_existing_records_and_within_the_file(staff: User) -> None:
    known = CandidateFactory.create(first_name="Ann", last_name="Smith", email="ann@example.org", phone="0113 496 0000")
    lines = [
        "Zed,Known,ANN@example.org,,,,,",  # line 2: same email as a record
        "New,Person,new@example.org,07700 900555,,27/03/1985,,",  # line 3
        "Newer,Person,new@example.org,,,,,",  # line 4: same email as line 3
        "New,Person,other@example.org,+44 7700 900555,,1985-03-27,,",  # line 5: same phone, name and DOB as line 3
        "Phone,Match,,01134960000,,,,",  # line 6: same phone as the record
    ]
    candidate_import = upload(staff, csv_bytes(lines))
    assert candidate_import.duplicates == [
        {"line": 2, "candidate": str(known.public_id), "reasons": ["same email"]},
        {"line": 4, "line_of": 3, "reasons": ["same email"]},
        {"line": 5, "line_of": 3, "reasons": ["same phone", "same name and date of birth"]},
        {"line": 6, "candidate": str(known.public_id), "reasons": ["same phone"]},
    ]

    candidate_import = candidate_import_commit(candidate_import=candidate_import, actor=staff)
    # Skipped by default: the duplicate rows; the first of the similar rows (line 3) is imported.
    assert (candidate_import.imported_count, candidate_import.skipped_count) == (1, 4)
    assert list(Candidate.objects.exclude(pk=known.pk).values_list("email", flat=True)) == ["new@example.org"]


def test_duplicates_can_be_imported_anyway(staff: User) -> None:
    CandidateFactory.create(email="ann@example.org")
    candidate_import = upload(staff, csv_bytes(["Ann,Smith,ann@example.org,,,,,", person_line(1)]))
    candidate_import = candidate_import_commit(candidate_import=candidate_import, actor=staff, include_duplicates=True)
    assert (candidate_import.imported_count, candidate_import.skipped_count) == (2, 0)
    assert Candidate.objects.filter(email="ann@example.org").count() == 2


def test_a_second_commit_is_refused(staff: User, manager: User) -> None:
    candidate_import = upload(staff, csv_bytes([person_line(1)]))
    candidate_import_commit(candidate_import=candidate_import, actor=staff)
    stale = CandidateImport.objects.get(pk=candidate_import.pk)
    stale.status = Status.PREVIEW  # as another tab still showing the preview would think
    with pytest.raises(ValidationError, match="already imported"):
        candidate_import_commit(candidate_import=stale, actor=manager)
    assert imported_count() == 1
    assert AuditEntry.objects.filter(action="candidate_import.commit").count() == 1


def test_rows_are_checked_again_on_commit(staff: User) -> None:
    candidate_import = upload(staff, csv_bytes([person_line(1), person_line(2)]))
    # Stored rows changed behind the preview's back (or a rule changed): nothing is imported.
    CandidateImport.objects.filter(pk=candidate_import.pk).update(
        rows=[{"line": 2, "first_name": "Ann", "last_name": "Smith"}, {"line": 3, "first_name": "", "last_name": "X"}]
    )
    with pytest.raises(ValidationError, match="1 row no longer passes the checks"):
        candidate_import_commit(candidate_import=candidate_import, actor=staff)
    assert imported_count() == 0 and not Candidate.objects.filter(last_name="Smith").exists()
    assert candidate_import.status == Status.INVALID
    assert candidate_import.errors == [{"line": 3, "field": "first_name", "message": "Enter the first name"}]


def test_new_duplicates_since_the_preview_stop_the_commit_until_reviewed(staff: User) -> None:
    candidate_import = upload(staff, csv_bytes([person_line(1), person_line(2)]))
    twin = CandidateFactory.create(email="person2@example.org")  # someone added them meanwhile
    with pytest.raises(ValidationError, match="possible duplicates are different now"):
        candidate_import_commit(candidate_import=candidate_import, actor=staff)
    assert imported_count() == 1  # only the twin
    assert candidate_import.status == Status.PREVIEW
    assert candidate_import.duplicates == [{"line": 3, "candidate": str(twin.public_id), "reasons": ["same email"]}]

    candidate_import = candidate_import_commit(candidate_import=candidate_import, actor=staff)
    assert (candidate_import.imported_count, candidate_import.skipped_count) == (1, 1)


def test_checking_a_500_row_file_costs_a_fixed_number_of_queries(staff: User) -> None:
    CandidateFactory.create_batch(5)
    academy_in_use_id(staff)  # which academy the import goes to: read once per request, not per row

    def queries_to_check(rows: int) -> int:
        data = csv_bytes([person_line(i) for i in range(rows)])
        with CaptureQueriesContext(connection) as context:
            upload(staff, data)
        return len(context)

    assert queries_to_check(500) == queries_to_check(5) <= 6


def test_committing_500_rows_does_not_cost_queries_per_row(staff: User) -> None:
    candidate_import = upload(staff, csv_bytes([person_line(i) for i in range(500)]))
    with CaptureQueriesContext(connection) as context:
        candidate_import_commit(candidate_import=candidate_import, actor=staff)
    # SQLite inserts at most 999 parameters per statement, so about 28 records per INSERT.
    assert len(context) < 100


def test_purge_clears_the_rows_of_old_uncommitted_imports(staff: User) -> None:
    old = upload(staff, csv_bytes([person_line(1)]))
    recent = upload(staff, csv_bytes([person_line(2)]))
    CandidateImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert candidate_imports_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.rows, old.row_count, len(recent.rows)) == ([], 1, 1)


def test_an_import_whose_rows_were_purged_cannot_be_committed(staff: User) -> None:
    candidate_import = upload(staff, csv_bytes([person_line(1)]))
    CandidateImport.objects.filter(pk=candidate_import.pk).update(created_at=timezone.now() - timedelta(days=31))
    candidate_imports_purge()
    with pytest.raises(ValidationError, match="Upload it again"):
        candidate_import_commit(candidate_import=candidate_import, actor=staff)
    candidate_import.refresh_from_db()
    assert (candidate_import.status, imported_count()) == (Status.PREVIEW, 0)
