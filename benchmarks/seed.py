"""Fast, deterministic seeding of many candidates with stage history, barriers and equality answers.

bulk_create in batches inside one transaction per batch: 100,000 candidates (and about 500,000
related rows) take a minute or two rather than the hours that going through the services would.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

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
