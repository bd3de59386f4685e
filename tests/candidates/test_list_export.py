"""CSV export of the filtered candidate list: columns by role, filters, streaming, audit, CSV injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from academy.models import AuditEntry, User
from candidates.models import Candidate, CandidateBarrier, EqualityMonitoring
from candidates.services.candidate_export import EQUALITY_COLUMNS, RECORD_COLUMNS, csv_safe
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "/candidates/export.csv"
EQUALITY_HEADERS = [column.header for column in EQUALITY_COLUMNS]


def content(response: Any) -> str:
    assert isinstance(response, StreamingHttpResponse)
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


def test_is_a_streamed_csv_attachment(staff: User, client_for: Callable[[str], Client], walk_in: Candidate) -> None:
    response = client_for("staff").get(EXPORT_URL)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="candidates-')
    assert response["Cache-Control"] == "no-store"


def test_staff_get_the_record_without_equality_answers(
    staff: User, client_for: Callable[[str], Client], answered: Candidate
) -> None:
    response = client_for("staff").get(EXPORT_URL)
    assert headers(response) == [column.header for column in RECORD_COLUMNS]
    (row,) = read_csv(client_for("staff").get(EXPORT_URL))
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
    response = client_for("manager").get(EXPORT_URL)
    assert headers(response) == [column.header for column in RECORD_COLUMNS + EQUALITY_COLUMNS]
    (row,) = read_csv(client_for("manager").get(EXPORT_URL))
    assert row["Sex"] == "Female"
    assert row["Ethnicity"] == "Black, Black British, Caribbean or African: Caribbean"
    assert row["Unpaid carer"] == "Yes"
    assert row["Religion"] == ""


def test_manager_export_of_people_without_answers_has_blank_equality_cells(
    manager: User, client_for: Callable[[str], Client], walk_in: Candidate
) -> None:
    (row,) = read_csv(client_for("manager").get(EXPORT_URL))
    assert all(row[header] == "" for header in EQUALITY_HEADERS)


def test_uses_the_same_filters_and_sort_as_the_list(staff: User, client_for: Callable[[str], Client]) -> None:
    CandidateFactory.create(first_name="Zed", last_name="Able", source="website")
    CandidateFactory.create(first_name="Amy", last_name="Zucker", source="website")
    CandidateFactory.create(first_name="Other", source="jobcentre")
    rows = read_csv(client_for("staff").get(EXPORT_URL, {"source": "website", "sort": "-name"}))
    assert [row["First name"] for row in rows] == ["Amy", "Zed"]


def test_is_audited_with_filters_row_count_and_equality_flag(
    manager: User, client_for: Callable[[str], Client]
) -> None:
    for _ in range(3):
        CandidateFactory.create(source="website")
    CandidateFactory.create(source="jobcentre")
    read_csv(client_for("manager").get(EXPORT_URL, {"source": "website", "group": "men"}))
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
    read_csv(client_for("staff").get(EXPORT_URL))
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
    (row,) = read_csv(client_for("staff").get(EXPORT_URL))
    assert row["First name"] == "'=cmd|' /C calc'!A0"
    assert row["Last name"] == "'@Evil"
    assert row["Phone"] == "'+44 7700 900123"


def test_query_count_does_not_grow_with_rows(
    staff: User, client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    """Session, user, MFA, stages, owners, cohorts, audit COUNT + INSERT, rows, barriers (one per 2,000-row chunk)."""
    client = client_for("staff")
    client.get("/candidates/")

    def add(n: int) -> None:
        for _ in range(n):
            CandidateBarrier.objects.create(candidate=CandidateFactory.create(), barrier="transport")

    add(2)
    with django_assert_num_queries(10):
        assert len(read_csv(client.get(EXPORT_URL))) == 2
    add(28)
    with django_assert_num_queries(10):
        assert len(read_csv(client.get(EXPORT_URL))) == 30
