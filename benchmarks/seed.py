"""Fast, deterministic seeding of many candidates with stage history, barriers and equality answers.

bulk_create in batches inside one transaction per batch: 100,000 candidates (and about 500,000
related rows) take a minute or two rather than the hours that going through the services would.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from academy.models import Role, User
from candidates.models import Candidate, CandidateBarrier, EqualityMonitoring, PipelineStage, StageChange
from candidates.models.choices import Barrier, ClosedReason, Ethnicity, Source
from candidates.services.records import phone_key

BATCH_SIZE = 5000
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - the scratch database's own test secret
AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"

# Word lists read better as text than as a hundred quoted strings.
FIRST_NAMES = (  # noqa: SIM905
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Emily Ella Poppy Evie Charlotte "
    "Muhammad Noah Oliver George Leo Arthur Oscar Harry Jack Charlie Jacob Thomas Alfie Henry Theo Archie Joshua "
    "Aisha Fatima Zainab Maryam Priya Ananya Chloe Megan Jessica Sarah Laura Emma Joanne Karen Tracey Michelle "
    "David John Paul Mark Andrew Steven Gary Kevin Daniel Ryan Adam Samuel Kwame Chidi Tomasz Piotr Agnieszka"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White "
    "Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore "
    "Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James Bennett Young Phillips "
    "Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall "
    "Simpson Price Anderson Adams Wilkinson Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb Griffiths "
    "Nowak Kowalski Okafor Mensah Osei Ahmed Rahman Chowdhury Begum Kaur Gill"
).split()
OUTWARD_CODES = ["LS1", "LS2", "LS6", "LS7", "LS8", "LS9", "LS11", "LS12", "LS28", "PL1", "PL4", "PL6", "NE29", "NE30"]
STAGE_WEIGHTS = {
    "enquiry": 28,
    "screening": 14,
    "on_course": 10,
    "dbs": 6,
    "placement": 5,
    "job_search": 9,
    "in_work": 10,
    "sustained": 6,
    "closed": 12,
}
SOURCES = list(Source.values)
BARRIERS = list(Barrier.values)
MINORITY_ETHNICITIES = [e for e in Ethnicity.values if e not in (Ethnicity.WHITE_BRITISH, Ethnicity.PREFER_NOT)]
CLOSED_REASONS = [r for r in ClosedReason.values if r != ClosedReason.DUPLICATE]


@dataclass(frozen=True)
class SeedStats:
    candidates: int
    stage_changes: int
    barriers: int
    equality: int
    seconds: float


def bench_users() -> tuple[User, list[User]]:
    """A manager who may use our list and the admin (superuser, with TOTP so the MFA check passes), and owners."""
    manager = User.objects.create_user(
        "bench.manager@example.org", "bench-password-123", full_name="Bench Manager", role=Role.MANAGER
    )
    manager.is_staff = manager.is_superuser = True
    manager.save(update_fields=["is_staff", "is_superuser"])
    TOTP.activate(manager, TOTP_SECRET)
    owners = [
        User.objects.create_user(f"owner{i}@example.org", None, full_name=f"Owner {i:02d}", role=Role.STAFF)
        for i in range(10)
    ]
    return manager, [manager, *owners]


def _yes(rng: random.Random, share: float) -> str:
    return "yes" if rng.random() < share else rng.choice(["no", "no", "no", "prefer_not"])


def _equality(rng: random.Random, candidate: Candidate) -> EqualityMonitoring:
    return EqualityMonitoring(
        candidate=candidate,
        sex=rng.choices(["female", "male", "prefer_not"], weights=[70, 25, 5])[0],
        ethnicity=Ethnicity.WHITE_BRITISH if rng.random() < 0.7 else rng.choice(MINORITY_ETHNICITIES),
        disability=_yes(rng, 0.12),
        care_leaver=_yes(rng, 0.03),
        refugee=_yes(rng, 0.04),
        armed_forces=_yes(rng, 0.02),
        career_returner=_yes(rng, 0.15),
        carer=_yes(rng, 0.2),
    )


def _history(
    rng: random.Random, candidate: Candidate, path: list[PipelineStage], owner: User | None
) -> list[StageChange]:
    """One StageChange per step from the first stage to the current one, spread between registration and now."""
    span = (candidate.stage_entered_at - candidate.created_at).total_seconds()
    moments = sorted(rng.uniform(0, span) for _ in range(len(path) - 2)) if len(path) > 2 else []
    times = [candidate.created_at, *(candidate.created_at + timedelta(seconds=s) for s in moments)]
    if len(path) > 1:
        times.append(candidate.stage_entered_at)
    changes = []
    previous: PipelineStage | None = None
    for stage, moment in zip(path, times, strict=True):
        changes.append(
            StageChange(
                candidate=candidate,
                from_stage=previous,
                to_stage=stage,
                reason=candidate.closed_reason if stage.is_closed else "",
                changed_by=owner,
                changed_at=moment,
            )
        )
        previous = stage
    return changes


def seed_candidates(*, count: int, owners: list[User], seed: int = 20261126, log: bool = True) -> SeedStats:
    """Create `count` candidates with history; about a third have barriers, 60% answered equality monitoring."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    started = time.perf_counter()
    stages = list(PipelineStage.objects.order_by("position"))
    by_slug = {stage.slug: stage for stage in stages}
    open_stages = [s for s in stages if not s.is_closed]
    weighted = [by_slug[slug] for slug in STAGE_WEIGHTS]
    weights = list(STAGE_WEIGHTS.values())
    now = timezone.now()
    three_years = 3 * 365 * 24 * 3600
    totals = {"changes": 0, "barriers": 0, "equality": 0}
    # Registered over three years, in id order as records are in real life.
    ages = sorted((rng.uniform(3600, three_years) for _ in range(count)), reverse=True)
    for batch_start in range(0, count, BATCH_SIZE):
        batch: list[tuple[Candidate, list[PipelineStage]]] = []
        for i in range(batch_start, min(batch_start + BATCH_SIZE, count)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            stage = rng.choices(weighted, weights=weights)[0]
            if stage.is_closed:
                path = [*open_stages[: rng.randint(1, len(open_stages) - 1)], stage]
            else:
                path = open_stages[: open_stages.index(stage) + 1]
            created = now - timedelta(seconds=ages[i])
            entered = created + (now - created) * (rng.random() if len(path) > 1 else 0)
            phone = f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
            candidate = Candidate(
                first_name=first,
                last_name=last,
                email=f"{first}.{last}{i}@example.org".lower() if rng.random() < 0.92 else "",
                phone=phone,
                phone_key=phone_key(phone),
                postcode=f"{rng.choice(OUTWARD_CODES)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                date_of_birth=date(1958, 1, 1) + timedelta(days=rng.randint(0, 49 * 365)),
                source=rng.choice(SOURCES),
                stage=stage,
                stage_entered_at=entered,
                closed_reason=rng.choice(CLOSED_REASONS) if stage.is_closed else "",
                owner=rng.choice(owners) if rng.random() < 0.75 else None,
                created_at=created,
            )
            batch.append((candidate, path))
        with transaction.atomic():
            created_rows = Candidate.objects.bulk_create([c for c, _ in batch], batch_size=1000)
            changes: list[StageChange] = []
            barriers: list[CandidateBarrier] = []
            equality: list[EqualityMonitoring] = []
            for candidate, (_, path) in zip(created_rows, batch, strict=True):
                changes.extend(_history(rng, candidate, path, candidate.owner))
                if rng.random() < 0.35:
                    for code in rng.sample(BARRIERS, rng.randint(1, 3)):
                        barriers.append(CandidateBarrier(candidate=candidate, barrier=code))
                if rng.random() < 0.6:
                    equality.append(_equality(rng, candidate))
            StageChange.objects.bulk_create(changes, batch_size=2000)
            CandidateBarrier.objects.bulk_create(barriers, batch_size=2000)
            EqualityMonitoring.objects.bulk_create(equality, batch_size=2000)
        totals["changes"] += len(changes)
        totals["barriers"] += len(barriers)
        totals["equality"] += len(equality)
        if log:
            done = min(batch_start + BATCH_SIZE, count)
            print(f"  seeded {done:,}/{count:,} candidates ({time.perf_counter() - started:.0f} s)", flush=True)
    return SeedStats(
        candidates=count,
        stage_changes=totals["changes"],
        barriers=totals["barriers"],
        equality=totals["equality"],
        seconds=time.perf_counter() - started,
    )


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]::text[]"


def _pick(values: list[str]) -> str:
    """A SQL expression choosing one of `values` at random for each row."""
    return f"({_sql_array(values)})[1 + floor(random() * {len(values)})::int]"


def seed_candidates_sql(*, count: int, owners: list[User], academy_ids: list[int], log: bool = True) -> SeedStats:
    """PostgreSQL only: the same shape of data as `seed_candidates`, made by INSERT ... SELECT generate_series.

    Nothing travels through Python: 1,000,000 candidates with their history, barriers and equality
    answers are a handful of statements. Every tenth record belongs to the second academy (when
    there is one). The values are random (not repeatable from run to run), the shares are the same.
    """
    from django.db import connection

    started = time.perf_counter()
    stages = list(PipelineStage.objects.order_by("position"))
    by_slug = {stage.slug: stage for stage in stages}
    open_stages = [s for s in stages if not s.is_closed]
    # Every path a record may have taken: (current stage, variant) -> the stages from the first on.
    paths: list[tuple[int, int, int, int | None, int, int]] = []  # stage, variant, step, from, to, steps
    for stage in stages:
        variants = (
            {v: [*open_stages[:v], stage] for v in range(1, len(open_stages))}
            if stage.is_closed
            else {0: open_stages[: open_stages.index(stage) + 1]}
        )
        for variant, path in variants.items():
            previous: int | None = None
            for step, to in enumerate(path, start=1):
                paths.append((stage.pk, variant, step, previous, to.pk, len(path)))
                previous = to.pk
    cumulative, total = [], 0
    for slug, weight in STAGE_WEIGHTS.items():
        total += weight
        cumulative.append((total, by_slug[slug].pk))
    stage_case = (
        "CASE "
        + " ".join(f"WHEN r_stage * {total} < {bound} THEN {pk}" for bound, pk in cumulative[:-1])
        + f" ELSE {cumulative[-1][1]} END"
    )
    closed_ids = ",".join(str(s.pk) for s in stages if s.is_closed) or "0"
    owner_ids = "ARRAY[" + ",".join(str(o.pk) for o in owners) + "]::bigint[]"
    second = academy_ids[1] if len(academy_ids) > 1 else academy_ids[0]
    letters = list("ABDEFGHJLNPQRSTUWXYZ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM candidates_candidate")
        base = cursor.fetchone()[0]

    def timed(label: str, statement: str, params: tuple[object, ...] | None = None) -> int:
        step_started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.rowcount
        if log:
            print(f"  {label}: {rows:,} rows in {time.perf_counter() - step_started:.0f} s", flush=True)
        return rows

    tables = ["candidates_candidate", "candidates_stagechange", "candidates_candidatebarrier"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Building an index once over sorted rows is many times faster than keeping it up to date
            # through a million random inserts: drop the plain indexes (not those behind constraints)
            # and build them again at the end, with enough memory to sort in one pass.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # The rows are consistent by construction: skip the foreign-key triggers (one lookup per
            # row, deferred to the commit, and CREATE INDEX refuses to run while they are pending).
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute(
                "CREATE TEMP TABLE bench_paths (stage_id bigint, variant int, step int, from_id bigint, "
                "to_id bigint, steps int) ON COMMIT DROP"
            )
            cursor.executemany("INSERT INTO bench_paths VALUES (%s, %s, %s, %s, %s, %s)", paths)
        candidates = timed(
            "candidates",
            f"""
            INSERT INTO candidates_candidate (
                id, created_at, updated_at, public_id, first_name, last_name, email, phone, phone_key, postcode,
                date_of_birth, right_to_work, source, employment_status, benefit_status, jobcentre_referral,
                work_coach_name, highest_qualification, caring_responsibilities, interests, availability,
                driving_licence, has_car, profile_steps_done, stage_entered_at, closed_reason, owner_id,
                stage_id, age_band_at_registration, academy_id)
            SELECT id, created, created, gen_random_uuid(), first_name, last_name,
                CASE WHEN random() < 0.92 THEN lower(first_name || '.' || last_name || id) || '@example.org'
                     ELSE '' END,
                phone, regexp_replace(phone, '\\D', '', 'g'), postcode,
                DATE '1958-01-01' + floor(random() * 49 * 365)::int, '', source, '', '', false, '', '', false,
                '[]'::jsonb, '', false, false, '[]'::jsonb,
                CASE WHEN stage_id = {by_slug["enquiry"].pk} THEN created
                     ELSE created + (now() - created) * random() END,
                CASE WHEN stage_id IN ({closed_ids}) THEN {_pick(CLOSED_REASONS)} ELSE '' END,
                CASE WHEN random() < 0.75 THEN ({owner_ids})[1 + floor(random() * {len(owners)})::int] END,
                stage_id, '', CASE WHEN n %% 10 = 0 THEN {second} ELSE {academy_ids[0]} END
            FROM (
                SELECT n, %s + n AS id,
                    now() - interval '1 hour' - interval '3 years' * (%s - n)::float / %s AS created,
                    {_pick(FIRST_NAMES)} AS first_name, {_pick(LAST_NAMES)} AS last_name,
                    '07' || (100 + floor(random() * 900))::int || ' ' || (100000 + floor(random() * 900000))::int
                        AS phone,
                    {_pick(OUTWARD_CODES)} || ' ' || (1 + floor(random() * 9))::int || {_pick(letters)}
                        || {_pick(letters)} AS postcode,
                    {_pick(SOURCES)} AS source,
                    {stage_case} AS stage_id
                -- OFFSET 0 keeps each row's one random draw from being inlined (and drawn again) above.
                FROM (SELECT n, random() AS r_stage FROM generate_series(1, %s) AS n OFFSET 0) AS draw
                OFFSET 0
            ) AS seed
            """,
            (base, count, count, count),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('candidates_candidate', 'id'), "
                "(SELECT max(id) FROM candidates_candidate))"
            )
        new = f"c.id > {base}"
        changes = timed(
            "stage changes",
            f"""
            INSERT INTO candidates_stagechange (reason, note, changed_at, candidate_id, changed_by_id, from_stage_id,
                to_stage_id)
            SELECT CASE WHEN p.to_id = c.stage_id AND c.stage_id IN ({closed_ids}) THEN c.closed_reason ELSE '' END,
                '', c.created_at + (c.stage_entered_at - c.created_at) * (p.step - 1) / greatest(p.steps - 1, 1),
                c.id, c.owner_id, p.from_id, p.to_id
            FROM candidates_candidate c
            JOIN bench_paths p ON p.stage_id = c.stage_id
                AND p.variant = CASE WHEN c.stage_id IN ({closed_ids}) THEN 1 + c.id % {len(open_stages) - 1}
                                     ELSE 0 END
            WHERE {new}
            ORDER BY c.id, p.step
            """,
        )
        # Independent draws per barrier; 1 - (1 - p) ** 9 = 0.35 gives about a third with at least one.
        share = 1 - (1 - 0.35) ** (1 / len(BARRIERS))
        barriers = timed(
            "barriers",
            f"""
            INSERT INTO candidates_candidatebarrier (candidate_id, barrier, support_needed)
            SELECT c.id, b.code, '' FROM candidates_candidate c CROSS JOIN unnest({_sql_array(BARRIERS)}) AS b(code)
            WHERE {new} AND random() < {share:.5f}
            """,
        )

        def yes(share: float) -> str:
            return f"CASE WHEN random() < {share} THEN 'yes' ELSE {_pick(['no', 'no', 'no', 'prefer_not'])} END"

        equality = timed(
            "equality answers",
            f"""
            INSERT INTO candidates_equalitymonitoring (created_at, updated_at, candidate_id, sex,
                gender_same_as_birth, ethnicity, disability, religion, sexual_orientation, care_leaver, armed_forces,
                refugee, career_returner, carer)
            SELECT now(), now(), c.id,
                CASE WHEN r < 0.70 THEN 'female' WHEN r < 0.95 THEN 'male' ELSE 'prefer_not' END, '',
                CASE WHEN random() < 0.7 THEN '{Ethnicity.WHITE_BRITISH}' ELSE {_pick(MINORITY_ETHNICITIES)} END,
                {yes(0.12)}, '', '', {yes(0.03)}, {yes(0.02)}, {yes(0.04)}, {yes(0.15)}, {yes(0.2)}
            FROM (SELECT id, random() AS r FROM candidates_candidate c WHERE {new} AND random() < 0.6 OFFSET 0) AS c
            """,
        )
        index_started = time.perf_counter()
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
        if log:
            print(f"  {len(indexes)} indexes built in {time.perf_counter() - index_started:.0f} s", flush=True)
    return SeedStats(
        candidates=candidates,
        stage_changes=changes,
        barriers=barriers,
        equality=equality,
        seconds=time.perf_counter() - started,
    )


def bench_client(email: str = "bench.manager@example.org") -> Any:
    """A test client signed in as the portal's sign-in leaves it: password and second factor passed."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.test import Client

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user, backend=AUTH_BACKEND)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client
