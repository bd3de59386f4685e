"""Files on S3-compatible storage (moto on loopback): stored in the bucket, never on local disk, downloaded
only through the portal's permission check, and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from academy.file_jobs import file_job_build
from academy.health import health_check
from academy.models import AuditEntry, FileJob
from candidates.models import Candidate, Document
from tests.candidates.factories_learner import PDF_BYTES, upload
from tests.s3 import S3Server, s3_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture
def on_s3(s3: S3Server, settings) -> S3Server:
    settings.STORAGES = {**settings.STORAGES, "default": s3.storage_settings()}
    return s3


def test_an_uploaded_document_lives_in_the_bucket_and_downloads_through_the_portal(
    on_s3: S3Server, candidate: Candidate, client_for: Callable[[str], Client], settings
) -> None:
    learner = client_for("learner")
    response = learner.post(reverse("candidates:document-list"), {"kind": "cv", "file": upload("My CV.pdf")})
    assert response.status_code == 302
    document = Document.objects.get(candidate=candidate)
    assert type(storages["default"]).__name__ == "S3Storage"
    assert document.file.name in on_s3.object_keys()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf")), "nothing is written to the local media folder"
    page = learner.get(reverse("candidates:document-list")).content.decode()
    assert on_s3.endpoint_url not in page, "no bucket URL is ever handed out"

    download = client_for("staff").get(
        reverse("candidates:document-download", kwargs={"public_id": document.public_id})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert download["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="document.download", object_id=str(document.pk)).count() == 1
    assert (
        client_for("other_learner")
        .get(reverse("candidates:document-download", kwargs={"public_id": document.public_id}))
        .status_code
        == 404
    )


def test_a_file_missing_from_the_bucket_is_a_clear_404(
    on_s3: S3Server, candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    client_for("learner").post(reverse("candidates:document-list"), {"kind": "cv", "file": upload("cv.pdf")})
    document = Document.objects.get(candidate=candidate)
    on_s3.client().delete_object(Bucket="academy-test-files", Key=document.file.name)
    response = client_for("staff").get(
        reverse("candidates:document-download", kwargs={"public_id": document.public_id})
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="document.download").exists()


def test_an_export_built_by_the_worker_is_stored_in_the_bucket(
    on_s3: S3Server, walk_in: Candidate, client_for: Callable[[str], Client]
) -> None:
    staff = client_for("staff")
    staff.post(reverse("candidates:candidate-export"))
    job = FileJob.objects.get()
    assert file_job_build(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert job.file.name in on_s3.object_keys()
    download = staff.get(reverse("academy:file-job-download", kwargs={"public_id": job.public_id}))
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert "wendy@example.org" in body.decode("utf-8-sig")


def test_the_health_check_writes_to_the_bucket(on_s3: S3Server) -> None:
    assert health_check()["storage"]["ok"] is True
    assert not [key for key in on_s3.object_keys() if key.startswith("health/")]  # the probe cleans up
