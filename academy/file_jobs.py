"""Files built in the background for the person who asked (CSV exports now; reports later).

An app offers a kind of file by listing `FileBuilder`s as FILE_BUILDERS in its `<app>/file_jobs.py`
(found through academy.discovery). Asking for a file writes a FileJob and queues its id; a worker
claims the job (queued -> running, a conditional update, so a redelivered task never builds it twice),
re-checks that the person may still have it, writes it to a temporary file that is always removed,
then stores it on the default storage with its size and SHA-256. The person watches progress on the
job's page and downloads the file until it expires; a sweep deletes expired files, fails jobs whose
worker died and queues again jobs the broker never received.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.celery import enqueue_on_commit
from academy.discovery import app_hooks
from academy.models import FileJob, User
from academy.tenancy import academy_in_use_id, use_academy

logger = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class FileBuilder:
    """How to build one kind of file. `write(job, out, progress)` writes bytes to `out` and calls
    `progress(rows_done, rows_total)` now and then; `may_have(user)` is checked when asked and again
    when the worker starts (a person whose rights were taken away in between gets nothing)."""

    kind: str
    title: str
    content_type: str
    filename: Callable[[FileJob], str]
    may_have: Callable[[User], bool]
    write: Callable[[FileJob, IO[bytes], Progress], None]


def file_builders() -> dict[str, FileBuilder]:
    builders: dict[str, FileBuilder] = {}
    for listed in app_hooks("file_jobs", "FILE_BUILDERS"):
        for builder in listed:  # type: ignore[attr-defined]
            builders[builder.kind] = builder
    return builders


class FileJobRefused(Exception):
    """The person may not have this kind of file."""


def file_job_request(*, kind: str, params: dict[str, Any], actor: User, title: str = "") -> FileJob:
    builder = file_builders()[kind]
    if not builder.may_have(actor):
        raise FileJobRefused("You do not have access to this download.")
    with transaction.atomic():
        job = FileJob.objects.create(
            kind=kind,
            title=title or builder.title,
            params=params,
            requested_by=actor,
            # The worker builds the file for the academy the person was working in when they asked.
            academy_id=academy_in_use_id(actor) or None,
        )
        audit_log(actor=actor, action="file_job.request", obj=job, data={"kind": kind, "params": params})
        enqueue_on_commit("academy.tasks.file_job_build_task", job.pk)
    return job


def _fail(job_id: int, message: str) -> None:
    FileJob.objects.filter(pk=job_id).update(status=FileJob.Status.FAILED, error=message, finished_at=timezone.now())


def _progress_recorder(job_id: int) -> Progress:
    def record(done: int, total: int | None) -> None:
        FileJob.objects.filter(pk=job_id, status=FileJob.Status.RUNNING).update(rows_done=done, rows_total=total)

    return record


def _digest(out: IO[bytes]) -> tuple[str, int]:
    out.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := out.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    return digest.hexdigest(), size


def file_job_build(*, job_id: int) -> str:
    """Build the job's file (the worker's side). Returns what happened, for the task's result and logs."""
    claimed = FileJob.objects.filter(pk=job_id, status=FileJob.Status.QUEUED).update(
        status=FileJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    job = FileJob.objects.select_related("requested_by").get(pk=job_id)
    builder = file_builders().get(job.kind)
    if builder is None:
        _fail(job.pk, "This kind of file can no longer be made.")
        return "unknown kind"
    if not (job.requested_by.is_active and builder.may_have(job.requested_by)):
        _fail(job.pk, "You no longer have access to this download.")
        return "refused"
    if job.academy_id is not None:
        try:
            use_academy(job.requested_by, job.academy_id)
        except ValueError:
            _fail(job.pk, "You no longer work in the academy this download was for.")
            return "refused"
    # Spills to a temporary file on disk past a few MB; closing it (always) removes it.
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        try:
            builder.write(job, out, _progress_recorder(job.pk))
        except Exception:
            logger.exception("File job %s (%s) failed", job.public_id, job.kind)
            _fail(
                job.pk,
                f"Something went wrong while the file was being made. Ask for it again (reference {job.public_id}).",
            )
            return "failed"
        sha256, size = _digest(out)
        job.file.save(builder.filename(job), File(out), save=False)
    now = timezone.now()
    FileJob.objects.filter(pk=job.pk).update(
        status=FileJob.Status.DONE,
        file=job.file.name,
        filename=builder.filename(job),
        content_type=builder.content_type,
        size=size,
        sha256=sha256,
        finished_at=now,
        expires_at=now + timedelta(hours=settings.FILE_JOB_KEEP_HOURS),
    )
    return "done"


def file_job_record_download(*, job: FileJob, actor: User) -> None:
    audit_log(
        actor=actor,
        action="file_job.download",
        obj=job,
        data={"kind": job.kind, "sha256": job.sha256, "size": job.size},
    )


@dataclass(frozen=True)
class SweepResult:
    expired: int
    failed: int
    requeued: int


def file_jobs_sweep(*, now: Any = None) -> SweepResult:
    """Delete expired files; fail jobs whose worker died (running past the task's time limit); queue again
    jobs still waiting after a few minutes (the broker was down when they were asked for)."""
    now = now or timezone.now()
    expired = 0
    for job in FileJob.objects.filter(status=FileJob.Status.DONE, expires_at__lte=now):
        if job.file:
            job.file.storage.delete(job.file.name)
        expired += FileJob.objects.filter(pk=job.pk, status=FileJob.Status.DONE).update(
            status=FileJob.Status.EXPIRED, file=""
        )
    stale = now - timedelta(seconds=settings.FILE_JOB_TIME_LIMIT_SECONDS + 60)
    failed = FileJob.objects.filter(status=FileJob.Status.RUNNING, started_at__lt=stale).update(
        status=FileJob.Status.FAILED,
        error="The file was not finished in time. Ask for it again.",
        finished_at=now,
    )
    waiting = list(
        FileJob.objects.filter(status=FileJob.Status.QUEUED, created_at__lt=now - timedelta(minutes=2)).values_list(
            "pk", flat=True
        )
    )
    for job_id in waiting:
        enqueue_on_commit("academy.tasks.file_job_build_task", job_id)
    return SweepResult(expired=expired, failed=failed, requeued=len(waiting))
