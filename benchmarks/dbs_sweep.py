"""`make bench`: the daily DBS reminder sweep over 10,000 and 100,000 checks, about 5% of them due.

Usage:
    python -m benchmarks.dbs_sweep [--checks 10000,100000] [--sends 1000] [--keep] [--no-docs]

The database is a scratch one, never the portal's: a SQLite file under var/bench/ by default, or,
when BENCH_DATABASE_URL points at a PostgreSQL server (postgres://postgres@127.0.0.1:5432), a
database named academy_bench_dbs (BENCH_DATABASE_NAME) that this script creates and drops. It
seeds checks in every state (benchmarks/dbs_seed.py), grows the database from the smallest size
to the largest, and at each size times the sweep (dbs_reminders_sweep) and counts its queries,
checks it created exactly the reminders due, and runs it again the same day (it must create
nothing). Send tasks go to Celery's in-memory broker, so queueing them is timed without a server;
sending is timed separately, reminder by reminder as a worker does, with the locmem email backend.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.scratch import postgres_scratch, sqlite_scratch

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "dbs_sweep.sqlite3"
DOCS_PATH = BASE_DIR / "docs" / "benchmarks.md"
GOAL_SECONDS = 10.0


@dataclass(frozen=True)
class Run:
    seconds: float
    queries: int
    created: int
    queued: int


@dataclass(frozen=True)
class SizeResult:
    checks: int
    due_checks: int
    reminders_before: int
    expected: int
    first: Run
    again: Run


def timed_sweep(today: Any) -> Run:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from candidates.services.dbs_reminders import dbs_reminders_sweep

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = dbs_reminders_sweep(today=today)
        seconds = time.perf_counter() - started
    return Run(seconds, len(captured.captured_queries), len(result.created_ids), result.queued_new)


def timed_sends(count: int) -> tuple[float, float, int]:
    """Send `count` pending reminders as a worker would; (total seconds, ms per reminder, queries per reminder)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from candidates.models import DbsReminder
    from candidates.services.dbs_reminders import SENT, dbs_reminder_send

    ids = list(
        DbsReminder.objects.filter(status=DbsReminder.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        outcomes = [dbs_reminder_send(reminder_id=pk) for pk in ids]
        seconds = time.perf_counter() - started
    if outcomes.count(SENT) != len(ids):
        sys.exit(f"Expected every reminder to be sent, got {sorted(set(outcomes))}")
    return seconds, seconds * 1000 / len(ids), round(len(captured.captured_queries) / len(ids))


def render(results: list[SizeResult], database: str, sends: tuple[float, float, int, int]) -> str:
    import django
    from django.utils import timezone

    from candidates.services.dbs_reminders import SEND_BATCH

    lines = [
        f"Run on {timezone.localdate().isoformat()} with `make bench`"
        f"{' (BENCH_DATABASE_URL set)' if database.startswith('PostgreSQL') else ''}.",
        "",
        f"- Machine: {os.cpu_count()} CPU cores ({platform.machine()}), {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}; DEBUG off.",
        f"- Database: {database}.",
        "- Data: checks in every state (benchmarks/dbs_seed.py): about 5% due a new reminder today, 3% due but "
        "reminded by earlier sweeps, 8% superseded by a newer check, the rest not due; the database grows "
        "from the smaller size to the larger one.",
        "- Sweep: `dbs_reminders_sweep(today=...)` as the daily task runs it; send tasks go to Celery's in-memory "
        "broker (queueing is timed, sending is not). Same day again: a second sweep that day, which creates "
        "nothing and queues again what is still waiting (each reminder is claimed once when sent).",
        "",
        "| Checks | Due checks | Reminders before | Sweep (s) | Queries | Reminders created (expected) "
        f"| Queued to send ({SEND_BATCH} a task) | Same day again (s) | Queries | Created |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        lines.append(
            f"| {r.checks:,} | {r.due_checks:,} | {r.reminders_before:,} | {r.first.seconds:.2f} | {r.first.queries} "
            f"| {r.first.created:,} ({r.expected:,}) | {r.first.queued:,} | {r.again.seconds:.2f} | {r.again.queries} "
            f"| {r.again.created} |"
        )
    largest = results[-1]
    counts = sorted({r.first.queries for r in results} | {r.again.queries for r in results})
    same = "the same at every size" if len(counts) == 1 else f"DIFFER ({', '.join(map(str, counts))})"
    seconds, per_ms, per_queries, count = sends
    lines += [
        "",
        f"Goal (under {GOAL_SECONDS:.0f} s over {largest.checks:,} checks, queries independent of the number of "
        f"checks): {'met' if largest.first.seconds < GOAL_SECONDS else 'MISSED'} ({largest.first.seconds:.2f} s); "
        f"queries {same}.",
        "",
        f"- Sending (the tasks' work, not part of the sweep): {count:,} reminders in {seconds:.1f} s, "
        f"{per_ms:.1f} ms and {per_queries} queries each (claim, read, policy, still due?, mark sent), "
        "locmem email backend (no SMTP).",
    ]
    return "\n".join(lines)


INTRO = """What it measures: the daily DBS reminder sweep (candidates/services/dbs_reminders.py) over a
scratch database of checks in every state, about 5% of them due a new reminder. Goal from the
issue: under 10 s over 100,000 checks, and a query count that does not grow with the number of
checks. Run `make bench` (SQLite) and `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432 make bench`
(PostgreSQL); the sweep's query count is also pinned by a test (2 and 20 due checks of every kind).

### How the sweep stays fast

- One `INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING id` per kind of reminder and
  recipient (8 in all): the database finds what is due, computes each due date and inserts, with
  no rows travelling through Python; the unique constraints settle two sweeps at once. With the
  release of stuck claims, the policy and the list of reminders to send: 13 queries at any size.
- Every comparison has the day's constants on one side (`submitted_on <= today - 28 days`), so the
  existing status index and the renewal and recheck date indexes (migration 0009) give range scans;
  without the two date indexes PostgreSQL read every check for those kinds and its JIT compiler,
  set off by the cost estimate, took about 0.6 s a query (2.6 s a sweep instead of 0.45 s).
- Reminders already sent in the same episode are skipped by a NOT EXISTS on the reminder's
  unique index: one index lookup per candidate row, however much history there is.
- Reminders are queued 50 to a task: publishing a Celery message costs about 0.3 ms (in memory)
  to 0.8 ms (Redis), so queueing 6,000 reminders one to a task took 4 of the 4.7 s of an earlier
  version of the sweep.
- Sending is the worker's work, not the sweep's: 5 queries a reminder. On SQLite about half of its
  time is the two commits (claim, mark sent), each waiting for the disk."""


def write_docs(section: str, label: str) -> None:
    """Replace this database's block of the DBS sweep section in docs/benchmarks.md, keeping everything else."""
    start, end = f"<!-- bench:dbs-sweep:{label} -->", f"<!-- /bench:dbs-sweep:{label} -->"
    heading = "## DBS reminder sweep (`make bench`)"
    text = DOCS_PATH.read_text() if DOCS_PATH.exists() else "# Benchmarks\n"
    block = f"{start}\n### {'PostgreSQL' if label == 'postgresql' else 'SQLite'}\n\n{section}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        if heading not in text:
            text = text.rstrip("\n") + f"\n\n{heading}\n\n{INTRO}\n"
        # After this section's other blocks, before any later section.
        after = text.index(heading)
        following = text.find("\n## ", after + len(heading))
        cut = len(text.rstrip("\n")) if following == -1 else following
        text = text[:cut].rstrip("\n") + f"\n\n{block}\n" + text[cut:]
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checks", default="10000,100000", help="sizes to measure, ascending (default 10000,100000)")
    parser.add_argument("--sends", type=int, default=1000, help="reminders to send at the end (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--no-docs", action="store_true", help="print only; do not update docs/benchmarks.md")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.checks.split(","))

    server_url = os.environ.get("BENCH_DATABASE_URL", "")
    if server_url:
        os.environ.setdefault("BENCH_DATABASE_NAME", "academy_bench_dbs")
    database = postgres_scratch(server_url) if server_url else sqlite_scratch(SQLITE_PATH)
    database.create()
    os.environ["DATABASE_URL"] = database.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from academy.celery import app as celery_app
    from benchmarks.dbs_seed import bench_staff, people_for, seed_checks
    from candidates.models import DbsCheck, DbsReminder

    # Queue send tasks in memory: the sweep's cost of queueing them is measured, the sends are not.
    celery_app.conf.update(task_always_eager=False, broker_url="memory://")
    try:
        print(f"Creating the scratch {database.label} database...", flush=True)
        call_command("migrate", verbosity=0)
        owners, providers, stage = bench_staff()
        today = timezone.localdate()
        results: list[SizeResult] = []
        people = due_checks = expected = 0
        for size in sizes:
            target = people_for(size)
            stats = seed_checks(start=people, stop=target, today=today, owners=owners, providers=providers, stage=stage)
            people, due_checks, expected = target, due_checks + stats.due_checks, expected + stats.expected
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")  # what autovacuum gives a live database
            checks, before = DbsCheck.objects.count(), DbsReminder.objects.count()
            print(f"Sweeping {checks:,} checks...", flush=True)
            first = timed_sweep(today)
            again = timed_sweep(today)
            if (first.created, again.created) != (expected, 0):
                sys.exit(f"The sweep created {first.created:,} then {again.created:,}; expected {expected:,} then 0")
            results.append(SizeResult(checks, due_checks, before, expected, first, again))
            print(f"  {first.seconds:.2f} s, {first.queries} queries, {first.created:,} reminders", flush=True)
            if size != sizes[-1]:  # back to the state before the sweep, so the next size has as much due
                DbsReminder.objects.exclude(status=DbsReminder.Status.SENT).delete()
        send_seconds, per_ms, per_queries = timed_sends(args.sends)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
            version = cursor.fetchone()[0]
        note = f"SQLite {version} (file)" if connection.vendor == "sqlite" else f"PostgreSQL {version} (local)"
        section = render(results, note, (send_seconds, per_ms, per_queries, args.sends))
        print("\n" + section)
        if not args.no_docs:
            write_docs(section, database.label)
            print(f"\nWritten to {DOCS_PATH.relative_to(BASE_DIR)}.")
    finally:
        connection.close()
        if not args.keep:
            database.drop()


if __name__ == "__main__":
    main()
