"""The import screens: upload and check, preview, commit, template; the HTTP contract and query counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from academy.models import User
from candidates.forms.import_csv import COLUMNS
from candidates.models import Candidate, CandidateImport
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("candidates:import-create")


def csv_file(text: str, name: str = "referrals.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.fixture
def client(client_for: Callable[[str], Client]) -> Client:
    client = client_for("staff")
    client.get(CREATE_URL)  # the first request of a staff session writes its idle expiry once
    return client


def test_upload_page_explains_the_columns_and_lists_recent_imports(client: Client, staff: User) -> None:
    CandidateImport.objects.create(original_name="old.csv", status="imported", created_by=staff, row_count=3)
    response = client.get(CREATE_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("candidates:import-template") in content
    assert 'enctype="multipart/form-data"' in content
    assert all(f"<code>{name}</code>" in content for name in COLUMNS)
    assert "old.csv" in content


def test_upload_checks_the_file_and_shows_the_preview(client: Client) -> None:
    text = "Nom;First Name;Surname;Email\nx;Renée;Dupré;renee@example.org\ny;Bob;Jones;bob@example.org\n"
    response = client.post(CREATE_URL, {"file": csv_file(text, encoding="cp1252")}, follow=True)
    candidate_import = CandidateImport.objects.get()
    assert response.redirect_chain == [(candidate_import.get_absolute_url(), 302)]
    content = response.content.decode()
    assert "Check the file before importing" in content
    assert "These columns were not recognised and were ignored: Nom" in content
    assert "Renée" in content and "Dupré" in content
    assert "Import 2 candidates" in content
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("people.xlsx", b"PK\x03\x04rest", content_type="application/vnd.ms-excel"), "CSV file"),
        (SimpleUploadedFile("people.csv", b"PK\x03\x04rest", content_type="text/csv"), "Excel workbook"),
        (SimpleUploadedFile("people.csv", b"name\nAnn\n", content_type="text/csv"), "no first_name or last_name"),
    ],
)
def test_a_bad_file_is_refused_on_the_upload_page(client: Client, upload: SimpleUploadedFile, message: str) -> None:
    response = client.post(CREATE_URL, {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error: " in content
    assert message in content
    assert not CandidateImport.objects.exists()


def test_files_over_the_size_limit_are_refused(client: Client, settings) -> None:
    settings.CANDIDATE_IMPORT_MAX_ROWS = 10  # the limit is 1 KB per row, but never under 1 MB
    text = "first_name,last_name,notes\n" + "Ann,Smith," + "x" * (1024 * 1024) + "\n"
    response = client.post(CREATE_URL, {"file": csv_file(text)})
    assert "The file must be smaller than 1 MB" in response.content.decode()


def test_errors_are_listed_with_their_lines_and_nothing_can_be_imported(client: Client) -> None:
    text = "first_name,last_name,email,date_of_birth\nAnn,,ann@x,\nBob,Jones,bob@example.org,31/02/1990\n"
    response = client.post(CREATE_URL, {"file": csv_file(text)}, follow=True)
    content = response.content.decode()
    assert "Nothing imported: the file has errors" in content
    assert "Enter the last name" in content
    assert "Enter an email address in the correct format" in content
    assert "“31/02/1990” is not a date" in content
    assert reverse("candidates:import-commit", kwargs={"public_id": CandidateImport.objects.get().public_id}) not in (
        content
    )


def test_commit_imports_and_a_second_commit_is_refused(client: Client) -> None:
    known = CandidateFactory.create(email="ann@example.org")
    text = "first_name,last_name,email\nAnn,Smith,ANN@example.org\nBob,Jones,bob@example.org\n"
    client.post(CREATE_URL, {"file": csv_file(text)})
    candidate_import = CandidateImport.objects.get()
    preview = client.get(candidate_import.get_absolute_url()).content.decode()
    assert "Also import the 1 row that may be duplicates" in preview
    assert known.get_absolute_url() in preview

    commit_url = reverse("candidates:import-commit", kwargs={"public_id": candidate_import.public_id})
    assert client.get(commit_url).status_code == 405
    response = client.post(commit_url, follow=True)
    assert "1 candidate imported. 1 possible duplicates were left out." in response.content.decode()
    assert Candidate.objects.filter(email="bob@example.org").exists()

    response = client.post(commit_url, {"include_duplicates": "on"}, follow=True)
    assert "This file was already imported on" in response.content.decode()
    assert Candidate.objects.filter(email="ann@example.org").count() == 1


def test_commit_with_duplicates_included(client: Client) -> None:
    CandidateFactory.create(email="ann@example.org")
    client.post(CREATE_URL, {"file": csv_file("first_name,last_name,email\nAnn,Smith,ann@example.org\n")})
    candidate_import = CandidateImport.objects.get()
    commit_url = reverse("candidates:import-commit", kwargs={"public_id": candidate_import.public_id})
    client.post(commit_url, {"include_duplicates": "on"})
    assert Candidate.objects.filter(email="ann@example.org").count() == 2


def test_template_download(client: Client) -> None:
    response = client.get(reverse("candidates:import-template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").splitlines() == [",".join(COLUMNS)]


def test_preview_query_count_does_not_grow_with_errors_or_duplicates(
    client: Client, staff: User, django_assert_num_queries
) -> None:
    def preview_of(n: int) -> str:
        known = [CandidateFactory.create(email=f"known{i}@example.org") for i in range(n)]
        rows = "".join(f"Ann,Smith{i},{c.email}\n" for i, c in enumerate(known)) + "Bob,,\n" * n
        client.post(CREATE_URL, {"file": csv_file("first_name,last_name,email\n" + rows)})
        return CandidateImport.objects.latest("created_at").get_absolute_url()

    small, large = preview_of(2), preview_of(20)
    with django_assert_num_queries(5):
        assert client.get(small).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(large).status_code == 200


def test_an_expired_preview_asks_for_the_file_again(client: Client, staff: User) -> None:
    candidate_import = CandidateImport.objects.create(
        original_name="old.csv", status="preview", created_by=staff, row_count=3, rows=[]
    )
    content = client.get(candidate_import.get_absolute_url()).content.decode()
    assert "This file was not imported within 30 days" in content
    assert reverse("candidates:import-commit", kwargs={"public_id": candidate_import.public_id}) not in content


def test_upload_page_query_count_does_not_grow_with_imports(
    client: Client, staff: User, django_assert_num_queries
) -> None:
    def add_imports(n: int) -> None:
        for i in range(n):
            rows = [{"line": line, "first_name": "A", "last_name": f"B{line}"} for line in range(2, 50)]
            CandidateImport.objects.create(original_name=f"{i}.csv", status="preview", created_by=staff, rows=rows)

    add_imports(2)
    with django_assert_num_queries(4):
        assert client.get(CREATE_URL).status_code == 200
    add_imports(20)
    with django_assert_num_queries(4):
        assert client.get(CREATE_URL).status_code == 200
