"""Demo data for impact reports: a year of self-assessments, two case studies told with the learners'
consent, and last quarter's narrative choosing them, so a manager can make last quarter's report at once.
Safe to run again: everything is found by a natural key before it is created."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from academy.models import Academy, User
from academy.periods import Quarter
from candidates.models import Candidate, ConsentKind
from candidates.services.consent import consent_record
from reporting.models import AssessmentArea, CaseStudy, MaturityLevel, ReportNarrative, SelfAssessment

# (area, rank a year ago, rank last quarter, target rank, evidence, actions)
ASSESSMENTS = [
    (
        AssessmentArea.PIPELINE,
        1,
        2,
        3,
        "Jobcentres, two colleges and the council refer every month.",
        "Add GP surgeries.",
    ),
    (AssessmentArea.RECRUITMENT, 1, 2, 2, "Eight providers interview every learner who completes.", ""),
    (
        AssessmentArea.RETENTION,
        1,
        1,
        2,
        "Follow-ups at 4, 13 and 26 weeks are recorded for most starters.",
        "Peer mentors.",
    ),
    (AssessmentArea.DEVELOPMENT, 2, 2, 3, "Care Certificate started on the course for every learner.", ""),
    (
        AssessmentArea.INNOVATION,
        1,
        2,
        3,
        "Portable DBS with the Update Service for three providers.",
        "Share with all.",
    ),
]

STORIES = [
    ("From retail to home care", "Sam", "After twenty years in a shop, Sam joined the two-week course ..."),
    ("Back to work after caring", "Priya", "Priya cared for her mother for six years before she joined us ..."),
]


def seed(*, now: datetime) -> str:
    academy = Academy.objects.default()
    manager = User.objects.filter(email="manager@demo.academy").first()
    levels = {level.rank: level for level in MaturityLevel.objects.all()}
    today = timezone.localdate(now)
    last_quarter = Quarter.containing(today).previous()
    for area, before, after, target, evidence, actions in ASSESSMENTS:
        for day, rank in (
            (last_quarter.start - timedelta(days=365), before),
            (last_quarter.start + timedelta(days=20), after),
        ):
            SelfAssessment.objects.get_or_create(
                academy=academy,
                area=area,
                assessed_on=day,
                defaults={
                    "level": levels[rank],
                    "target_level": levels[target],
                    "evidence": evidence,
                    "actions": actions,
                    "assessed_by": manager,
                },
            )
    learners = list(
        Candidate.objects.current()
        .filter(academy=academy)
        .exclude(Q(email="") | Q(user__isnull=False))
        .order_by("id")[: len(STORIES)]
    )
    studies = []
    for learner, (title, name, story) in zip(learners, STORIES, strict=False):
        study, created = CaseStudy.objects.get_or_create(
            academy=academy, title=title, defaults={"candidate": learner, "display_name": name, "story": story}
        )
        if created and manager is not None:
            consent_record(candidate=learner, actor=manager, kind=ConsentKind.CASE_STUDY, granted=True)
        studies.append(study)
    narrative, _ = ReportNarrative.objects.get_or_create(
        academy=academy,
        period_start=last_quarter.start,
        defaults={
            "highlights": "Our first cohort of men returning to work: 9 of 11 completed and 6 started in care.",
            "sector_challenges": "Drivers are hard to find for rural home care; pay is below the supermarkets'.",
            "next_quarter_plans": "A six-week course with a guaranteed interview, run with two nursing homes.",
            "updated_by": manager,
        },
    )
    narrative.case_studies.add(*studies)
    return f"{SelfAssessment.objects.count()} self-assessments, {len(studies)} case studies"
