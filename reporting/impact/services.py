"""Impact reports: asking for one, the quarterly schedule, and building the PDF in a worker.

Exactly once, step by step (the DBS reminders' pattern):
- Asking adds a version (numbered within the report's scope and period; old versions stay) and queues
  its id after commit.
- The schedule makes one report per academy for the quarter just ended. The partial unique constraint
  `reporting_impactreport_scheduled_once` decides between two beats (or one beat firing twice): the
  second insert fails and nothing is queued for it.
- A worker claims the build with a conditional update (queued -> running, naming its task id), so a
  report queued twice, or already ready, is built once. The same task redelivered after its worker died
  (acks_late, reject_on_worker_lost) has the same task id and takes its own claim back; any other may
  take a claim only after LEASE (longer than the task's time limit, so the holder is dead), and the
  sweep queues those again.
- The file is written under a name fixed by the report (reports/<public id>/<name>), replacing what
  a dead worker left, and "ready" is set only while holding the claim: one file, its checksum right.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from academy.audit import audit_log
from academy.celery import enqueue_on_commit
from academy.models import Academy, FundingStream, Region, User
from academy.periods import Quarter
from reporting.figures.types import ReportFigures
from reporting.impact.pdf import report_content, report_filename, report_html, report_pdf_render
from reporting.impact.scopes import report_filters, scope_key
from reporting.models import ImpactReport, ImpactReportStatusChange, impact_report_upload_to

logger = logging.getLogger(__name__)
Status = ImpactReport.Status

# The build task's hard time limit; a claim older than LEASE belongs to a worker that is dead.
BUILD_TIME_LIMIT_SECONDS = 300
LEASE = timedelta(seconds=BUILD_TIME_LIMIT_SECONDS + 60)
# A report still queued this long after it was asked for never reached the broker: the sweep queues it again.
QUEUED_GRACE = timedelta(minutes=5)
# Builds started and never finished this many times are failed rather than queued again.
MAX_ATTEMPTS = 3
BUILD_TASK = "reporting.tasks.impact_report_build_task"

READY, FAILED, NOT_CLAIMED, ALREADY_READY, LOST_CLAIM = "ready", "failed", "not claimed", "already ready", "lost claim"


def _history(report: ImpactReport, *, from_status: str, to_status: str, actor: User | None, reason: str = "") -> None:
    """The status-history row and audit entry of one step of a report's build."""
    ImpactReportStatusChange.objects.create(
        report=report, from_status=from_status, to_status=to_status, changed_by=actor, reason=reason
    )
    audit_log(
        actor=actor,
        action=f"impact_report.{to_status}",
        obj=report,
        data={"from": from_status, "to": to_status, "version": report.version, "reason": reason},
    )


def _create(
    *,
    quarter: Quarter,
    academy: Academy | None,
    region: Region | None = None,
    stream: FundingStream | None = None,
    requested_by: User | None,
    scheduled: bool,
    enqueue: bool = True,
) -> ImpactReport | None:
    """A new version of the report (None: a scheduled one exists already). Versions are numbered by the
    database's unique constraint: a clash with a version asked for at the same moment takes the next."""
    key = scope_key(academy=academy, region=region, stream=stream)
    same = ImpactReport.objects.filter(scope_key=key, period_start=quarter.start, period_end=quarter.end)
    for _ in range(5):
        if scheduled and same.filter(scheduled=True).exists():
            return None
        version = (same.aggregate(last=Max("version"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                report = ImpactReport.objects.create(
                    academy=academy,
                    region=region,
                    scope_key=key,
                    period_start=quarter.start,
                    period_end=quarter.end,
                    quarter_label=quarter.label,
                    filters=report_filters(academy=academy, region=region, stream=stream),
                    version=version,
                    scheduled=scheduled,
                    requested_by=requested_by,
                    requested_at=timezone.now(),
                )
        except IntegrityError:
            continue
        _history(report, from_status="", to_status=Status.QUEUED, actor=requested_by)
        if enqueue:
            enqueue_on_commit(BUILD_TASK, report.pk)
        return report
    if scheduled:
        return None
    raise ValidationError("Another report for this quarter was asked for at the same moment. Try again.")


@transaction.atomic
def impact_report_request(
    *, actor: User, academy: Academy, quarter: Quarter, stream: FundingStream | None = None, today: date | None = None
) -> ImpactReport:
    """Ask for a new version of the academy's report for `quarter`; it is built in the background."""
    today = today or timezone.localdate()
    if quarter.start > today:
        raise ValidationError("That quarter has not started yet. Choose a quarter that has started.")
    report = _create(quarter=quarter, academy=academy, stream=stream, requested_by=actor, scheduled=False)
    if report is None:  # only scheduled reports are ever skipped
        raise ValidationError("The report could not be asked for. Try again.")
    return report


@dataclass(frozen=True)
class ScheduleResult:
    quarter: Quarter
    created_ids: list[int] = field(default_factory=list)
    skipped: int = 0


def impact_reports_schedule(*, today: date) -> ScheduleResult:
    """The quarterly run: one report per academy for the quarter before the one `today` is in.

    Safe to run again (or twice at once): an academy that has its scheduled report gets no other."""
    quarter = Quarter.containing(today).previous()
    created, skipped = [], 0
    for academy in Academy.objects.order_by("id"):
        with transaction.atomic():
            report = _create(quarter=quarter, academy=academy, requested_by=None, scheduled=True)
        if report is None:
            skipped += 1
        else:
            created.append(report.pk)
    return ScheduleResult(quarter=quarter, created_ids=created, skipped=skipped)


@dataclass(frozen=True)
class SweepResult:
    released: int
    requeued: int


def impact_reports_sweep(*, now: datetime | None = None) -> SweepResult:
    """Put back to queued the builds whose worker died (claim older than LEASE) and queue again every report
    still waiting after QUEUED_GRACE (the broker was down, or a worker died and its message was lost)."""
    now = now or timezone.now()
    released = 0
    with transaction.atomic():
        for report in ImpactReport.objects.filter(status=Status.RUNNING, claimed_at__lt=now - LEASE):
            ours = ImpactReport.objects.filter(pk=report.pk, status=Status.RUNNING, claimed_at=report.claimed_at)
            if report.attempts >= MAX_ATTEMPTS:
                # Killed every time (the hard time limit, memory): trying again would loop for ever.
                message = f"The report could not be built in time. Ask for it again (reference {report.public_id})."
                if ours.update(status=Status.FAILED, error=message, finished_at=now):
                    _history(report, from_status=Status.RUNNING, to_status=Status.FAILED, actor=None, reason=message)
                continue
            if ours.update(status=Status.QUEUED, claimed_by="", claimed_at=None):
                released += 1
                _history(
                    report,
                    from_status=Status.RUNNING,
                    to_status=Status.QUEUED,
                    actor=None,
                    reason="The build did not finish (the worker stopped): queued again.",
                )
        waiting = list(
            ImpactReport.objects.filter(status=Status.QUEUED, requested_at__lt=now - QUEUED_GRACE).values_list(
                "pk", flat=True
            )
        )
        for report_id in waiting:
            enqueue_on_commit(BUILD_TASK, report_id)
    return SweepResult(released=released, requeued=len(waiting))


def _claim(report_id: int, task_id: str, now: datetime) -> bool:
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, claimed_at__lt=now - LEASE)
    if task_id:
        # The same message redelivered after its worker died: that worker holds the claim no more.
        claimable |= Q(status=Status.RUNNING, claimed_by=task_id)
    return bool(
        ImpactReport.objects.filter(claimable, pk=report_id).update(
            status=Status.RUNNING, claimed_by=task_id, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def impact_report_build(
    *, report_id: int, task_id: str = "", now: datetime | None = None, figures: ReportFigures | None = None
) -> str:
    """Build and store the report's PDF if this call claims it; returns what happened (for logs and tests).

    A report already ready is never rebuilt. A failure marks the report failed with a reason a manager can
    read; the error itself goes to the log."""
    now = now or timezone.now()
    previous = ImpactReport.objects.filter(pk=report_id).values_list("status", flat=True).first()
    if previous is None:
        return NOT_CLAIMED
    if not _claim(report_id, task_id, now):
        return ALREADY_READY if previous == Status.READY else NOT_CLAIMED
    report = ImpactReport.objects.select_related("academy", "region").get(pk=report_id)
    reason = "Started again: the worker building it stopped." if previous == Status.RUNNING else ""
    _history(report, from_status=previous, to_status=Status.RUNNING, actor=None, reason=reason)
    ours = ImpactReport.objects.filter(pk=report_id, status=Status.RUNNING, claimed_by=task_id, claimed_at=now)
    started = time.monotonic()
    try:
        rendered = report_pdf_render(report_html(report_content(report, figures=figures)))
        filename = report_filename(report)
        name = impact_report_upload_to(report, filename)
        storage = report.file.storage
        if storage.exists(name):  # left by a worker that died before it could mark the report ready
            storage.delete(name)
        stored = storage.save(name, ContentFile(rendered.data))
    except Exception:
        logger.exception("Impact report %s failed", report.public_id)
        message = f"The report could not be built. Ask for it again (reference {report.public_id})."
        if ours.update(status=Status.FAILED, error=message, finished_at=timezone.now()):
            _history(report, from_status=Status.RUNNING, to_status=Status.FAILED, actor=None, reason=message)
        return FAILED
    done = ours.update(
        status=Status.READY,
        file=stored,
        filename=filename,
        sha256=hashlib.sha256(rendered.data).hexdigest(),
        size=len(rendered.data),
        page_count=rendered.pages,
        build_seconds=round(time.monotonic() - started, 3),
        error="",
        finished_at=timezone.now(),
    )
    if not done:
        return LOST_CLAIM
    _history(report, from_status=Status.RUNNING, to_status=Status.READY, actor=None)
    return READY


def impact_report_build_now(
    *,
    quarter: Quarter,
    academy: Academy | None,
    stream: FundingStream | None = None,
    figures: ReportFigures | None = None,
) -> ImpactReport:
    """The command line's report: a new version built in this process, not by a worker."""
    with transaction.atomic():
        report = _create(
            quarter=quarter, academy=academy, stream=stream, requested_by=None, scheduled=False, enqueue=False
        )
        if report is None:
            raise ValidationError("The report could not be made. Try again.")
    impact_report_build(report_id=report.pk, task_id=f"command-{report.public_id}", figures=figures)
    report.refresh_from_db()
    return report


def impact_report_record_download(*, report: ImpactReport, actor: User) -> None:
    """Every download of a report is audited, with the checksum of what was sent."""
    audit_log(
        actor=actor,
        action="impact_report.download",
        obj=report,
        data={"version": report.version, "sha256": report.sha256, "size": report.size},
    )
