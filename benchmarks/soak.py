"""Soak: the portal under gunicorn on PostgreSQL and Redis, with many people using it at once (`make soak`).

A scratch PostgreSQL database (academy_bench_soak, or SOAK_DATABASE_NAME; its name must contain "bench") on
the server of SOAK_DATABASE_URL (default: DATABASE_URL's server, else postgres://postgres@127.0.0.1:5432) is
migrated and seeded: courses with open cohorts, providers with published vacancies around Leeds, learners
with complete profiles and staff with two-factor authentication. Gunicorn serves it (2 workers x 4 threads,
settings benchmarks.soak_settings: DEBUG off, the Redis of REDIS_URL as cache and Celery broker). Then, on
loopback, `--users` simulated people for `--seconds`:
- visitors (40%) browse the course finder, a course, the job board near a postcode and a vacancy;
- learners (30%) open their home and applications and apply to a vacancy (a new one each time);
- staff (30%) open their home, the candidate list, a candidate's record, the course application queue,
  the job applications and the vacancies.
Each person waits a random think time (mean `--think` seconds) between pages. Learners and staff are
signed in by a session made server-side as the sign-in makes it (staff with the second factor passed),
so the load measures pages rather than the sign-in form.

The client is a small thread-per-person loop over `requests` (already installed), not locust: no new
dependency (locust brings gevent, Flask and more), the exact per-page percentiles we report, an error
meaning any status other than the expected one, and nothing to go wrong in a headless runner on CI.

Writes throughput, p50/p95/p99 per page, errors and the workers' resident memory to docs/benchmarks.md
(unless --no-docs) and var/soak-report.md; exits 1 on any error (CI runs a short form).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from benchmarks.candidate_list import percentile as _percentile
from benchmarks.scratch import postgres_scratch

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS_PATH = BASE_DIR / "docs" / "benchmarks.md"
REPORT_PATH = BASE_DIR / "var" / "soak-report.md"
GOAL_P95_MS = 300
MARK_START, MARK_END = "<!-- soak -->", "<!-- /soak -->"
RNG = random.Random(2026)  # noqa: S311 - the mix of pages, not a secret


@dataclass
class Seeded:
    cohorts: list[str]
    courses: list[str]
    vacancies: list[str]
    candidates: list[str]
    learner_cookies: list[str]
    staff_cookies: list[str]


@dataclass
class Sample:
    page: str
    ms: float
    ok: bool
    detail: str = ""


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def seed(*, learners: int, staff: int, vacancies: int) -> Seeded:
    """Courses, vacancies, learners and staff in the scratch database (through the test factories)."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.test import Client

    from academy.models import Role
    from academy.postcodes import postcodes_load_demo
    from tests.conftest import TOTP_SECRET, sign_in
    from tests.courses.factories import CohortFactory
    from tests.courses.factories_applications import fill_application_profile
    from tests.factories import CandidateFactory, ProviderFactory, UserFactory
    from tests.placements.factories_vacancies import VacancyFactory

    postcodes_load_demo()
    cohorts = [CohortFactory.create(town=RNG.choice(["Leeds", "Plymouth", "Bradford"])) for _ in range(12)]
    providers = [ProviderFactory.create() for _ in range(10)]
    jobs = [VacancyFactory.create(provider=providers[i % len(providers)]) for i in range(vacancies)]
    people = []
    for i in range(learners):
        user = UserFactory.create(email=f"soak.learner{i}@example.org", role=Role.LEARNER)
        people.append(fill_application_profile(CandidateFactory.create(user=user, email=user.email)))
    extra = [CandidateFactory.create() for _ in range(200)]  # records on staff's lists
    staff_users = [UserFactory.create(email=f"soak.staff{i}@example.org", role=Role.STAFF) for i in range(staff)]
    for user in staff_users:
        TOTP.activate(user, TOTP_SECRET)

    def cookie(user: object) -> str:
        return sign_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value  # type: ignore[arg-type]

    return Seeded(
        cohorts=[str(c.public_id) for c in cohorts],
        courses=[str(c.course.public_id) for c in cohorts],
        vacancies=[str(v.public_id) for v in jobs],
        candidates=[str(c.public_id) for c in people + extra],
        learner_cookies=[cookie(c.user) for c in people],
        staff_cookies=[cookie(u) for u in staff_users],
    )


class Person:
    """One simulated person: a requests session and the pages they go through, in a loop."""

    def __init__(
        self, base: str, results: Results, think: float, cookie: str | None, session_cookie: str, deadline: float
    ) -> None:
        self.base, self.results, self.think, self.deadline = base, results, think, deadline
        self.http = requests.Session()
        if cookie:
            self.http.cookies.set(session_cookie, cookie, path="/")

    def get(self, page: str, path: str, expect: int = 200) -> str:
        return self._call(page, "GET", path, expect)

    def post(self, page: str, path: str, data: dict[str, str], expect: int = 302) -> str:
        return self._call(page, "POST", path, expect, data)

    def _call(self, page: str, method: str, path: str, expect: int, data: dict[str, str] | None = None) -> str:
        if time.monotonic() >= self.deadline:
            return ""  # the run is over: a page not asked for is not measured
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, data=data, allow_redirects=False, timeout=30)
        except requests.RequestException as exc:
            self.results.add(Sample(page, (time.perf_counter() - started) * 1000, False, type(exc).__name__))
            return ""
        ms = (time.perf_counter() - started) * 1000
        ok = response.status_code == expect
        self.results.add(Sample(page, ms, ok, "" if ok else f"{method} {path}: {response.status_code}"))
        return response.text if ok else ""

    def pause(self) -> None:
        time.sleep(RNG.expovariate(1 / self.think) if self.think > 0 else 0)


def visitor(person: Person, data: Seeded, stop: Callable[[], bool]) -> None:
    while not stop():
        person.get("course finder", "/courses/")
        person.pause()
        person.get("course page", f"/courses/{RNG.choice(data.courses)}/")
        person.pause()
        person.get("job board near a postcode", "/jobs/?where=LS9+7AA&distance=10")
        person.pause()
        person.get("vacancy page", f"/jobs/{RNG.choice(data.vacancies)}/")
        person.pause()


def learner(person: Person, data: Seeded, stop: Callable[[], bool], vacancies: list[str]) -> None:
    while not stop():
        person.get("learner home", "/")
        person.pause()
        person.get("learner: my applications", "/me/applications/")
        person.pause()
        if vacancies:
            vacancy = vacancies.pop()
            form = person.get("apply to a vacancy (form)", f"/jobs/{vacancy}/apply/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
            if token:
                person.pause()
                person.post(
                    "apply to a vacancy (send)",
                    f"/jobs/{vacancy}/apply/",
                    {"csrfmiddlewaretoken": token.group(1), "supporting_statement": "I would love this job."},
                )
        person.pause()
        person.get("learner: my job applications", "/my/job-applications/")
        person.pause()


def staff(person: Person, data: Seeded, stop: Callable[[], bool]) -> None:
    while not stop():
        person.get("staff home", "/")
        person.pause()
        person.get("staff: candidate list", "/candidates/")
        person.pause()
        person.get("staff: candidate record", f"/candidates/{RNG.choice(data.candidates)}/")
        person.pause()
        person.get("staff: course applications", "/manage/applications/")
        person.pause()
        person.get("staff: job applications", "/job-applications/")
        person.pause()
        person.get("staff: vacancies", "/vacancies/")
        person.pause()


def percentile(samples: list[float], share: float) -> float:
    return _percentile(samples, share) if samples else 0.0


def run_load(
    base: str, data: Seeded, *, users: int, seconds: float, think: float, session_cookie: str, apply: bool = True
) -> Results:
    results = Results()
    deadline = time.monotonic() + seconds
    stop = lambda: time.monotonic() >= deadline  # noqa: E731
    n_learners = max(1, round(users * 0.3)) if users >= 3 else 0
    n_staff = max(1, round(users * 0.3)) if users >= 3 else 0
    n_visitors = users - n_learners - n_staff
    threads = []
    for i in range(users):
        if i < n_visitors:
            target, args, cookie = visitor, (), None
        elif i < n_visitors + n_learners:
            k = i - n_visitors
            mine = data.vacancies[k::n_learners] if apply else []  # each learner applies to vacancies of its own
            target, args, cookie = learner, (list(mine),), data.learner_cookies[k % len(data.learner_cookies)]
        else:
            k = i - n_visitors - n_learners
            target, args, cookie = staff, (), data.staff_cookies[k % len(data.staff_cookies)]
        person = Person(base, results, think, cookie, session_cookie, deadline)
        threads.append(threading.Thread(target=target, args=(person, data, stop, *args), daemon=True))
    for thread in threads:
        thread.start()
        time.sleep(0.02)  # a short ramp-up
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return results


def render(results: Results, *, users: int, seconds: float, think: float, rss: dict[str, float], note: str) -> str:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in results.samples:
        by_page[sample.page].append(sample)
    total = len(results.samples)
    errors = [s for s in results.samples if not s.ok]
    all_ms = [s.ms for s in results.samples]
    lines = [
        f"{users} simulated people for {seconds:.0f} s (mean think time {think} s), {note}.",
        "",
        f"- **Throughput: {total / seconds:.1f} requests/s** ({total} requests), **errors: {len(errors)}**",
        f"- All pages: p50 {percentile(all_ms, 0.50):.0f} ms, p95 {percentile(all_ms, 0.95):.0f} ms, "
        f"p99 {percentile(all_ms, 0.99):.0f} ms (goal: p95 under {GOAL_P95_MS} ms per page, 0 errors)",
        f"- Worker memory (RSS, MB): {', '.join(f'{k} {v:.0f}' for k, v in rss.items())}",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for page, samples in sorted(by_page.items()):
        ms = [s.ms for s in samples]
        p95 = percentile(ms, 0.95)
        mark = "" if p95 < GOAL_P95_MS else " (over goal)"
        lines.append(
            f"| {page} | {len(samples)} | {sum(not s.ok for s in samples)} | {percentile(ms, 0.5):.0f} "
            f"| {p95:.0f}{mark} | {percentile(ms, 0.99):.0f} |"
        )
    if errors:
        lines += ["", "First errors: " + "; ".join(sorted({e.detail for e in errors})[:10])]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    heading = "## Soak: gunicorn on PostgreSQL and Redis under many users (`make soak`)"
    intro = (
        "Written by benchmarks/soak.py (see its docstring for the mix of people and pages). The machine is\n"
        "shared (2 cores, other work running), and the load client runs on it too, so the figures are a floor."
    )
    text = DOCS_PATH.read_text() if DOCS_PATH.exists() else "# Benchmarks\n"
    block = f"{MARK_START}\n{heading}\n\n{intro}\n\n{section}\n{MARK_END}"
    if MARK_START in text and MARK_END in text:
        text = text[: text.index(MARK_START)] + block + text[text.index(MARK_END) + len(MARK_END) :]
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    DOCS_PATH.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between one person's pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    args = parser.parse_args()

    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        sys.exit("REDIS_URL must point at Redis (e.g. redis://127.0.0.1:6379/5): the soak runs on Redis.")
    server_url = os.environ.get("SOAK_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        server_url = "postgres://postgres@127.0.0.1:5432/postgres"
    os.environ["BENCH_DATABASE_NAME"] = os.environ.get("SOAK_DATABASE_NAME", "academy_bench_soak")
    database = postgres_scratch(urlunsplit(urlsplit(server_url)._replace(path="/")))
    database.create()
    os.environ["DATABASE_URL"] = database.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.soak_settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from academy.celery import app as celery_app
    from tests.e2e.harness import gunicorn_server

    try:
        print("Migrating and seeding the scratch database...", flush=True)
        call_command("migrate", verbosity=0)
        users = args.users
        data = seed(learners=max(3, users // 3), staff=max(2, users // 3), vacancies=max(60, users * 8))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        connection.close()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.soak_settings", "DATABASE_URL": database.url}
        # Keep-alive longer than the think time, as behind a load balancer (gunicorn's default of 2 s would
        # close connections the client is about to reuse).
        with gunicorn_server(env, workers=args.workers, threads=args.threads, keep_alive=30) as server:
            # Warm-up, not measured: each worker imports its views and compiles its templates on first use.
            run_load(
                server.url,
                data,
                users=6,
                seconds=8,
                think=0.05,
                session_cookie=settings.SESSION_COOKIE_NAME,
                apply=False,
            )
            rss_before = server.rss_mb()
            print(f"gunicorn at {server.url}; {users} people for {args.seconds:.0f} s...", flush=True)
            peak: dict[int, float] = {}
            sampling = threading.Event()

            def sample_rss() -> None:
                while not sampling.wait(1.0):
                    for pid, mb in server.rss_mb().items():
                        peak[pid] = max(peak.get(pid, 0.0), mb)

            threading.Thread(target=sample_rss, daemon=True).start()
            results = run_load(
                server.url,
                data,
                users=users,
                seconds=args.seconds,
                think=args.think,
                session_cookie=settings.SESSION_COOKIE_NAME,
            )
            sampling.set()
            rss_after = server.rss_mb()
        rss = {
            "before": sum(rss_before.values()) / max(len(rss_before), 1),
            "after (mean per worker)": sum(rss_after.values()) / max(len(rss_after), 1),
            "peak (largest worker)": max(peak.values(), default=0.0),
        }
        note = (
            f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL {version} and Redis on loopback; "
            f"{len(data.vacancies)} vacancies, {len(data.cohorts)} cohorts, {len(data.candidates)} candidates"
        )
        section = render(results, users=users, seconds=args.seconds, think=args.think, rss=rss, note=note)
        print("\n" + section)
        REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
        REPORT_PATH.write_text(section + "\n")
        if not args.no_docs:
            write_docs(section)
            print(f"\nWritten to {DOCS_PATH.relative_to(BASE_DIR)}.")
        errors = sum(not s.ok for s in results.samples)
    finally:
        celery_app.control.purge()  # the emails of the applications: no worker ran, nothing to send
        connection.close()
        if not args.keep:
            database.drop()
    if errors or not results.samples:
        sys.exit(f"Soak failed: {errors} errors in {len(results.samples)} requests.")


if __name__ == "__main__":
    main()
