"""`make bench`: the staff candidate list against the Django admin changelist, at several sizes in one run.

Usage:
    python -m benchmarks.candidate_list [--sizes 10000,100000,1000000] [--requests 30] [--rebuild]
                                        [--keep] [--reuse] [--no-docs] [--no-export]

The database is a scratch one, never the portal's:
- SQLite (default): a file under var/bench/ per size, seeded with bulk_create and dropped afterwards
  (`--keep` keeps it, `--reuse` reuses a kept one). Default size 100,000.
- PostgreSQL, when BENCH_DATABASE_URL points at a server (postgres://postgres@127.0.0.1:5432): one
  database, academy_bench (BENCH_DATABASE_NAME), with a schema per size (rows_10000, rows_100000,
  rows_1000000), seeded with INSERT ... SELECT generate_series (1,000,000 candidates with their history
  in minutes). The schemas are kept and reused by later runs (then only migrated, so new indexes are
  built); `--rebuild` seeds them again. Default sizes 10,000, 100,000 and 1,000,000.
BENCH_SIZES (comma-separated) chooses sizes as --sizes does. Every page is timed through the Django
test client as a signed-in manager with TOTP (so every middleware runs); the tables are printed and
written to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_DIR = BASE_DIR / "var" / "bench"
DOCS_PATH = BASE_DIR / "docs" / "benchmarks.md"
GOAL_P95_MS = 150.0
GOAL_ADMIN_SHARE = 0.5  # at most half the admin changelist's page 1


@dataclass(frozen=True)
class ScratchDatabase:
    label: str  # "sqlite" or "postgresql"
    size: int
    exists: Callable[[], bool]
    create: Callable[[], None]
    drop: Callable[[], None]
    use: Callable[[], None]  # point Django's connection at it


def sqlite_scratch(size: int) -> ScratchDatabase:
    path = SQLITE_DIR / f"candidates-{size}.sqlite3"

    def create() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)

    def use() -> None:
        from django.db import connection

        connection.close()
        connection.settings_dict["NAME"] = str(path)

    return ScratchDatabase(
        label="sqlite",
        size=size,
        exists=path.exists,
        create=create,
        drop=lambda: path.unlink(missing_ok=True),
        use=use,
    )


def postgres_database(server_url: str) -> str:
    """The scratch database's URL, created (with pg_trgm in its public schema) if missing."""
    import psycopg2  # the portal's own PostgreSQL driver
    from psycopg2 import sql

    name = os.environ.get("BENCH_DATABASE_NAME", "academy_bench")
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r} as a scratch database: its name must contain 'bench'.")
    parts = urlsplit(server_url)
    scratch_url = urlunsplit(parts._replace(path=f"/{name}"))
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
    connection = psycopg2.connect(scratch_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        # In public, so every size's schema finds the operators through its search_path.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    connection.close()
    return scratch_url


def postgres_scratch(size: int) -> ScratchDatabase:
    schema = f"rows_{size}"

    def run(statement: str) -> list[tuple[object, ...]]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def use() -> None:
        from django.db import connection

        connection.close()
        connection.settings_dict.setdefault("OPTIONS", {})["options"] = f"-c search_path={schema},public"

    def exists() -> bool:
        # Complete only once the seed has finished (the marker is written last).
        use()
        return bool(run(f"SELECT 1 FROM pg_tables WHERE schemaname = '{schema}' AND tablename = 'bench_seeded'"))

    def drop() -> None:
        use()
        run(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def create() -> None:
        drop()
        run(f"CREATE SCHEMA {schema}")

    return ScratchDatabase(label="postgresql", size=size, exists=exists, create=create, drop=drop, use=use)


@dataclass(frozen=True)
class Scenario:
    name: str
    ours: str  # query string of our list, or a path (the record page)
    admin: str | None = None  # query string of the admin changelist, None when not timed beside it


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    queries: int


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    ours: Timing
    admin: Timing | None
    admin_page_one: Timing  # interleaved with this page's requests, so load on the machine hits both alike


@dataclass(frozen=True)
class SizeRun:
    size: int
    seed_note: str
    results: list[Result]
    admin_page_one: Timing
    export_note: str


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


ADMIN_PAGE_ONE = "Admin changelist, page 1"
ADMIN_EXTRA_REQUESTS = 5


def scenarios(*, record_path: str, phone: str, email: str, postcode: str) -> list[Scenario]:
    """Every staff list page the goal covers: page 1, the last page, each sort, each filter, each kind of search."""
    # Admin ordering "o=1.2" is list_display[0] then [1] ascending: last name, first name, like ours.
    return [
        Scenario("Newest first, page 1", "", ""),
        Scenario("Newest first, last page", "page=last"),
        Scenario("Newest first, page 500", "page=500"),
        Scenario("Sorted by name, page 1", "sort=name", "o=1.2"),
        Scenario("Sorted by name, last page", "sort=name&page=last"),
        Scenario("Sorted by stage, page 1", "sort=stage"),
        Scenario("Sorted by stage (reversed), page 1", "sort=-stage"),
        Scenario("Sorted by time in stage, page 1", "sort=-time_in_stage"),
        Scenario("Oldest first, page 1", "sort=registered"),
        Scenario("Stage = Enquiry, sorted by name, page 1", "stage=enquiry&sort=name"),
        Scenario("Stage = Enquiry, sorted by name, last page", "stage=enquiry&sort=name&page=last"),
        Scenario("Open stages, by time in stage", "stage=open&sort=-time_in_stage"),
        Scenario("Source = Jobcentre Plus", "source=jobcentre"),
        Scenario("Underrepresented group = men", "group=men"),
        Scenario("Group = men, sorted by stage", "group=men&sort=stage"),
        Scenario("Group = over 50", "group=over_50"),
        Scenario("Barrier = transport", "barrier=transport"),
        Scenario("Unassigned", "owner=unassigned"),
        Scenario("Registered in the last 30 days", "registered_from=__30_days_ago__"),
        Scenario("Search name 'smith', sorted by name", "q=smith&sort=name", "q=smith&o=1.2"),
        Scenario("Search two words 'olivia smith'", "q=olivia+smith"),
        Scenario(f"Search email '{email}'", f"q={email}"),
        Scenario("Search phone, full number", f"q={phone.replace(' ', '+')}"),
        Scenario("Search phone, partial '07700 9'", "q=07700+9"),
        Scenario("Search postcode, full", f"q={postcode.replace(' ', '+')}"),
        Scenario("Search postcode district 'LS9'", "q=LS9"),
        Scenario("Candidate record page", record_path),
    ]


def measure(requests: int) -> tuple[list[Result], Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from benchmarks.seed import bench_client
    from candidates.models import Candidate

    client = bench_client()
    ours_url = reverse("candidates:candidate-list")
    admin_url = reverse("admin:candidates_candidate_changelist")
    # A real person's details to look for, from the middle of the table.
    academy_id = Candidate.objects.order_by("pk").values_list("academy_id", flat=True).first()  # the manager's
    middle = (
        Candidate.objects.exclude(email="")
        .filter(pk__gte=Candidate.objects.count() // 2, academy_id=academy_id)
        .order_by("pk")
        .first()
    )
    assert middle is not None
    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()

    def get(url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}")
        return elapsed

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            get(url)
        return len(captured.captured_queries)

    admin_samples: list[float] = []
    admin_queries = queries(admin_url)

    def timed(urls: list[str]) -> list[Timing]:
        for _ in range(3):  # warm caches: templates, connections, the database's pages
            for url in urls:
                get(url)
        samples: list[list[float]] = [[] for _ in urls]
        for round_ in range(requests):  # interleaved, so drift in the machine hits both alike
            for i, url in enumerate(urls):
                # The admin's own version of a page (urls[2]) takes seconds at 1M: a few samples show it.
                if i < 2 or round_ < ADMIN_EXTRA_REQUESTS:
                    samples[i].append(get(url))
        admin_samples.extend(samples[1])  # urls[1] is always the admin's page 1
        return [
            Timing(statistics.median(s), percentile(s, 0.95), admin_queries if i == 1 else queries(url))
            for i, (s, url) in enumerate(zip(samples, urls, strict=True))
        ]

    results = []
    for scenario in scenarios(
        record_path=middle.get_absolute_url(), phone=middle.phone, email=middle.email, postcode=middle.postcode
    ):
        query = scenario.ours.replace("__30_days_ago__", month_ago)
        ours = query if query.startswith("/") else f"{ours_url}?{query}".rstrip("?")
        urls = [ours, admin_url]
        if scenario.admin:
            urls.append(f"{admin_url}?{scenario.admin}")
        timings = timed(urls)
        admin = timings[2] if len(timings) > 2 else timings[1] if scenario.admin == "" else None
        results.append(Result(scenario, timings[0], admin, timings[1]))
        print(
            f"  {scenario.name}: {timings[0].median_ms:.1f} / p95 {timings[0].p95_ms:.1f} ms "
            f"(admin page 1 {timings[1].median_ms:.1f} / {timings[1].p95_ms:.1f})",
            flush=True,
        )
    admin_page_one = Timing(statistics.median(admin_samples), percentile(admin_samples, 0.95), admin_queries)
    return results, admin_page_one


def measure_export() -> str:
    """Export every row as a member of staff would: the list, the export page, ask, follow the job, download."""
    from django.urls import reverse

    from academy.models import FileJob
    from benchmarks.seed import bench_client

    client = bench_client()
    started = time.perf_counter()
    client.get(reverse("candidates:candidate-list"))
    client.get(reverse("candidates:candidate-export"))
    # The job runs eagerly here (benchmarks.settings), as a worker would: this POST returns when it is built.
    response = client.post(reverse("candidates:candidate-export"))
    built = time.perf_counter() - started
    job = FileJob.objects.order_by("-pk").first()
    assert job is not None
    if job.status != FileJob.Status.DONE or response.status_code != 302:
        return f"CSV export as a background job: FAILED ({job.status}: {job.error if hasattr(job, 'error') else ''})."
    client.get(response["Location"])
    download = client.get(reverse("academy:file-job-download", kwargs={"public_id": job.public_id}))
    lines = size = 0
    for chunk in download.streaming_content:  # type: ignore[attr-defined]
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    return (
        f"CSV export of all {lines - 1:,} rows (manager, so with equality columns), as a background job: "
        f"built in {built:.0f} s, {size / 1e6:.0f} MB, downloaded complete in {total:.0f} s from the list page."
    )


def ms(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def size_label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 and size % 1_000_000 == 0 else f"{size // 1000}k"


def render(runs: list[SizeRun], database: str, requests: int) -> str:
    import django
    from django.utils import timezone

    largest = runs[-1]
    lines = [
        f"Run on {timezone.localdate().isoformat()} with `make bench`"
        f"{' (BENCH_DATABASE_URL set)' if database.startswith('PostgreSQL') else ''}.",
        "",
        f"- Machine: {os.cpu_count()} CPU cores ({platform.machine()}), {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}; DEBUG off, in-process test client; "
        f"load average {os.getloadavg()[0]:.1f} when the report was written (above 2, other work competed).",
        f"- Database: {database}.",
        *(f"- {size_label(run.size)}: {run.seed_note}" for run in runs),
        f"- Each figure: {requests} requests per page after 3 warm-up requests (pages timed beside the admin are"
        " interleaved with it); times include every middleware (session, MFA check), the queries and template"
        " rendering. The list is scoped to the manager's academy.",
        "",
        "| Page (median / p95 ms) | " + " | ".join(size_label(run.size) for run in runs) + " | Queries | "
        f"p95 / admin page 1 p95 ({size_label(largest.size)}, timed alongside) |",
        "|---|" + "--:|" * len(runs) + "--:|--:|",
        f"| {ADMIN_PAGE_ONE} | "
        + " | ".join(f"{ms(run.admin_page_one.median_ms)} / {ms(run.admin_page_one.p95_ms)}" for run in runs)
        + f" | {largest.admin_page_one.queries} | 1.00 |",
    ]
    for index, result in enumerate(largest.results):
        cells = []
        for run in runs:
            timing = run.results[index].ours
            cells.append(f"{ms(timing.median_ms)} / {ms(timing.p95_ms)}")
        counts = sorted({run.results[index].ours.queries for run in runs})
        share = result.ours.p95_ms / result.admin_page_one.p95_ms
        lines.append(f"| {result.scenario.name} | {' | '.join(cells)} | {'/'.join(map(str, counts))} | {share:.2f} |")
    compared = [r for r in largest.results if r.admin is not None]
    if compared:
        lines += [
            "",
            f"The same pages in the admin changelist (median / p95 ms of {ADMIN_EXTRA_REQUESTS} requests):",
            "",
        ]
        lines.append("| Admin page | " + " | ".join(size_label(run.size) for run in runs) + " |")
        lines.append("|---|" + "--:|" * len(runs))
        for result in compared:
            index = largest.results.index(result)
            cells = []
            for run in runs:
                admin = run.results[index].admin
                cells.append(f"{ms(admin.median_ms)} / {ms(admin.p95_ms)}" if admin else "n/a")
            lines.append(f"| {result.scenario.name} | {' | '.join(cells)} |")
    worst = max(largest.results, key=lambda r: r.ours.p95_ms)
    slow = [r.scenario.name for r in largest.results if r.ours.p95_ms > GOAL_P95_MS]
    heavy = [r.scenario.name for r in largest.results if r.ours.p95_ms > GOAL_ADMIN_SHARE * r.admin_page_one.p95_ms]
    constant = all(len({run.results[i].ours.queries for run in runs}) == 1 for i in range(len(largest.results)))
    lines += [
        "",
        f"Goal at {size_label(largest.size)}: every page's p95 under {GOAL_P95_MS:.0f} ms "
        f"{'met' if not slow else 'MISSED on ' + ', '.join(slow)} (slowest p95 {ms(worst.ours.p95_ms)} ms, "
        f"{worst.scenario.name}); at most {GOAL_ADMIN_SHARE}x the p95 of the admin's page 1 timed alongside "
        f"(overall {ms(largest.admin_page_one.median_ms)} / {ms(largest.admin_page_one.p95_ms)} ms) "
        f"{'met' if not heavy else 'MISSED on ' + ', '.join(heavy)}; queries per page "
        f"{'the same at every size' if constant else 'NOT constant across sizes'}.",
    ]
    lines += [f"- {size_label(run.size)}: {run.export_note}" for run in runs if run.export_note]
    return "\n".join(lines)


def write_docs(section: str, label: str) -> None:
    """Replace this database's block in docs/benchmarks.md, keeping everything else."""
    start, end = f"<!-- bench:candidate-list:{label} -->", f"<!-- /bench:candidate-list:{label} -->"
    heading = "## Staff candidate list (`make bench`)"
    text = DOCS_PATH.read_text() if DOCS_PATH.exists() else "# Benchmarks\n"
    block = f"{start}\n### {'PostgreSQL' if label == 'postgresql' else 'SQLite'}\n\n{section}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        if heading not in text:
            text = text.rstrip("\n") + f"\n\n{heading}\n"
        text = text.rstrip("\n") + f"\n\n{block}\n"
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text.rstrip("\n") + "\n")


def _sizes(value: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in value.split(",") if part.strip()})
    except ValueError:
        sys.exit(f"Sizes must be whole numbers separated by commas, not {value!r}.")
    if not sizes or sizes[0] < 100:
        sys.exit("Each size must be at least 100 candidates.")
    return sizes


def seed(database: ScratchDatabase) -> str:
    """Create the schema and the candidates; the note says how long it took."""
    from django.core.management import call_command
    from django.db import connection

    from academy.models import Academy, AcademyMembership
    from benchmarks.seed import bench_users, seed_candidates, seed_candidates_sql

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    manager, owners = bench_users()
    main_academy = Academy.objects.order_by("pk").first()
    assert main_academy is not None
    AcademyMembership.objects.create(user=manager, academy=main_academy)
    migrated = time.perf_counter() - started
    print(f"  migrated in {migrated:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        other = Academy.objects.create(name="Second Bench Academy", slug="second-bench")
        stats = seed_candidates_sql(count=database.size, owners=owners, academy_ids=[main_academy.pk, other.pk])
        vacuum_started = time.perf_counter()
        with connection.cursor() as cursor:
            # What autovacuum gives a live database: statistics and the visibility map that
            # index-only scans need. SQLite gets nothing: Django never runs ANALYZE there.
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CREATE TABLE bench_seeded (seconds float)")
        vacuumed = time.perf_counter() - vacuum_started
        note = (
            f"built in {time.perf_counter() - started:.0f} s (schema {migrated:.0f} s, rows and indexes "
            f"{stats.seconds:.0f} s, VACUUM ANALYZE {vacuumed:.0f} s); every tenth record in a second academy"
        )
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_seeded VALUES (%s)", [time.perf_counter() - started])
        return note
    stats = seed_candidates(count=database.size, owners=owners)
    return f"seeded in {stats.seconds:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", ""), help="candidates per database")
    parser.add_argument("--rows", type=int, help="one size (as --sizes with one number)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--rebuild", action="store_true", help="PostgreSQL: seed again even if a kept schema exists")
    parser.add_argument("--keep", action="store_true", help="SQLite: keep the scratch database afterwards")
    parser.add_argument("--reuse", action="store_true", help="SQLite: reuse a kept scratch database")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--no-docs", action="store_true", help="print only; do not update docs/benchmarks.md")
    args = parser.parse_args()

    server_url = os.environ.get("BENCH_DATABASE_URL", "")
    default_sizes = "10000,100000,1000000" if server_url else "100000"
    sizes = [args.rows] if args.rows else _sizes(args.sizes or default_sizes)
    if server_url:
        os.environ["DATABASE_URL"] = postgres_database(server_url)
        databases = [postgres_scratch(size) for size in sizes]
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_DIR / 'unused.sqlite3'}"
        databases = [sqlite_scratch(size) for size in sizes]
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from candidates.models import Candidate, CandidateBarrier, EqualityMonitoring, StageChange

    runs: list[SizeRun] = []
    database_note = ""
    try:
        for database in databases:
            keep = database.label == "postgresql" or args.keep
            reuse = database.exists() and (not args.rebuild if database.label == "postgresql" else args.reuse)
            database.use()
            if reuse:
                print(f"Reusing the {size_label(database.size)} {database.label} scratch database.", flush=True)
                started = time.perf_counter()
                call_command("migrate", verbosity=0)  # indexes added since it was seeded
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT seconds FROM bench_seeded")
                        seconds = cursor.fetchone()[0]
                    built = f"built earlier in {seconds:.0f} s and reused"
                else:
                    built = "seeded earlier and reused"
                note = f"{built} (migrated now in {time.perf_counter() - started:.0f} s)"
            else:
                print(f"Seeding {database.size:,} candidates ({database.label})...", flush=True)
                database.create()
                database.use()
                note = seed(database)
            seed_note = (
                f"{Candidate.objects.count():,} candidates, {StageChange.objects.count():,} stage changes, "
                f"{CandidateBarrier.objects.count():,} barriers, {EqualityMonitoring.objects.count():,} equality "
                f"records, {note}."
            )
            with connection.cursor() as cursor:
                cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
                version = cursor.fetchone()[0]
            database_note = (
                f"SQLite {version} (file)" if connection.vendor == "sqlite" else f"PostgreSQL {version} (local)"
            )
            print(f"{seed_note}\nMeasuring ({args.requests} requests per page)...", flush=True)
            results, admin_page_one = measure(args.requests)
            export_note = "" if args.no_export else measure_export()
            if export_note:
                print(f"  {export_note}", flush=True)
            runs.append(SizeRun(database.size, seed_note, results, admin_page_one, export_note))
            connection.close()
            if not keep:
                database.drop()
        section = render(runs, database_note, args.requests)
        print("\n" + section)
        if not args.no_docs:
            write_docs(section, databases[0].label)
            print(f"\nWritten to {DOCS_PATH.relative_to(BASE_DIR)}.")
    finally:
        connection.close()


if __name__ == "__main__":
    main()
