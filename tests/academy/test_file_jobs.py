"""Files built in the background: claimed once, re-checked, stored with a checksum, swept when expired."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import IO

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from academy import file_jobs
from academy.file_jobs import FileBuilder, FileJobRefused, Progress, file_job_build, file_job_request, file_jobs_sweep
from academy.models import AuditEntry, FileJob, User

pytestmark = pytest.mark.django_db

BODY = b"name\nAda\nGrace\n"


def _write(job: FileJob, out: IO[bytes], progress: Progress) -> None:
    progress(0, 2)
    out.write(BODY)
    progress(2, 2)


def _explode(job: FileJob, out: IO[bytes], progress: Progress) -> None:
    out.write(b"half a file")
    raise RuntimeError("database went away")


def _builder(write=_write, may_have=lambda user: user.is_academy_staff) -> FileBuilder:
    return FileBuilder(
        kind="test.names",
        title="Names (CSV)",
        content_type="text/csv",
        filename=lambda job: "names.csv",
        may_have=may_have,
        write=write,
    )


@pytest.fixture
def builder(monkeypatch: pytest.MonkeyPatch) -> FileBuilder:
    chosen = _builder()
    monkeypatch.setattr(file_jobs, "file_builders", lambda: {chosen.kind: chosen})
    return chosen


def test_a_request_is_audited_and_built_once(builder: FileBuilder, staff: User) -> None:
    job = file_job_request(kind="test.names", params={"q": ["x"]}, actor=staff)
    assert job.status == FileJob.Status.QUEUED and job.title == "Names (CSV)"
    assert AuditEntry.objects.filter(action="file_job.request", actor=staff).count() == 1
    assert file_job_build(job_id=job.pk) == "done"
    assert file_job_build(job_id=job.pk) == "not queued"  # a redelivered task does nothing
    job.refresh_from_db()
    assert job.status == FileJob.Status.DONE
    assert (job.rows_done, job.rows_total, job.size) == (2, 2, len(BODY))
    assert job.sha256 == hashlib.sha256(BODY).hexdigest()
    assert job.expires_at is not None and job.expires_at > timezone.now() + timedelta(hours=23)
    with default_storage.open(job.file.name, "rb") as stored:
        assert stored.read() == BODY


def test_someone_without_the_right_is_refused_when_asking(builder: FileBuilder, learner: User) -> None:
    with pytest.raises(FileJobRefused):
        file_job_request(kind="test.names", params={}, actor=learner)
    assert not FileJob.objects.exists()


def test_rights_taken_away_before_the_worker_starts_mean_no_file(builder: FileBuilder, staff: User) -> None:
    job = file_job_request(kind="test.names", params={}, actor=staff)
    staff.role = "learner"
    staff.save()
    assert file_job_build(job_id=job.pk) == "refused"
    job.refresh_from_db()
    assert job.status == FileJob.Status.FAILED and not job.file
    assert job.error == "You no longer have access to this download."


def test_a_failed_build_says_so_and_stores_nothing(monkeypatch: pytest.MonkeyPatch, staff: User) -> None:
    broken = _builder(write=_explode)
    monkeypatch.setattr(file_jobs, "file_builders", lambda: {broken.kind: broken})
    job = file_job_request(kind="test.names", params={}, actor=staff)
    assert file_job_build(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == FileJob.Status.FAILED and not job.file
    assert str(job.public_id) in job.error and "database went away" not in job.error


def test_the_sweep_deletes_expired_files_fails_dead_jobs_and_requeues_lost_ones(
    builder: FileBuilder, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = file_job_request(kind="test.names", params={}, actor=staff)
    file_job_build(job_id=done.pk)
    done.refresh_from_db()
    name = done.file.name
    dead = file_job_request(kind="test.names", params={}, actor=staff)
    FileJob.objects.filter(pk=dead.pk).update(
        status=FileJob.Status.RUNNING, started_at=timezone.now() - timedelta(hours=2)
    )
    lost = file_job_request(kind="test.names", params={}, actor=staff)
    FileJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    fresh = file_job_request(kind="test.names", params={}, actor=staff)
    queued: list[int] = []
    monkeypatch.setattr(file_jobs, "enqueue_on_commit", lambda task, job_id: queued.append(job_id))

    result = file_jobs_sweep(now=timezone.now() + timedelta(hours=25))

    assert (result.expired, result.failed, result.requeued) == (1, 1, 2)
    assert sorted(queued) == sorted([lost.pk, fresh.pk])  # 25 hours on, the fresh one is lost too
    done.refresh_from_db()
    assert done.status == FileJob.Status.EXPIRED and not done.file
    assert not default_storage.exists(name)
    dead.refresh_from_db()
    assert dead.status == FileJob.Status.FAILED
    assert file_jobs_sweep(now=timezone.now() + timedelta(hours=25)).expired == 0
