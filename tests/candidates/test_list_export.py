"""CSV export of the filtered candidate list: columns by role, filters, streaming, audit, CSV injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import FileResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from academy.file_jobs import file_job_build
from academy.models import AuditEntry, FileJob, User
from candidates.models import Candidate, CandidateBarrier, EqualityMonitoring
from candidates.services.candidate_export import EQUALITY_COLUMNS, RECORD_COLUMNS, csv_safe
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "/candidates/export.csv"
EQUALITY_HEADERS = [column.header for column in EQUALITY_COLUMNS]


def export(client: Client, params: dict[str, Any] | None = None) -> Any:
    """Ask for the export as staff do (the confirmation page, then its button), let the worker build it,
    and download the file from the job's page."""
    query = f"?{urlencode(params or {}, doseq=True)}" if params else ""
    assert client.get(EXPORT_URL + query).status_code == 200
    response = client.post(EXPORT_URL + query)
    assert response.status_code == 302
    job = FileJob.objects.get(public_id=resolve(response["Location"]).kwargs["public_id"])
    assert file_job_build(job_id=job.pk) == "done"
    return client.get(reverse("academy:file-job-download", kwargs={"public_id": job.public_id}))


def content(response: Any) -> str:
    """The CSV that an export request produced: follow it to the download page and fetch the file."""
    assert isinstance(response, FileResponse), response
    return b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]


def read_csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content(response))))


def headers(response: Any) -> list[str]:
    return next(csv.reader(io.StringIO(content(response))))


@pytest.fixture
def answered(walk_in: Candidate) -> Candidate:
    EqualityMonitoring.objects.create(candidate=walk_in, sex="female", ethnicity="black_caribbean", carer="yes")
    CandidateBarrier.objects.create(candidate=walk_in, barrier="transport", support_needed="Bus pass")
    CandidateBarrier.objects.create(candidate=walk_in, barrier="childcare")
    return walk_in


def test_is_built_in_the_background_and_downloaded_by_the_requester_only(
    staff: User, client_for: Callable[[str], Client], walk_in: Candidate
) -> None:
    client = client_for("staff")
    CandidateFactory.create(source="website")
    page = client.get(EXPORT_URL, {"source": "jobcentre"}).content.decode()
    assert "Export 1 candidate as a spreadsheet" in page and "How they heard about us: Jobcentre Plus" in page
    response = client.post(EXPORT_URL + "?source=jobcentre&page=3")
    job = FileJob.objects.get()
    assert response["Location"] == reverse("academy:file-job-detail", kwargs={"public_id": job.public_id})
    assert job.params == {"source": ["jobcentre"]}  # the filters, without the page number
    assert "Waiting to start" in client.get(response["Location"]).content.decode()
    file_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == FileJob.Status.DONE and job.rows_done == 1 and len(job.sha256) == 64
    assert "Your file is ready" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("academy:file-job-download", kwargs={"public_id": job.public_id}))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="candidates-')
    assert download["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="file_job.download", object_id=str(job.pk)).count() == 1
    # Nobody else, not even a manager, can see or fetch someone's export.
    other = client_for("manager")
    assert other.get(response["Location"]).status_code == 404
    assert other.get(reverse("academy:file-job-download", kwargs={"public_id": job.public_id})).status_code == 404


def test_staff_get_the_record_without_equality_answers(
    staff: User, client_for: Callable[[str], Client], answered: Candidate
) -> None:
    response = export(client_for("staff"))
    assert headers(response) == [column.header for column in RECORD_COLUMNS]
    (row,) = read_csv(export(client_for("staff")))
    assert row["Reference"] == str(answered.public_id)
    assert row["First name"] == "Wendy"
    assert row["Email"] == "wendy@example.org"
    assert row["Stage"] == "Enquiry"
    assert row["Barriers"] == "Childcare; Transport"
    assert row["Support needed"] == "Transport: Bus pass"
    assert "Black" not in ",".join(row.values())


def test_managers_also_get_equality_answers(
    manager: User, client_for: Callable[[str], Client], answered: Candidate
) -> None:
    response = export(client_for("manager"))
    assert headers(response) == [column.header for column in RECORD_COLUMNS + EQUALITY_COLUMNS]
    (row,) = read_csv(export(client_for("manager")))
    assert row["Sex"] == "Female"
    assert row["Ethnicity"] == "Black, Black British, Caribbean or African: Caribbean"
    assert row["Unpaid carer"] == "Yes"
    assert row["Religion"] == ""


def test_manager_export_of_people_without_answers_has_blank_equality_cells(
    manager: User, client_for: Callable[[str], Client], walk_in: Candidate
) -> None:
    (row,) = read_csv(export(client_for("manager")))
    assert all(row[header] == "" for header in EQUALITY_HEADERS)


def test_uses_the_same_filters_and_sort_as_the_list(staff: User, client_for: Callable[[str], Client]) -> None:
    CandidateFactory.create(first_name="Zed", last_name="Able", source="website")
    CandidateFactory.create(first_name="Amy", last_name="Zucker", source="website")
    CandidateFactory.create(first_name="Other", source="jobcentre")
    rows = read_csv(export(client_for("staff"), {"source": "website", "sort": "-name"}))
    assert [row["First name"] for row in rows] == ["Amy", "Zed"]


def test_is_audited_with_filters_row_count_and_equality_flag(
    manager: User, client_for: Callable[[str], Client]
) -> None:
    for _ in range(3):
        CandidateFactory.create(source="website")
    CandidateFactory.create(source="jobcentre")
    read_csv(export(client_for("manager"), {"source": "website", "group": "men"}))
    entry = AuditEntry.objects.get(action="candidate.export")
    assert entry.actor == manager
    assert entry.data["filters"]["source"] == "website"
    assert entry.data["filters"]["groups"] == ["men"]
    assert entry.data["rows"] == 0  # nobody answered "male"
    assert entry.data["equality"] is True
    # The group filter reads equality answers, so it is logged as such too.
    assert AuditEntry.objects.filter(action="equality.filter", data__groups=["men"]).count() == 1


def test_staff_export_audit_says_no_equality(staff: User, client_for: Callable[[str], Client]) -> None:
    CandidateFactory.create()
    read_csv(export(client_for("staff")))
    entry = AuditEntry.objects.get(action="candidate.export")
    assert entry.data == {"filters": {"sort": "-registered"}, "rows": 1, "equality": False}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Smith", "Smith"),
        ("O'Brien", "O'Brien"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_safe(value: object, expected: str) -> None:
    assert csv_safe(value) == expected


def test_formula_cells_are_escaped_in_the_file(staff: User, client_for: Callable[[str], Client]) -> None:
    CandidateFactory.create(first_name="=cmd|' /C calc'!A0", last_name="@Evil", phone="+44 7700 900123")
    (row,) = read_csv(export(client_for("staff")))
    assert row["First name"] == "'=cmd|' /C calc'!A0"
    assert row["Last name"] == "'@Evil"
    assert row["Phone"] == "'+44 7700 900123"


def test_query_count_does_not_grow_with_rows(staff: User, client_for: Callable[[str], Client]) -> None:
    """The worker reads rows 2,000 at a time with their barriers: the same queries for 2 rows as for 30."""
    client = client_for("staff")

    def add(n: int) -> None:
        for _ in range(n):
            CandidateBarrier.objects.create(candidate=CandidateFactory.create(), barrier="transport")

    def build_queries() -> int:
        client.post(EXPORT_URL)
        job = FileJob.objects.latest("created_at")
        with CaptureQueriesContext(connection) as queries:
            file_job_build(job_id=job.pk)
        return len(queries)

    add(2)
    small = build_queries()
    add(28)
    assert build_queries() == small
    assert len(read_csv(export(client))) == 30
