"""The PostgreSQL settings that matter for the staff list, measured on a kept `make bench` schema.

Usage (after a PostgreSQL `make bench` has built the schema):
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432 python -m benchmarks.pg_settings [--rows 1000000]

Captures the queries of the staff list's pages (as benchmarks/candidate_list.py times them), then runs
each under several session settings (SET, so nothing changes on the server) and prints the median time
of each page's queries per setting. `shared_buffers` needs a restart and is not tried here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

PROFILES: dict[str, dict[str, str]] = {
    "server defaults (random_page_cost 4, jit on, work_mem 4MB)": {},
    "random_page_cost 1.1": {"random_page_cost": "1.1"},
    "jit off": {"jit": "off"},
    "work_mem 32MB": {"work_mem": "32MB"},
    "all three": {"random_page_cost": "1.1", "jit": "off", "work_mem": "32MB"},
}
PAGES = [
    "",
    "page=last",
    "sort=name",
    "sort=stage",
    "stage=enquiry&sort=name&page=500",
    "group=men",
    "barrier=transport",
    "source=jobcentre",
    "q=smith&sort=name",
    "q=olivia+smith",
    "q=07700+9",
    "q=LS9",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from benchmarks.candidate_list import postgres_database, postgres_scratch

    os.environ["DATABASE_URL"] = postgres_database(os.environ["BENCH_DATABASE_URL"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from academy.models import User
    from candidates.forms.candidate_list import CandidateFilterForm
    from candidates.permissions import candidates_visible_to
    from candidates.selectors.candidate_list import candidate_list_for_staff, candidate_list_options
    from candidates.selectors.list_pages import CandidatePaginator

    database = postgres_scratch(args.rows)
    if not database.exists():
        raise SystemExit(f"No kept schema with {args.rows:,} candidates: run make bench first.")
    database.use()
    manager = User.objects.get(email="bench.manager@example.org")
    options = candidate_list_options(manager)
    captured: dict[str, list[str]] = {}
    for query in PAGES:
        params = QueryDict(query)
        form = CandidateFilterForm(params, options=options, actor=manager, can_filter_equality=True)
        form.is_valid()
        filters = form.filters()
        qs = candidate_list_for_staff(candidates=candidates_visible_to(manager), filters=filters, academy_id=1)
        paginator = CandidatePaginator(qs, 25, stages=options.stages, searching=bool(filters.search))
        with CaptureQueriesContext(connection) as queries:
            paginator.get_page(params.get("page"))
        captured[query or "(newest first)"] = [q["sql"] for q in queries.captured_queries]

    # What the admin changelist counts on every page, and the kind of scan an unindexed report makes:
    # costly enough for the planner to switch JIT compilation on.
    captured["admin changelist count (every row)"] = ["SELECT COUNT(*) FROM candidates_candidate"]
    captured["sources by stage (whole table)"] = [
        "SELECT stage_id, source, count(*), max(created_at) FROM candidates_candidate GROUP BY stage_id, source"
    ]
    print(f"| Page ({args.rows:,} candidates; median ms of its queries) | " + " | ".join(PROFILES) + " |")
    print("|---|" + "--:|" * len(PROFILES))
    totals = dict.fromkeys(PROFILES, 0.0)
    rows: dict[str, list[float]] = {page: [] for page in captured}
    for name, settings in PROFILES.items():
        with connection.cursor() as cursor:
            cursor.execute("RESET ALL")
            for key, value in settings.items():
                cursor.execute(f"SET {key} = '{value}'")
            for page, statements in captured.items():
                samples = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    for statement in statements:
                        cursor.execute(statement)
                        cursor.fetchall()
                    samples.append((time.perf_counter() - started) * 1000)
                rows[page].append(statistics.median(samples))
                totals[name] += rows[page][-1]
    for page, values in rows.items():
        print(f"| {page} | " + " | ".join(f"{value:.1f}" for value in values) + " |")
    print("| **all pages** | " + " | ".join(f"**{total:.0f}**" for total in totals.values()) + " |")


if __name__ == "__main__":
    main()
