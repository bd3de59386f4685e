"""Documents: type checked by content and extension, size limit, private storage, audited downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from academy.models import AuditEntry, User
from candidates.models import Candidate, Document
from candidates.services.documents import document_clean_name, document_delete, document_upload
from tests.candidates.factories_learner import (
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    make_document,
    odt_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


def _upload(candidate: Candidate, actor: User, name: str, content: bytes, kind: str = "cv") -> Document:
    return document_upload(candidate=candidate, actor=actor, kind=kind, file=upload(name, content))


# --- type and size checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("cv.pdf", PDF_BYTES, "application/pdf"),
        ("Passport.PNG", PNG_BYTES, "image/png"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("cv.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("cv.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("cv.txt", "Café work, 2019 to 2023 \u2013 ok\r\n\tReferences on request\n".encode(), "text/plain"),
    ],
)
def test_allowed_types_are_stored_with_the_type_their_contents_show(
    candidate: Candidate, learner: User, name: str, content: bytes, content_type: str
) -> None:
    document = _upload(candidate, learner, name, content)
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.original_name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", EXE_BYTES, "must be a PDF"),
        ("cv.pdf", EXE_BYTES, "not a real .pdf file"),  # an executable renamed to .pdf
        ("cv.docx", EXE_BYTES, "not a real .docx file"),
        ("cv.txt", EXE_BYTES, "not a real .txt file"),
        ("cv.pdf", PNG_BYTES, "not a real .pdf file"),  # allowed contents, wrong name
        ("cv.docx", odt_bytes(), "not a real .docx file"),
        ("cv.docx", b"PK\x03\x04 not really a zip", "not a real .docx file"),
        ("page.html", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("cv", PDF_BYTES, "must be a PDF"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_uploads_that_are_not_what_they_claim_are_refused(
    candidate: Candidate, learner: User, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _upload(candidate, learner, name, content)
    assert not Document.objects.exists()


def test_upload_bigger_than_the_setting_is_refused(candidate: Candidate, learner: User, settings) -> None:
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        _upload(candidate, learner, "big.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    assert _upload(candidate, learner, "ok.pdf", PDF_BYTES + b"0" * 1000).size > 1000


def test_file_is_stored_under_a_random_name_in_media_root(candidate: Candidate, learner: User, settings) -> None:
    document = _upload(candidate, learner, "Lena Learner CV.pdf", PDF_BYTES)
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Lena" not in document.file.name and not document.file.name.endswith(".pdf")
    assert path.read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\cv.pdf", "cv.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("", "document"),
    ],
)
def test_original_name_loses_folders_and_control_characters(raw: str, clean: str) -> None:
    assert document_clean_name(raw) == clean


def test_long_names_keep_their_extension() -> None:
    cleaned = document_clean_name("x" * 300 + ".pdf")
    assert len(cleaned) == 200 and cleaned.endswith(".pdf")


def test_upload_is_audited_without_the_file_name(candidate: Candidate, learner: User) -> None:
    document = _upload(candidate, learner, "Lena medical letter.pdf", PDF_BYTES)
    entry = AuditEntry.objects.get(action="document.upload")
    assert entry.data["document"] == str(document.public_id)
    assert "medical" not in str(entry.data)


def test_cannot_upload_to_an_anonymised_record(candidate: Candidate, staff: User) -> None:
    from candidates.services.privacy import candidate_anonymise

    candidate_anonymise(candidate=candidate, actor=staff)
    with pytest.raises(ValidationError, match="anonymised"):
        _upload(candidate, staff, "cv.pdf", PDF_BYTES)


# --- learner's documents page -----------------------------------------------------------------


def test_learner_uploads_on_documents_page(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    client = client_for("learner")
    url = reverse("candidates:document-list")
    response = client.post(url, {"kind": "cv", "file": upload("My CV.pdf")})
    assert response.status_code == 302 and response["Location"] == url
    document = Document.objects.get(candidate=candidate)
    assert document.uploaded_by == candidate.user
    page = client.get(url).content.decode()
    assert "My CV.pdf" in page and "has been uploaded" in page
    assert reverse("candidates:document-download", kwargs={"public_id": document.public_id}) in page


def test_renamed_executable_is_refused_with_a_clear_error(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    response = client_for("learner").post(
        reverse("candidates:document-list"), {"kind": "cv", "file": upload("cv.pdf", EXE_BYTES)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Your documents" in page
    assert 'href="#id_file"' in page and "not a real .pdf file" in page
    assert not Document.objects.exists()


def test_upload_without_file_or_kind(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    page = client_for("learner").post(reverse("candidates:document-list"), {}).content.decode()
    assert "Select a file to upload" in page and "Select what kind of document it is" in page


def test_documents_page_lists_only_own_documents(
    candidate: Candidate, other_candidate: Candidate, other_learner: User, client_for: Callable[[str], Client]
) -> None:
    make_document(other_candidate, other_learner, name="omar-cv.pdf")
    page = client_for("learner").get(reverse("candidates:document-list")).content.decode()
    assert "omar-cv.pdf" not in page and "You have not uploaded any documents yet" in page


def _add_documents(candidate: Candidate, actor: User, n: int) -> None:
    for i in range(n):
        make_document(candidate, actor, name=f"certificate-{i}.pdf", kind="certificate")


def test_documents_page_query_count_does_not_grow(
    candidate: Candidate, learner: User, client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    client = client_for("learner")
    url = reverse("candidates:document-list")
    _add_documents(candidate, learner, 2)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    _add_documents(candidate, learner, 18)
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert page.count("certificate-") >= 20


# --- staff upload -----------------------------------------------------------------------------


def test_staff_upload_to_a_record(candidate: Candidate, staff: User, client_for: Callable[[str], Client]) -> None:
    url = reverse("candidates:candidate-document-upload", kwargs={"public_id": candidate.public_id})
    client = client_for("staff")
    assert "Upload a document" in client.get(url).content.decode()
    response = client.post(url, {"kind": "id", "file": upload("passport.png", PNG_BYTES)})
    assert response.status_code == 302
    assert response["Location"] == candidate.get_absolute_url() + "#documents"
    document = Document.objects.get(candidate=candidate)
    assert (document.kind, document.uploaded_by, document.content_type) == ("id", staff, "image/png")


def test_staff_upload_error_is_shown(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    url = reverse("candidates:candidate-document-upload", kwargs={"public_id": candidate.public_id})
    response = client_for("staff").post(url, {"kind": "id", "file": upload("passport.png", PDF_BYTES)})
    assert response.status_code == 200 and "not a real .png file" in response.content.decode()


def test_detail_partial_lists_documents_and_upload_button(candidate: Candidate, learner: User) -> None:
    from django.template.loader import render_to_string

    make_document(candidate, learner, name="cv-for-detail.pdf")
    html = render_to_string(
        "candidates/_detail_documents.html",
        {
            "documents": Document.objects.filter(candidate=candidate),
            "can_upload_documents": True,
            "candidate": candidate,
        },
    )
    assert "cv-for-detail.pdf" in html
    assert reverse("candidates:candidate-document-upload", kwargs={"public_id": candidate.public_id}) in html


# --- download ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("learner", 200),
        ("other_learner", 404),
        ("provider_user", 404),
        ("staff", 200),
        ("manager", 200),
    ],
)
def test_download_permissions(
    persona: str, status: int, candidate: Candidate, learner: User, client_for: Callable[[str], Client], request
) -> None:
    request.getfixturevalue(persona)
    document = make_document(candidate, learner)
    response = client_for(persona).get(
        reverse("candidates:document-download", kwargs={"public_id": document.public_id})
    )
    assert response.status_code == status


def test_download_is_an_attachment_with_the_stored_type_and_is_audited(
    candidate: Candidate, learner: User, staff: User, client_for: Callable[[str], Client]
) -> None:
    # Built once: a zip stamps the time to two seconds, so one built later may differ.
    data = docx_bytes()
    document = _upload(candidate, learner, "Mon CV été.docx", data)
    response = client_for("staff").get(
        reverse("candidates:document-download", kwargs={"public_id": document.public_id})
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Mon%20CV%20%C3%A9t%C3%A9.docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == data  # type: ignore[attr-defined]
    entry = AuditEntry.objects.get(action="document.download")
    assert entry.actor == staff and entry.data["document"] == str(document.public_id)


def test_media_url_is_not_served(candidate: Candidate, learner: User, client_for: Callable[[str], Client]) -> None:
    document = make_document(candidate, learner)
    assert client_for("staff").get(f"/media/{document.file.name}").status_code == 404


def test_missing_file_is_404(candidate: Candidate, learner: User, client_for: Callable[[str], Client]) -> None:
    document = make_document(candidate, learner)
    document.file.storage.delete(document.file.name)
    url = reverse("candidates:document-download", kwargs={"public_id": document.public_id})
    assert client_for("learner").get(url).status_code == 404


# --- delete -----------------------------------------------------------------------------------


def test_delete_removes_the_file_after_commit(
    candidate: Candidate, learner: User, django_capture_on_commit_callbacks
) -> None:
    document = make_document(candidate, learner)
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document, actor=learner)
    assert not path.exists()
    assert not Document.objects.exists()
    assert AuditEntry.objects.filter(action="document.delete").exists()


def test_learner_deletes_own_document_after_confirming(
    candidate: Candidate, learner: User, client_for: Callable[[str], Client], django_capture_on_commit_callbacks
) -> None:
    document = make_document(candidate, learner, name="old-cv.pdf")
    url = reverse("candidates:document-delete", kwargs={"public_id": document.public_id})
    client = client_for("learner")
    page = client.get(url).content.decode()
    assert "Delete old-cv.pdf?" in page and "govuk-button--warning" in page
    assert Document.objects.exists()  # GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("candidates:document-list")
    assert not Document.objects.exists()
    assert not Path(document.file.path).exists()


def test_staff_delete_goes_back_to_the_record(
    candidate: Candidate, learner: User, client_for: Callable[[str], Client]
) -> None:
    document = make_document(candidate, learner)
    response = client_for("staff").post(reverse("candidates:document-delete", kwargs={"public_id": document.public_id}))
    assert response["Location"] == candidate.get_absolute_url() + "#documents"


@pytest.mark.parametrize("persona", ["other_learner", "provider_user"])
def test_others_cannot_delete(
    persona: str, candidate: Candidate, learner: User, client_for: Callable[[str], Client], request
) -> None:
    request.getfixturevalue(persona)
    document = make_document(candidate, learner)
    response = client_for(persona).post(reverse("candidates:document-delete", kwargs={"public_id": document.public_id}))
    assert response.status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()
