"""Faults of issue 17 against the real services on this machine: Redis and PostgreSQL go away and come back,
the mail server refuses for ten minutes, and a Celery worker is killed while building the quarterly PDF.
Nothing real is stopped: each service is reached through a TcpProxy the test cuts and restores, mail goes to
a local SmtpServer (tests/e2e/harness.py), and the workers killed are ones the test started.

Marked `services` and `faults`: run by .ci/run with DATABASE_URL (PostgreSQL) and REDIS_URL set; the quick
suite skips them (`-m "not services"`, or `-m "not faults"`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from celery import Task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from academy import celery as academy_celery
from academy.celery import app as celery_app
from academy.models import Academy, OutboxMessage, User
from academy.outbox import outbox_sweep
from academy.periods import Quarter
from candidates.models import Candidate, DbsReminder
from candidates.services.dbs_reminders import dbs_reminders_sweep
from placements.models import FollowUp, FollowUpReminder, JobApplication
from placements.services.follow_ups import follow_ups_sweep
from providers.models import Provider
from reporting.impact.services import LEASE, impact_report_request, impact_reports_sweep
from reporting.models import ImpactReport, ImpactReportStatusChange
from tests.candidates.factories_dbs_reminders import DbsCheckFactory, eight_am
from tests.conftest import sign_in
from tests.courses.factories_applications import fill_application_profile
from tests.e2e.harness import ROOT, SmtpServer, TcpProxy, gunicorn_server
from tests.factories import CandidateFactory
from tests.placements.factories_outcomes import FundingStreamFactory, JobStartFactory, attribute
from tests.placements.factories_vacancies import VacancyFactory

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _needs_services() -> None:
    assert connection.vendor == "postgresql" and settings.REDIS_URL, "needs the local PostgreSQL and Redis"


def _database_url(*, port: int | None = None) -> str:
    """The test database pytest-django made, optionally through a proxy's port."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}/{db['NAME']}"


def _with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.hostname}:{port}"))


def _environment(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.base",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **extra,
    }


@contextmanager
def celery_worker(
    env: dict[str, str], *, pool: str = "solo", boot: str = "", log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker (`pool` "solo", or "prefork" with one child) in its own process group, stopped
    with its children on exit. `boot`: Python run in the worker's main process before Celery starts (children
    are forked from it), for a fault that must land at a given moment."""
    log = log or ROOT / "var" / "e2e-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    arguments = ["-A", "academy", "worker", f"--pool={pool}", "--concurrency=1", "--loglevel=INFO"]
    if boot:
        command = [sys.executable, "-c", f"{boot}\nfrom celery.__main__ import main\nmain()", *arguments]
    else:
        command = [sys.executable, "-m", "celery", *arguments]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with suppress(ProcessLookupError):  # a prefork child still busy after its parent left
            os.killpg(process.pid, signal.SIGKILL)


def _wait_for(condition: Any, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds:.0f} s: {what}"
        time.sleep(0.2)


def _session(user: User) -> requests.Session:
    """A browser's session for `user`, signed in as the portal's sign-in would (in the shared database)."""
    http = requests.Session()
    http.cookies.set(settings.SESSION_COOKIE_NAME, sign_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value)
    return http


@pytest.fixture
def not_eager() -> Iterator[None]:
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def test_redis_unreachable_while_a_learner_applies(
    candidate: Candidate, learner: User, provider_a: Provider, not_eager: None
) -> None:
    """(a) The application is saved and its confirmation email goes out once, when Redis is back.

    The web node and the worker reach Redis (cache and broker) through a proxy; the test, acting as beat,
    queues the outbox sweep on the real Redis once the proxy is restored.
    """
    _needs_services()
    fill_application_profile(candidate)
    vacancy = VacancyFactory.create(provider=provider_a, title="Home care worker, days")
    apply_path = f"/jobs/{vacancy.public_id}/apply/"
    celery_app.control.purge()
    redis = urlsplit(settings.REDIS_URL)
    with SmtpServer() as smtp, TcpProxy((redis.hostname or "127.0.0.1", redis.port or 6379)) as redis_proxy:
        env = _environment(
            REDIS_URL=_with_port(settings.REDIS_URL, redis_proxy.port), EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}"
        )
        with celery_worker(env) as worker, gunicorn_server(env, workers=1, threads=2) as web:
            http = _session(learner)
            form = http.get(web.url + apply_path, timeout=30)
            assert form.status_code == 200
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            assert token

            redis_proxy.cut()
            answer = http.post(
                web.url + apply_path,
                data={"csrfmiddlewaretoken": token.group(1), "supporting_statement": "I cared for my nan."},
                allow_redirects=False,
                timeout=60,
            )

            assert answer.status_code == 302, answer.text[:2000]
            application = JobApplication.objects.get(vacancy=vacancy, candidate=candidate)
            assert application.status == JobApplication.Status.APPLIED
            confirmation = OutboxMessage.objects.get(to__contains=[learner.email])
            assert confirmation.status == OutboxMessage.Status.PENDING
            time.sleep(2)
            assert smtp.to(learner.email) == [], "nothing can have reached a worker"

            # Redis is back; beat queues the outbox sweep (every minute), the worker sends what waited.
            redis_proxy.restore()
            academy_celery.broker_pause_reset()
            celery_app.send_task("academy.tasks.outbox_sweep_task")
            _wait_for(lambda: smtp.to(learner.email), seconds=120, what="the confirmation email after Redis returned")
            for _ in range(2):  # the next minutes' sweeps send nothing again
                celery_app.send_task("academy.tasks.outbox_sweep_task")
            time.sleep(5)
            assert worker.poll() is None

    assert len(smtp.to(learner.email)) == 1
    confirmation.refresh_from_db()
    assert confirmation.status == OutboxMessage.Status.SENT and confirmation.attempts == 1
    assert redis_proxy.connections > 0  # the web node and worker really went through the proxy


@dataclass
class Answer:
    at: float
    status: int  # 0: no HTTP answer at all (connection refused or reset: a dead worker)
    service_page: bool
    traceback: bool
    path: str = ""


def test_postgresql_unreachable_under_load(provider_a: Provider) -> None:
    """(b) While PostgreSQL is unreachable requests get the 500 page, never a traceback or a dropped
    connection; once it is back every page answers again, from the same web workers."""
    _needs_services()
    VacancyFactory.create_batch(5, provider=provider_a)
    paths = ["/jobs/", "/courses/", "/jobs/?where=LS9+7AA"]
    with TcpProxy(("127.0.0.1", int(connection.settings_dict["PORT"] or 5432))) as pg_proxy:
        env = _environment(
            # DEBUG off, as in production (Django's technical 500 page otherwise); see benchmarks/soak_settings.py.
            DJANGO_SETTINGS_MODULE="benchmarks.soak_settings",
            DATABASE_URL=_database_url(port=pg_proxy.port),
        )
        with gunicorn_server(env, workers=2, threads=2) as web:
            workers_before = sorted(web.worker_pids())
            answers: list[Answer] = []
            stop = threading.Event()

            def browse(offset: int) -> None:
                http = requests.Session()
                i = offset
                while not stop.is_set():
                    at, path = time.monotonic(), paths[i % len(paths)]
                    try:
                        r = http.get(web.url + path, timeout=30)
                        body = r.text
                        answers.append(
                            Answer(at, r.status_code, "Care Career Academy" in body, "Traceback" in body, path)
                        )
                    except requests.RequestException:
                        answers.append(Answer(at, 0, False, False, path))
                    i += 1
                    time.sleep(0.05)

            threads = [threading.Thread(target=browse, args=(n,), daemon=True) for n in range(6)]
            for thread in threads:
                thread.start()
            time.sleep(3)
            cut_at = time.monotonic()
            pg_proxy.cut()
            time.sleep(4)
            restored_at = time.monotonic()
            pg_proxy.restore()
            time.sleep(6)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            workers_after = sorted(web.worker_pids())

    # Requests in flight at the cut may fail too (with the 500 page): "before" is those well before it. One sent
    # just before the restore may reach the database once it is back: "during" ends half a second earlier.
    before = [a for a in answers if a.at < cut_at - 1.5]
    during = [a for a in answers if cut_at + 1.0 < a.at < restored_at - 0.5]
    after = [a for a in answers if a.at > restored_at + 2]
    assert before and during and after, (len(before), len(during), len(after))
    assert {a.status for a in before} == {200}
    assert all(a.status in (200, 500) for a in answers), "every request had an answer: no worker died"
    assert all(a.service_page and not a.traceback for a in answers if a.status == 500)
    assert {a.status for a in during} == {500}, sorted(
        (a.status, a.path, round(a.at - cut_at, 2)) for a in during if a.status != 500
    )
    assert all(a.service_page and not a.traceback for a in during), "the 500 page, not a traceback"
    assert {a.status for a in after} == {200}, sorted({a.status for a in after})
    assert workers_after == workers_before, "recovered without restarting the web workers"
    FaultFigures.record(
        "PostgreSQL cut for 4 s under 6 browsing clients",
        f"{len(before)} answers before (all 200), {len(during)} during (all the 500 page), {len(after)} after "
        f"(all 200, same {len(workers_after)} workers); first 200 {_first_ok_after(answers, restored_at):.2f} s "
        "after the restore",
    )


def _first_ok_after(answers: list[Answer], moment: float) -> float:
    return min((a.at for a in answers if a.at > moment and a.status == 200), default=moment) - moment


class FaultFigures:
    """What the fault tests measured, printed at the end (`-s`) for docs/benchmarks.md."""

    lines: list[str] = []

    @classmethod
    def record(cls, what: str, figures: str) -> None:
        cls.lines.append(f"{what}: {figures}")
        print(f"\n[fault] {what}: {figures}")


def _run_due(queue: list[tuple[dt.datetime, Task, list[Any], int]], now: dt.datetime) -> None:
    """A Celery worker's part for tasks queued on commit: run each due task's body; a temporary SMTP error
    retries it later with the task's own exponential backoff (retry_backoff, no jitter), as autoretry does."""
    for item in [q for q in queue if q[0] <= now]:
        queue.remove(item)
        _, task, args, retries = item
        try:
            task.run(*args)
        except OSError:
            options: Any = task  # autoretry's options are set on the task by @shared_task
            if retries < (task.max_retries or 0):
                delay = get_exponential_backoff_interval(
                    factor=options.retry_backoff, retries=retries, maximum=options.retry_backoff_max, full_jitter=False
                )
                queue.append((now + dt.timedelta(seconds=delay), task, args, retries + 1))


def test_mail_server_refusing_for_ten_minutes(staff: User, provider_a: Provider, time_machine, monkeypatch) -> None:
    """(c) A DBS reminder and a 26-week follow-up fall due while the mail server refuses every connection for
    ten minutes: afterwards each goes out once, and the sweeps of the following minutes and of the next
    morning send nothing again. Time is moved forward a minute at a time rather than waited for."""
    _needs_services()
    day = dt.date(2026, 7, 6)
    # A learner whose DBS check started five days ago (a reminder is due), and a starter 26 weeks in.
    time_machine.move_to(timezone.make_aware(dt.datetime.combine(day - dt.timedelta(weeks=30), dt.time(9))))
    provider_a.contact_email = "jobs@a.example.org"
    provider_a.save()
    DbsCheckFactory.create(candidate=CandidateFactory.create(owner=staff), started_on=day - dt.timedelta(days=5))
    stream = FundingStreamFactory.create(
        start_date=day - dt.timedelta(weeks=40), end_date=day, follow_up_weeks=[26], sustained_after_weeks=26
    )
    starter = CandidateFactory.create(owner=staff)
    attribute(starter, stream)
    JobStartFactory.create(candidate=starter, provider=provider_a, start_date=day - dt.timedelta(weeks=26))
    assert FollowUp.objects.count() == 1

    queue: list[tuple[dt.datetime, Task, list[Any], int]] = []

    def enqueue(task: Task | str, *args: Any) -> None:  # the broker: the test runs what is queued
        from django.db import transaction
        from django.utils.module_loading import import_string

        resolved = import_string(task) if isinstance(task, str) else task
        transaction.on_commit(lambda: queue.append((timezone.now(), resolved, list(args), 0)))

    for module in ("candidates.services.dbs_reminders", "placements.services.follow_ups", "academy.outbox"):
        monkeypatch.setattr(f"{module}.enqueue_on_commit", enqueue, raising=False)

    with SmtpServer() as smtp:
        monkeypatch.setattr(settings, "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
        monkeypatch.setattr(settings, "EMAIL_HOST", "127.0.0.1")
        monkeypatch.setattr(settings, "EMAIL_PORT", smtp.port)
        smtp.refusing = True
        start = eight_am(day)
        for minute in range(0, 61):
            now = start + dt.timedelta(minutes=minute)
            time_machine.move_to(now, tick=False)
            if minute == 10:
                smtp.refusing = False  # ten minutes later the mail server accepts again
            if minute in (0, 30):  # the daily sweeps fall in the outage; run again at 08:30 they add nothing
                dbs_reminders_sweep(today=day)
                follow_ups_sweep(today=day)
            outbox_sweep(now=now)  # beat, every minute
            _run_due(queue, now)
            if minute == 9:
                assert smtp.received == [], "nothing gets through while the server refuses"
                assert DbsReminder.objects.exists() and FollowUpReminder.objects.exists(), "both were due and tried"
                refused_by_then = smtp.refused
        # The next morning's sweeps find nothing new to send.
        time_machine.move_to(eight_am(day + dt.timedelta(days=1)), tick=False)
        dbs_reminders_sweep(today=day + dt.timedelta(days=1))
        follow_ups_sweep(today=day + dt.timedelta(days=1))
        _run_due(queue, timezone.now())

    reminders = list(DbsReminder.objects.all()) + list(FollowUpReminder.objects.all())
    assert reminders and all(r.status == "sent" for r in reminders), [(r.pk, r.status) for r in reminders]
    recipients = [rcpt for message in smtp.received for rcpt in message.recipients]
    assert len(recipients) == len(set(recipients)), f"someone got a reminder twice: {recipients}"
    assert len(smtp.received) == len(reminders)
    FaultFigures.record(
        "Mail server refusing 08:00-08:10",
        f"{refused_by_then} connections refused; afterwards {len(smtp.received)} reminders sent once each "
        f"({DbsReminder.objects.count()} DBS, {FollowUpReminder.objects.count()} follow-up), none twice",
    )


# Run in the worker's main process before Celery starts: the first build of a report is held inside the
# PDF render (after the claim: the report is "running") until the test kills the child holding it; the
# gate file says which child that is. Any later build renders as usual.
HOLD_FIRST_BUILD = """
import os, time
from pathlib import Path
import django
django.setup()
from reporting.impact import services
_render = services.report_pdf_render
def _held_once(*args, **kwargs):
    gate = Path(os.environ["E2E_BUILD_GATE"])
    if not gate.exists():
        gate.write_text(str(os.getpid()))
        time.sleep(120)
    return _render(*args, **kwargs)
services.report_pdf_render = _held_once
"""


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_worker_killed_while_building_the_quarterly_report(manager: User, not_eager: None, tmp_path: Path) -> None:
    """(d) The worker's child is killed (SIGKILL) in the middle of building a quarterly impact report: the
    message, acknowledged late and rejected on worker loss, is delivered again to the worker's next child;
    the same task id takes its own claim back and the report is finished: ready, one version, one file,
    its checksum that of the file."""
    _needs_services()
    academy = Academy.objects.default()
    quarter = Quarter.containing(timezone.localdate()).previous()
    celery_app.control.purge()
    academy_celery.broker_pause_reset()
    gate = tmp_path / "held-build"
    env = _environment(E2E_BUILD_GATE=str(gate), DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    with celery_worker(env, pool="prefork", boot=HOLD_FIRST_BUILD, log=ROOT / "var" / "e2e-worker-d.log") as worker:
        report = impact_report_request(actor=manager, academy=academy, quarter=quarter)  # queued on commit
        _wait_for(gate.exists, seconds=120, what="the worker's child to start building the report")
        child = int(gate.read_text())
        assert _parent_of(child) == worker.pid, "the build runs in a child of the prefork worker"
        report.refresh_from_db()
        assert report.status == ImpactReport.Status.RUNNING and report.attempts == 1
        task_id = report.claimed_by
        assert task_id

        os.kill(child, signal.SIGKILL)
        killed_at = time.monotonic()

        def ready() -> bool:
            report.refresh_from_db()
            return report.status == ImpactReport.Status.READY

        _wait_for(ready, seconds=120, what="the report to be built again after its worker's child died")
        finished_in = time.monotonic() - killed_at
        assert worker.poll() is None, "the worker itself carried on"

    log = (ROOT / "var" / "e2e-worker-d.log").read_text()
    assert "WorkerLostError" in log, log[-3000:]
    assert report.claimed_by == task_id, "the same message, delivered again, finished the build"
    assert report.attempts == 2
    history = list(
        ImpactReportStatusChange.objects.filter(report=report).order_by("pk").values_list("from_status", "to_status")
    )
    assert history == [("", "queued"), ("queued", "running"), ("running", "running"), ("running", "ready")]
    same_quarter = ImpactReport.objects.filter(scope_key=report.scope_key, period_start=quarter.start)
    assert same_quarter.count() == 1 and report.version == 1, "one version"
    storage = report.file.storage
    folder = os.path.dirname(report.file.name)
    directories, files = storage.listdir(folder)
    assert files == [os.path.basename(report.file.name)] and not directories, "one stored file"
    with report.file.open("rb") as stored:
        data = stored.read()
    assert data[:5] == b"%PDF-" and len(data) == report.size
    assert hashlib.sha256(data).hexdigest() == report.sha256
    FaultFigures.record(
        "Worker's child killed while building the quarterly PDF",
        f"delivered again to the next child; ready {finished_in:.1f} s after the kill (build "
        f"{report.build_seconds:.2f} s); 1 version, 1 file, checksum matches",
    )


def test_whole_worker_killed_while_building_the_quarterly_report(
    manager: User, not_eager: None, tmp_path: Path
) -> None:
    """(d, the worst case) The whole worker dies mid-build (main process and child: a lost machine), so nobody
    puts its message back. Two ways bring the build back, and the report is still built once: the sweep
    (every ten minutes) releases the claim once its lease is over and queues the report again (a new message);
    and Redis delivers the old message again after the visibility timeout (an hour in production; 2 s for the
    next worker here, CELERY_VISIBILITY_TIMEOUT). Whichever claims first builds; the other finds it claimed
    or ready."""
    _needs_services()
    academy = Academy.objects.default()
    quarter = Quarter.containing(timezone.localdate()).previous()
    celery_app.control.purge()
    with celery_app.connection_for_write() as broker:  # messages a worker of an earlier run took and left
        channel: Any = broker.default_channel  # kombu's Redis channel
        channel.client.delete("unacked", "unacked_index")
    academy_celery.broker_pause_reset()
    gate = tmp_path / "held-build"
    env = _environment(E2E_BUILD_GATE=str(gate), DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    log_first, log_next = ROOT / "var" / "e2e-worker-d-first.log", ROOT / "var" / "e2e-worker-d-next.log"
    with celery_worker(env, pool="prefork", boot=HOLD_FIRST_BUILD, log=log_first) as worker:
        report = impact_report_request(actor=manager, academy=academy, quarter=quarter)
        _wait_for(gate.exists, seconds=120, what="the worker's child to start building the report")
        taken_at = time.monotonic()
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.RUNNING, "nobody is left to say the build stopped"
    first_task, claimed_at = report.claimed_by, report.claimed_at
    assert claimed_at is not None

    # The sweep, run as if its lease were over: the claim is released and the report queued again.
    swept = impact_reports_sweep(now=claimed_at + LEASE + dt.timedelta(seconds=1))
    assert (swept.released, swept.requeued) == (1, 1)
    time.sleep(max(0.0, taken_at + 2.5 - time.monotonic()))  # the old message is past its visibility timeout
    with celery_worker({**env, "CELERY_VISIBILITY_TIMEOUT": "2"}, pool="prefork", log=log_next) as worker:

        def ready() -> bool:
            report.refresh_from_db()
            return report.status == ImpactReport.Status.READY

        _wait_for(ready, seconds=120, what="the report to be built by the next worker")
        _wait_for(lambda: log_next.read_text().count("succeeded in") >= 2, seconds=60, what="both messages run")
        assert worker.poll() is None

    results = re.findall(
        r"impact_report_build_task\[([0-9a-f-]+)\] succeeded in [0-9.]+s: '([a-z ]+)'", log_next.read_text()
    )
    assert first_task in {task for task, _ in results}, "the old message was delivered again"
    assert sorted(result for _, result in results) in (["already ready", "ready"], ["not claimed", "ready"]), results
    assert report.attempts == 2
    assert ImpactReport.objects.filter(scope_key=report.scope_key, period_start=quarter.start).count() == 1
    directories, files = report.file.storage.listdir(os.path.dirname(report.file.name))
    assert files == [os.path.basename(report.file.name)] and not directories, "one stored file"
    with report.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == report.sha256
    FaultFigures.record(
        "Whole worker killed while building the quarterly PDF",
        f"sweep released 1 and queued 1; the next worker ran both messages ({', '.join(r for _, r in results)}); "
        "1 version, 1 file, checksum matches",
    )
