"""`make bench`: a quarter's report figures on 100,000 candidates against hand-written SQL.

Usage:
    python -m benchmarks.report_figures [--rows 100000] [--runs 5] [--keep] [--reuse] [--no-docs]

The database is a scratch one, never the portal's: a SQLite file under var/bench/ by default, or,
when BENCH_DATABASE_URL points at a PostgreSQL server, a database named by BENCH_DATABASE_NAME
(default academy_bench_figures) that this script creates and drops. It seeds candidates with stage
history and equality answers (benchmarks/seed.py), then a realistic history on top: selection
results, cohorts and places that ended, DBS checks, job offers, outcomes with follow-ups, stream
attributions and support payments. It times report_figures for the last full quarter (every
figure of every section), and for a few bases both the ORM selector and hand-written SQL counting
the same figures the same way. Goal from the issue: at most twice the time of the hand-written SQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.scratch import postgres_scratch, sqlite_scratch

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "report_figures.sqlite3"
DOCS_PATH = BASE_DIR / "docs" / "benchmarks.md"
GOAL_RATIO = 2.0
BATCH = 5000


def seed_history(seed: int = 20261205) -> dict[str, int]:
    """Courses, places, selection, DBS, offers, outcomes, follow-ups, streams and payments for the
    candidates already seeded, in bulk; about the shape of the field figures in DESIGN.md."""
    from django.db import transaction
    from django.utils import timezone

    from academy.models import FundingStream
    from candidates.models import Candidate, DbsCheck, SelectionEvent, SelectionResult, StreamAttribution
    from courses.models import Cohort, Course, Enrolment, SupportPayment
    from placements.models import FollowUp, JobApplication, Outcome, Vacancy
    from providers.models import Provider

    rng = random.Random(seed)  # noqa: S311 - repeatable test data
    today = timezone.localdate()
    streams = [
        FundingStream.objects.create(
            name=f"Bench stream {n}",
            funder="Bench funder",
            code=f"BENCH-{n}",
            start_date=today - dt.timedelta(days=3 * 365),
            end_date=today + dt.timedelta(days=365),
            budget=Decimal("500000"),
            target_job_starts=2000,
            follow_up_weeks=[4, 13, 26],
            sustained_after_weeks=26,
        )
        for n in range(3)
    ]
    providers = [Provider.objects.create(name=f"Bench care provider {n}") for n in range(40)]
    vacancies = [
        Vacancy.objects.create(
            provider=p,
            title="Care worker",
            job_role="care_worker",
            description="Bench vacancy",
            hours_per_week=Decimal("30"),
            contract_type="permanent",
            pay_amount=Decimal("12.60"),
            place="Leeds",
            postcode="LS1 1AA",
            closing_date=today,
            status="published",
        )
        for p in providers
    ]
    courses = [
        Course.objects.create(title=f"Bench course {n}", summary="Bench", kind=kind, length_days=10)
        for n, kind in enumerate(["bite_size", "pre_employment", "care_certificate"])
    ]
    cohorts = []
    for week in range(0, 3 * 52, 2):
        start = today - dt.timedelta(weeks=week)
        cohorts.append(
            Cohort.objects.create(
                course=courses[week % 3],
                name=f"Bench cohort {week}",
                start_date=start,
                end_date=start + dt.timedelta(days=13),
                capacity=30,
                status="finished",
                funding_stream=streams[week % 3],
            )
        )
    events = [
        SelectionEvent.objects.create(title=f"Bench selection {w}", held_on=today - dt.timedelta(weeks=w))
        for w in range(0, 3 * 52, 2)
    ]
    counts = dict.fromkeys(["enrolments", "results", "dbs", "offers", "outcomes", "follow_ups", "payments"], 0)
    ids = list(Candidate.objects.order_by("pk").values_list("pk", "created_at"))
    for start in range(0, len(ids), BATCH):
        rows: dict[str, list[Any]] = {k: [] for k in [*counts, "attributions"]}
        for pk, created in ids[start : start + BATCH]:
            born = timezone.localdate(created)
            if rng.random() < 0.5:
                rows["attributions"].append(
                    StreamAttribution(candidate_id=pk, stream=rng.choice(streams), attributed_on=born)
                )
            if rng.random() < 0.4:
                event = min(events, key=lambda e: abs((e.held_on - born).days - 14))
                outcome = rng.choices(["accepted", "referred", "not_accepted"], [70, 15, 15])[0]
                rows["results"].append(
                    SelectionResult(
                        event=event,
                        candidate_id=pk,
                        outcome=outcome,
                        referred_to="college" if outcome == "referred" else "",
                    )
                )
            if rng.random() < 0.3:
                cohort = min(cohorts, key=lambda c: abs((c.start_date - born).days - 30))
                status = rng.choices(["completed", "withdrawn", "did_not_complete", "enrolled"], [75, 12, 8, 5])[0]
                ended = None
                if status != "enrolled":
                    ended = timezone.make_aware(dt.datetime.combine(cohort.end_date, dt.time(16)))
                rows["enrolments"].append(Enrolment(cohort=cohort, candidate_id=pk, status=status, ended_at=ended))
                if status == "completed" and rng.random() < 0.6:
                    offered = ended + dt.timedelta(days=rng.randint(3, 40)) if ended else None
                    rows["offers"].append(
                        JobApplication(
                            vacancy=rng.choice(vacancies),
                            candidate_id=pk,
                            route="applied",
                            status="offered",
                            offered_at=offered,
                        )
                    )
                    if rng.random() < 0.7 and offered is not None:
                        starts_on = timezone.localdate(offered) + dt.timedelta(days=14)
                        kind = rng.choices(["paid_job_care", "other_paid_job", "apprenticeship"], [80, 12, 8])[0]
                        rows["outcomes"].append(
                            Outcome(
                                candidate_id=pk,
                                kind=kind,
                                start_date=starts_on,
                                evidence="provider_confirmation",
                                left_on=starts_on + dt.timedelta(days=rng.randint(20, 400))
                                if rng.random() < 0.3
                                else None,
                            )
                        )
            if rng.random() < 0.2:
                submitted = born + dt.timedelta(days=rng.randint(5, 60))
                rows["dbs"].append(
                    DbsCheck(
                        candidate_id=pk,
                        level="enhanced_adults",
                        started_on=submitted - dt.timedelta(days=3),
                        submitted_on=submitted,
                        certificate_issued_on=submitted + dt.timedelta(days=rng.randint(5, 60)),
                        status="cleared",
                        decision="suitable",
                        decision_on=submitted + dt.timedelta(days=61),
                    )
                )
            if rng.random() < 0.1:
                rows["payments"].append(
                    SupportPayment(
                        candidate_id=pk,
                        kind=rng.choice(["transport", "childcare", "lunch", "interview_clothes"]),
                        amount=Decimal(rng.randint(5, 120)),
                        status="paid",
                        funding_stream=rng.choice(streams),
                        paid_at=created + dt.timedelta(days=rng.randint(1, 60)),
                    )
                )
        with transaction.atomic():
            StreamAttribution.objects.bulk_create(rows["attributions"], batch_size=2000)
            SelectionResult.objects.bulk_create(rows["results"], batch_size=2000)
            Enrolment.objects.bulk_create(rows["enrolments"], batch_size=2000)
            JobApplication.objects.bulk_create(rows["offers"], batch_size=2000)
            made = Outcome.objects.bulk_create(rows["outcomes"], batch_size=2000)
            DbsCheck.objects.bulk_create(rows["dbs"], batch_size=2000)
            SupportPayment.objects.bulk_create(rows["payments"], batch_size=2000)
            follow_ups = [
                FollowUp(
                    outcome=o,
                    stream=rng.choice(streams),
                    week=w,
                    due_on=o.start_date + dt.timedelta(weeks=w),
                    result="still_employed" if o.left_on is None else "left",
                    left_on=o.left_on,
                )
                for o in made
                for w in (4, 13, 26)
                if o.start_date + dt.timedelta(weeks=w) <= today
            ]
            FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
        for key in counts:
            counts[key] += len(rows[key]) if key != "follow_ups" else len(follow_ups)
        print(f"  history for {min(start + BATCH, len(ids)):,}/{len(ids):,} candidates", flush=True)
    return counts


def hand_written(vendor: str) -> dict[str, str]:
    """The same figures as a few of the selectors' bases, in SQL as one would write it by hand."""
    return {
        "engagement: enquiries": """
            SELECT COUNT(*) FROM candidates_candidate
            WHERE merged_into_id IS NULL AND created_at >= %(start)s AND created_at < %(end)s""",
        "learning: places ended (5 figures)": """
            SELECT COUNT(DISTINCT CASE WHEN e.status = 'completed' THEN e.candidate_id END),
                   COUNT(DISTINCT e.candidate_id),
                   COUNT(DISTINCT CASE WHEN e.status = 'withdrawn' THEN e.candidate_id END),
                   COUNT(DISTINCT CASE WHEN e.status = 'did_not_complete' THEN e.candidate_id END),
                   COUNT(DISTINCT CASE WHEN e.status = 'completed' AND co.kind = 'care_certificate'
                                       THEN e.candidate_id END)
            FROM courses_enrolment e
            JOIN candidates_candidate c ON c.id = e.candidate_id
            JOIN courses_cohort h ON h.id = e.cohort_id
            JOIN courses_course co ON co.id = h.course_id
            WHERE c.merged_into_id IS NULL
              AND e.status IN ('completed', 'withdrawn', 'did_not_complete')
              AND e.ended_at >= %(start)s AND e.ended_at < %(end)s""",
        "employment: outcomes (7 figures)": """
            SELECT COUNT(DISTINCT CASE WHEN o.kind IN ('paid_job_care', 'other_paid_job', 'apprenticeship')
                                       THEN o.candidate_id END),
                   COUNT(DISTINCT CASE WHEN o.kind = 'paid_job_care' THEN o.candidate_id END),
                   COUNT(DISTINCT CASE WHEN o.kind = 'other_paid_job' THEN o.candidate_id END),
                   COUNT(DISTINCT CASE WHEN o.kind = 'apprenticeship' THEN o.candidate_id END),
                   COUNT(DISTINCT CASE WHEN o.kind = 'learning' THEN o.candidate_id END),
                   COUNT(DISTINCT CASE WHEN o.kind = 'volunteering' THEN o.candidate_id END),
                   COUNT(DISTINCT CASE WHEN o.kind = 'work_experience' THEN o.candidate_id END)
            FROM placements_outcome o JOIN candidates_candidate c ON c.id = o.candidate_id
            WHERE c.merged_into_id IS NULL AND o.start_date >= %(first)s AND o.start_date <= %(last)s""",
        "dbs: checks started": """
            SELECT COUNT(DISTINCT d.candidate_id)
            FROM candidates_dbscheck d JOIN candidates_candidate c ON c.id = d.candidate_id
            WHERE c.merged_into_id IS NULL AND d.started_on >= %(first)s AND d.started_on <= %(last)s""",
    }


def orm_bases(scope: Any) -> dict[str, Callable[[], object]]:
    from reporting.figures import dbs, employment, engagement, learning
    from reporting.figures.base import count_measures

    def of(measures: list[Any], keys: list[str]) -> Callable[[], object]:
        chosen = [m for m in measures if m.key in keys]
        return lambda: count_measures(scope, chosen)

    return {
        "engagement: enquiries": of(engagement.measures(scope), ["engagement.enquiries"]),
        "learning: places ended (5 figures)": of(
            learning.MEASURES,
            [
                "learning.completions",
                "learning.finished",
                "learning.withdrawals",
                "learning.did_not_complete",
                "learning.care_certificates",
            ],
        ),
        "employment: outcomes (7 figures)": of(
            employment.measures(scope, []),
            [
                "employment.job_starts",
                "employment.job_starts_care",
                "employment.job_starts_other",
                "employment.apprenticeships",
                "employment.into_learning",
                "employment.into_volunteering",
                "employment.work_experience",
            ],
        ),
        "dbs: checks started": of(dbs.MEASURES, ["dbs.started"]),
    }


def timed(run: Callable[[], object], runs: int) -> float:
    run()  # warm the caches once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(runs: int) -> tuple[list[tuple[str, float, float]], float, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from academy.periods import Quarter
    from reporting.figures import report_figures
    from reporting.figures.base import local_bounds
    from reporting.scope import ReportScope

    quarter = Quarter.containing(timezone.localdate()).previous()
    scope = ReportScope(quarter.start, quarter.end)
    start, end = local_bounds(scope)
    adapt = connection.ops.adapt_datetimefield_value
    params = {"start": adapt(start), "end": adapt(end), "first": scope.start, "last": scope.end}
    rows = []
    bases = orm_bases(scope)
    for name, statement in hand_written(connection.vendor).items():

        def raw(statement: str = statement) -> object:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall()

        ours, theirs = bases[name](), raw()
        print(f"  {name}: selector {ours}, SQL {theirs}", flush=True)
        if [int(v) for v in ours.values()] != [int(v) for v in theirs[0]]:  # type: ignore[attr-defined]
            raise SystemExit(f"The selector and the SQL disagree on {name}: {ours} against {theirs}.")
        rows.append((name, timed(bases[name], runs), timed(raw, runs)))
    whole = timed(lambda: report_figures(scope), max(runs // 2, 1))
    with CaptureQueriesContext(connection) as captured:
        figures = report_figures(scope)
    return rows, whole, len(captured.captured_queries), f"{quarter.label}: {len(figures.flat())} figures"


def render(rows: list[tuple[str, float, float]], whole: float, queries: int, what: str, notes: list[str]) -> str:
    lines = [
        *notes,
        "",
        "| figures (one base each) | report selector (ORM) | hand-written SQL | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, orm, raw in rows:
        ratio = orm / raw if raw else float("inf")
        mark = "**" if ratio <= GOAL_RATIO else ""
        lines.append(f"| {name} | {orm * 1000:.0f} ms | {raw * 1000:.0f} ms | {mark}{ratio:.2f}x{mark} |")
    lines += ["", f"Whole `report_figures` for {what}: {whole:.2f} s median, {queries} queries."]
    return "\n".join(lines)


def write_docs(section: str, label: str) -> None:
    """Replace this database's block in docs/benchmarks.md, keeping everything else."""
    start, end = f"<!-- bench:report-figures:{label} -->", f"<!-- /bench:report-figures:{label} -->"
    heading = "## Report figures (`make bench`)"
    text = DOCS_PATH.read_text() if DOCS_PATH.exists() else "# Benchmarks\n"
    block = f"{start}\n### {'PostgreSQL' if label == 'postgresql' else 'SQLite'}\n\n{section}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        if heading not in text:
            text = text.rstrip("\n") + f"\n\n{heading}\n\n{INTRO}\n"
        text = text.rstrip("\n") + f"\n\n{block}\n"
    DOCS_PATH.write_text(text.rstrip("\n") + "\n")


INTRO = """What it measures: `reporting.figures.report_figures` for the last full quarter (every figure
the dashboard, the CSV and the PDF show), on a scratch database of candidates with stage history
and equality answers (benchmarks/seed.py) plus selection results, places that ended, DBS checks,
offers, outcomes with follow-ups, stream attributions and support payments over three years
(benchmarks/report_figures.py). For a few bases, the selector's query (the ORM's conditional
aggregation, distinct people, merged records left out) is timed against hand-written SQL for the
same figures. Goal from the issue: at most twice the hand-written SQL (in bold when met). Medians of
several runs; the machine is shared, so timings carry noise. Run `python -m benchmarks.report_figures`
(`--rows`, `--keep`, `--reuse`; `BENCH_DATABASE_URL` for PostgreSQL)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="candidates to create (default 100,000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept scratch database instead of seeding")
    parser.add_argument("--no-docs", action="store_true", help="print only; do not update docs/benchmarks.md")
    args = parser.parse_args()

    server_url = os.environ.get("BENCH_DATABASE_URL", "")
    os.environ.setdefault("BENCH_DATABASE_NAME", "academy_bench_figures")
    database = postgres_scratch(server_url) if server_url else sqlite_scratch(SQLITE_PATH)
    reuse = args.reuse and database.exists()
    if not reuse:
        database.create()
    os.environ["DATABASE_URL"] = database.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.seed import bench_users, seed_candidates
    from candidates.models import Candidate

    try:
        notes = []
        if not reuse:
            print(f"Creating the scratch {database.label} database and seeding {args.rows:,} candidates...", flush=True)
            call_command("migrate", verbosity=0)
            _, owners = bench_users()
            started = time.perf_counter()
            stats = seed_candidates(count=args.rows, owners=owners)
            history = seed_history()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            notes.append(
                f"- Seeded {Candidate.objects.count():,} candidates, {stats.stage_changes:,} stage changes, "
                f"{stats.equality:,} equality records, "
                + ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in history.items())
                + f" in {time.perf_counter() - started:.0f} s."
            )
        else:
            notes.append(f"- {Candidate.objects.count():,} candidates, seeded earlier (--reuse).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
            version = cursor.fetchone()[0]
        notes.insert(0, f"- {'SQLite' if connection.vendor == 'sqlite' else 'PostgreSQL'} {version}.")
        print("Measuring...", flush=True)
        rows, whole, queries, what = measure(args.runs)
        section = render(rows, whole, queries, what, notes)
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
