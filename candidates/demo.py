"""Demo learners for `seed_demo`: a realistic caseload spread across the pipeline.

Deterministic (a fixed random seed) and idempotent (records are keyed by email), so running
`seed_demo` again changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from academy import demo
from academy.models import Role, User
from candidates.demo_dbs import seed_dbs
from candidates.demo_dbs_reminders import seed_dbs_reminders
from candidates.demo_funding import seed_streams
from candidates.demo_outreach import seed_outreach
from candidates.models import Candidate, DbsCheck, EqualityMonitoring, PipelineStage, StageChange
from candidates.models import choices as c
from candidates.services.records import candidate_create, candidate_for_learner

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Darius",
    "Ewa",
    "Farah",
    "Gareth",
    "Hannah",
    "Idris",
    "Jade",
    "Kieran",
    "Leila",
    "Marcus",
    "Niamh",
    "Oluwaseun",
    "Paul",
    "Qasim",
    "Rosa",
    "Stefan",
    "Tanya",
    "Usman",
    "Vera",
    "Wayne",
    "Yasmin",
]
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Campbell",
    "Dlamini",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lewis",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Walsh",
    "Young",
]
POSTCODES = ["LS9 8AB", "LS11 5DT", "LS14 2EN", "PL4 6QT", "PL5 1HE", "PL2 3JD", "NE29 6SA", "NE30 1AG"]
# How many demo people sit at each milestone's stage: a funnel, as the academies' own figures show.
STAGE_COUNTS = {
    c.Milestone.REGISTERED: 9,
    c.Milestone.SCREENED: 7,
    c.Milestone.ON_COURSE: 6,
    c.Milestone.DBS: 4,
    c.Milestone.PLACED: 3,
    c.Milestone.JOB_READY: 3,
    c.Milestone.IN_WORK: 5,
    c.Milestone.SUSTAINED: 3,
    c.Milestone.CLOSED: 4,
}
CLOSED_REASONS = [c.ClosedReason.LOST_CONTACT, c.ClosedReason.WITHDREW, c.ClosedReason.FOUND_OTHER_WORK]


def seed_demo(*, now: datetime) -> str:
    """Candidates' part of `seed_demo`: the demo learners' accounts and records, the caseload, DBS checks."""
    for email, name in demo.DEMO_LEARNERS:
        learner = demo.demo_user(email, name, Role.LEARNER)
        if not Candidate.objects.filter(user=learner).exists():
            candidate_for_learner(learner)
    # The first academy's staff own its caseload (the coast academy's demo is courses/demo_coast.py).
    staff = list(User.objects.filter(email__in=[email for email, _, _ in demo.DEMO_STAFF]).order_by("email"))
    created = seed_candidates(owners=staff)
    today = timezone.localdate(now)
    seed_dbs(today=today)
    seed_dbs_reminders(today=today)
    seed_streams(today=today)
    outreach = seed_outreach(today=today)
    return f"{Candidate.objects.count()} candidates ({created} new), {DbsCheck.objects.count()} DBS checks, {outreach}"


def seed_candidates(*, owners: list[User]) -> int:
    """Create the demo caseload; returns how many records were created (0 on a second run)."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    stages = list(PipelineStage.objects.order_by("position"))
    by_milestone = {s.milestone: s for s in stages if s.milestone}
    created = 0
    n = 0
    for milestone, count in STAGE_COUNTS.items():
        for _ in range(count):
            n += 1
            first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7) % len(LAST_NAMES)]
            email = f"{first}.{last}.{n}@example.org".lower().replace("'", "")
            if Candidate.objects.filter(email=email).exists():
                continue
            registered = timezone.now() - timedelta(days=rng.randint(20, 300))
            candidate = candidate_create(
                actor=None,
                audit=False,
                barriers=rng.sample(list(c.Barrier.values), k=rng.choice([0, 1, 1, 2])),
                stage=stages[0],
                data={
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "phone": f"07700 9{n:05d}",
                    "postcode": rng.choice(POSTCODES),
                    "date_of_birth": date(rng.randint(1962, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                    "right_to_work": c.RightToWork.YES,
                    "source": rng.choice(list(c.Source.values)),
                    "employment_status": rng.choice(
                        [c.EmploymentStatus.UNEMPLOYED, c.EmploymentStatus.INACTIVE, c.EmploymentStatus.PART_TIME]
                    ),
                    "months_out_of_work": rng.choice([None, 3, 6, 12, 24]),
                    "benefit_status": rng.choice([c.BenefitStatus.UNIVERSAL_CREDIT, c.BenefitStatus.NONE]),
                    "jobcentre_referral": rng.random() < 0.4,
                    "highest_qualification": rng.choice(list(c.Qualification.values)),
                    "interests": rng.sample(list(c.Interest.values), k=2),
                    "availability": rng.choice(list(c.Availability.values)),
                    "owner": owners[n % len(owners)],
                },
            )
            _walk_to_stage(candidate, stages, by_milestone[milestone], registered, owners[n % len(owners)], rng)
            if rng.random() < 0.7:
                EqualityMonitoring.objects.create(
                    candidate=candidate,
                    sex=rng.choice([c.Sex.FEMALE, c.Sex.FEMALE, c.Sex.MALE, c.Sex.PREFER_NOT]),
                    ethnicity=rng.choice(
                        [
                            c.Ethnicity.WHITE_BRITISH,
                            c.Ethnicity.BLACK_AFRICAN,
                            c.Ethnicity.ASIAN_PAKISTANI,
                            c.Ethnicity.WHITE_OTHER,
                            c.Ethnicity.PREFER_NOT,
                        ]
                    ),
                    disability=rng.choice([c.YesNo.NO, c.YesNo.YES, c.YesNo.PREFER_NOT]),
                    care_leaver=rng.choice([c.YesNo.NO, c.YesNo.NO, c.YesNo.YES]),
                    refugee=rng.choice([c.YesNo.NO, c.YesNo.NO, c.YesNo.YES]),
                    career_returner=rng.choice([c.YesNo.NO, c.YesNo.YES]),
                )
            created += 1
    return created


def _walk_to_stage(
    candidate: Candidate,
    stages: list[PipelineStage],
    target: PipelineStage,
    registered: datetime,
    actor: User,
    rng: random.Random,
) -> None:
    """Give the record a believable history: one StageChange per stage passed, days apart."""
    when = registered
    Candidate.objects.filter(pk=candidate.pk).update(created_at=registered)
    StageChange.objects.filter(candidate=candidate).update(changed_at=registered)
    path = (
        [s for s in stages if not s.is_closed and s.position <= target.position]
        if not target.is_closed
        else [*stages[: rng.randint(1, 3)], target]
    )
    previous, reason = stages[0], ""
    for stage in path[1:]:
        when += timedelta(days=rng.randint(3, 21))
        reason = rng.choice(CLOSED_REASONS) if stage.is_closed else ""
        StageChange.objects.create(
            candidate=candidate, from_stage=previous, to_stage=stage, changed_by=actor, changed_at=when, reason=reason
        )
        previous = stage
    Candidate.objects.filter(pk=candidate.pk).update(stage=previous, stage_entered_at=when, closed_reason=reason)
