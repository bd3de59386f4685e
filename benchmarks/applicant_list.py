"""`make bench`: the provider's applicant list with 5,000 applications (issue 12: p95 under 150 ms,
a constant number of queries per page).

Usage:
    python -m benchmarks.applicant_list [--applications 5000] [--requests 30] [--keep]

The database is a scratch one, never the portal's: a SQLite file under var/bench/ by default, or,
when BENCH_DATABASE_URL points at a PostgreSQL server, a database named academy_bench_applicants
(BENCH_DATABASE_NAME) that this script creates and drops. It seeds one provider with 20 vacancies and
the applications (one person each, statuses spread as a busy provider's are), plus a second provider
with as many, which the first must never see; then times page requests through the Django test client
as the first provider's user with TOTP (so every middleware runs) and prints p50/p95 and queries.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.candidate_list import GOAL_P95_MS, percentile
from benchmarks.scratch import postgres_scratch, sqlite_scratch

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "applicants.sqlite3"
STATUSES = ["applied", "applied", "referred", "shortlisted", "interview", "not_progressed", "withdrawn", "offered"]


def seed(applications: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction
    from django.utils import timezone

    from academy.models import Role, User
    from benchmarks.seed import FIRST_NAMES, LAST_NAMES, TOTP_SECRET
    from candidates.models import Candidate, PipelineStage
    from placements.models import JobApplication, Vacancy
    from providers.models import Provider, ProviderMembership

    stage = PipelineStage.objects.get(slug="enquiry")
    now = timezone.now()
    with transaction.atomic():
        for index, name in enumerate(["Bench Care A", "Bench Care B"]):
            provider = Provider.objects.create(name=name)
            user = User.objects.create_user(
                f"bench.provider{index}@example.org", "bench-password-123", role=Role.PROVIDER
            )
            TOTP.activate(user, TOTP_SECRET)
            ProviderMembership.objects.create(provider=provider, user=user)
            vacancies = Vacancy.objects.bulk_create(
                Vacancy(
                    provider=provider,
                    title=f"Care worker {v}",
                    job_role="care_worker",
                    description="Bench vacancy",
                    hours_per_week=Decimal("30"),
                    contract_type="permanent",
                    place="Leeds",
                    postcode="LS1 1AA",
                    closing_date=timezone.localdate() + dt.timedelta(days=v),
                    status=Vacancy.Status.PUBLISHED,
                )
                for v in range(20)
            )
            people = Candidate.objects.bulk_create(
                Candidate(
                    first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(i * 7) % len(LAST_NAMES)],
                    stage=stage,
                )
                for i in range(applications)
            )
            JobApplication.objects.bulk_create(
                (
                    JobApplication(
                        vacancy=vacancies[i % 20],
                        candidate=person,
                        route="applied",
                        status=STATUSES[i % len(STATUSES)],
                        consented_at=now,
                    )
                    for i, person in enumerate(people)
                ),
                batch_size=1000,
            )


def measure(requests: int) -> list[tuple[str, float, float, int]]:
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from academy.models import User
    from benchmarks.seed import AUTH_BACKEND
    from placements.models import JobApplication, Vacancy

    user = User.objects.get(email="bench.provider0@example.org")
    client = Client()
    client.force_login(user, backend=AUTH_BACKEND)
    # As the portal's sign-in leaves it: the second factor passed (provider users must use one).
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    url = reverse("placements:provider-application-list")
    vacancy = Vacancy.objects.filter(provider__name="Bench Care A").order_by("pk").first()
    if vacancy is None:
        sys.exit("The seed made no vacancies.")
    visible = JobApplication.objects.filter(vacancy__provider=vacancy.provider_id).exclude(status="awaiting_consent")
    last_page = max(1, math.ceil(visible.count() / 25))
    pages = [
        ("first page", ""),
        ("status: shortlisted", "status=shortlisted"),
        ("one vacancy", f"vacancy={vacancy.public_id}"),
        ("search by name", "q=ali"),
        (f"page {last_page}", f"page={last_page}"),
    ]

    def get(full: str) -> float:
        started = time.perf_counter()
        response = client.get(full)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"GET {full} answered {response.status_code} {response.get('Location', '')}")
        return elapsed

    results = []
    for label, query in pages:
        full = f"{url}?{query}" if query else url
        for _ in range(3):
            get(full)
        samples = [get(full) for _ in range(requests)]
        with CaptureQueriesContext(connection) as captured:
            get(full)
        results.append((label, statistics.median(samples), percentile(samples, 0.95), len(captured.captured_queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=5000, help="applications per provider (default 5,000)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    args = parser.parse_args()

    server_url = os.environ.get("BENCH_DATABASE_URL", "")
    if server_url:
        os.environ.setdefault("BENCH_DATABASE_NAME", "academy_bench_applicants")
    database = postgres_scratch(server_url) if server_url else sqlite_scratch(SQLITE_PATH)
    database.create()
    os.environ["DATABASE_URL"] = database.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        print(f"Seeding {args.applications:,} applications for each of two providers ({database.label})...", flush=True)
        call_command("migrate", verbosity=0)
        seed(args.applications)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        results = measure(args.requests)
        print(f"\nProvider applicant list, {args.applications:,} applications ({args.requests} requests per page)")
        print(f"{'page':<22}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
        for label, p50, p95, queries in results:
            print(f"{label:<22}{p50:>10.1f}{p95:>10.1f}{queries:>10}")
        counts = {queries for *_, queries in results}
        slow = [label for label, _, p95, _ in results if p95 > GOAL_P95_MS]
        print(f"\nGoal: p95 under {GOAL_P95_MS:.0f} ms: {'met' if not slow else 'missed on ' + ', '.join(slow)}.")
        print(f"Queries per page: {', '.join(str(c) for c in sorted(counts))}.")
    finally:
        connection.close()
        if not args.keep:
            database.drop()


if __name__ == "__main__":
    main()
