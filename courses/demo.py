"""Demo courses for `seed_demo`: five courses with screening questions, and past, running and future cohorts.

Idempotent: courses are keyed by title and cohorts by course and name; what exists is left as it is
(so later seeds' applications and attendance stay valid), and a cohort's sessions are only added
when the cohort is created. Dates are relative to `now`, cohorts start on Mondays and have no sessions on bank holidays.
Call before the applications, attendance and outcomes seeds, which use these cohorts; `seed_demo`
below runs them all, after the candidates exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from academy.bank_holidays import is_bank_holiday
from academy.models import FundingStream, User
from candidates.demo_funding import CORE, DWP, PRIORITY
from candidates.models import Candidate, Milestone, PipelineStage, StageChange
from courses.demo_applications import seed_applications
from courses.demo_coast import move_one_city_learner, seed_coast
from courses.demo_delivery import seed_attendance
from courses.demo_outcomes import seed_outcomes
from courses.models import Application, Cohort, Course, Enrolment, ScreeningQuestion, Session

Kind = Course.Kind
Status = Cohort.Status

VALUES_QUESTION = "Tell us about a time you helped someone. What did you do, and how did it feel?"
WHY_CARE = "Why do you want to work in adult social care?"
ATTEND_QUESTION = "Can you attend every session, including the work placement?"
ATTEND_CHOICES = "Yes\nYes, with help with childcare or travel\nNo, I would miss some days"
MATTERS_QUESTION = "Which matters most to you in a job?"
MATTERS_CHOICES = "Helping people\nA steady income\nFlexible hours\nLearning new skills"

COURSES: list[dict[str, Any]] = [
    {
        "title": "Introduction to Care: two-week bite-size course",
        "kind": Kind.BITE_SIZE,
        "summary": (
            "Find out if a career in care is for you. Six days of training (values, safeguarding, moving and "
            "handling, first aid) and a four-day work placement with a local care provider."
        ),
        "length_days": 6,
        "placement_days": 4,
        "guaranteed_interview": False,
        "entry_requirements": "Aged 18 or over, with the right to work in the UK. No experience needed.",
        "funding_stream": CORE,
        "attendance_bursary_amount": Decimal("60.00"),
        "attendance_bursary_threshold": 90,
        "status": Course.Status.PUBLISHED,
    },
    {
        "title": "Pathway into Care: six-week academy",
        "kind": Kind.PRE_EMPLOYMENT,
        "summary": (
            "Six weeks to get ready for a job in care: three days a week of training, a five-day work placement, "
            "help with your DBS check, and a guaranteed job interview with a local care provider at the end."
        ),
        "length_days": 18,
        "placement_days": 5,
        "guaranteed_interview": True,
        "entry_requirements": (
            "Aged 18 or over, with the right to work in the UK, and looking for work. "
            "You need to be able to attend three days a week for six weeks."
        ),
        "funding_stream": DWP,
        "attendance_bursary_amount": Decimal("60.00"),
        "attendance_bursary_threshold": 90,
        "status": Course.Status.PUBLISHED,
    },
    {
        "title": "Care Certificate",
        "kind": Kind.CARE_CERTIFICATE,
        "summary": (
            "The standards every new care worker needs, from duty of care to safeguarding and infection control. "
            "Two days a week for five weeks, for people starting or about to start a job in care."
        ),
        "length_days": 10,
        "placement_days": 0,
        "guaranteed_interview": False,
        "entry_requirements": "Working in care, or with a job offer in care.",
        "funding_stream": PRIORITY,
        "attendance_bursary_amount": None,
        "attendance_bursary_threshold": 90,
        "status": Course.Status.PUBLISHED,
    },
    {
        "title": "Moving and Handling Refresher",
        "kind": Kind.REFRESHER,
        "summary": "A one-day practical refresher on safe moving and handling, hoists and slide sheets.",
        "length_days": 1,
        "placement_days": 0,
        "guaranteed_interview": False,
        "entry_requirements": "For people who have worked in care before and are returning to it.",
        "funding_stream": None,
        "attendance_bursary_amount": None,
        "attendance_bursary_threshold": 90,
        "status": Course.Status.PUBLISHED,
    },
    {
        "title": "Level 2 Diploma in Care: taster week",
        "kind": Kind.QUALIFICATION,
        "summary": "A week to try the Level 2 Diploma in Care before signing up for the full qualification.",
        "length_days": 5,
        "placement_days": 0,
        "guaranteed_interview": False,
        "entry_requirements": "",
        "funding_stream": None,
        "attendance_bursary_amount": None,
        "attendance_bursary_threshold": 90,
        "status": Course.Status.DRAFT,
    },
]

# (question, choices one per line or "" for a free-text answer), by course title.
QUESTIONS: dict[str, list[tuple[str, str]]] = {
    "Introduction to Care: two-week bite-size course": [
        (WHY_CARE, ""),
        (VALUES_QUESTION, ""),
        (ATTEND_QUESTION, ATTEND_CHOICES),
    ],
    "Pathway into Care: six-week academy": [(WHY_CARE, ""), (VALUES_QUESTION, ""), (MATTERS_QUESTION, MATTERS_CHOICES)],
    "Care Certificate": [("Where do you work, or where have you been offered a job?", "")],
    "Moving and Handling Refresher": [],
    "Level 2 Diploma in Care: taster week": [(WHY_CARE, "")],
}


@dataclass(frozen=True)
class Run:
    """A cohort of a course, `weeks_from_now` Mondays away (negative: in the past)."""

    name: str
    town: str
    venue: str
    partner: str
    weeks_from_now: int
    status: str


LEEDS = ("Leeds", "Leeds City College, Park Lane Campus", "Leeds City College")
BRADFORD = ("Bradford", "Bradford Council Skills House, Manor Row", "Bradford College")
WAKEFIELD = ("Wakefield", "Wakefield One, Burton Street", "Care Skills Training Ltd")

RUNS: dict[str, list[Run]] = {
    "Introduction to Care: two-week bite-size course": [
        Run("Leeds cohort 7", *LEEDS, weeks_from_now=-8, status=Status.FINISHED),
        Run("Bradford cohort 3", *BRADFORD, weeks_from_now=-1, status=Status.RUNNING),
        Run("Leeds cohort 8", *LEEDS, weeks_from_now=2, status=Status.OPEN),
        Run("Wakefield cohort 2", *WAKEFIELD, weeks_from_now=4, status=Status.OPEN),
        Run("Leeds cohort 9", *LEEDS, weeks_from_now=9, status=Status.PLANNED),
    ],
    "Pathway into Care: six-week academy": [
        Run("Leeds spring academy", *LEEDS, weeks_from_now=-14, status=Status.FINISHED),
        Run("Bradford academy 2", *BRADFORD, weeks_from_now=-2, status=Status.RUNNING),
        Run("Leeds autumn academy", *LEEDS, weeks_from_now=3, status=Status.OPEN),
    ],
    "Care Certificate": [
        Run("Wakefield Care Certificate 4", *WAKEFIELD, weeks_from_now=-10, status=Status.FINISHED),
        Run("Leeds Care Certificate 6", *LEEDS, weeks_from_now=5, status=Status.OPEN),
    ],
    "Moving and Handling Refresher": [
        Run("Bradford refresher, morning", *BRADFORD, weeks_from_now=-3, status=Status.FINISHED),
        Run("Leeds refresher", *LEEDS, weeks_from_now=6, status=Status.OPEN),
    ],
}

# Weekdays (Monday 0) of the taught days, weeks the cohort spans, and the day's hours.
SCHEDULES: dict[str, tuple[tuple[int, ...], int, dt.time, dt.time]] = {
    Kind.BITE_SIZE: ((0, 1, 2, 3, 4), 2, dt.time(9, 30), dt.time(15, 0)),
    Kind.PRE_EMPLOYMENT: ((0, 2, 3), 6, dt.time(9, 30), dt.time(15, 0)),
    Kind.CARE_CERTIFICATE: ((1, 3), 5, dt.time(9, 0), dt.time(16, 0)),
    Kind.REFRESHER: ((0,), 1, dt.time(9, 30), dt.time(13, 0)),
    Kind.QUALIFICATION: ((0, 1, 2, 3, 4), 1, dt.time(10, 0), dt.time(15, 0)),
}
TOPICS = [
    "Welcome, values and the role of a care worker",
    "Safeguarding adults",
    "Moving and handling",
    "Infection prevention and control",
    "First aid",
    "Communication and dementia awareness",
    "Person-centred care",
    "Health and safety",
    "Mental health awareness",
    "Preparing for your placement and interview",
]
TUTORS = ["Sam Okafor", "Priya Shah", "Dave Wilkinson"]


@transaction.atomic
def seed_courses(*, now: dt.datetime) -> None:
    """Create the demo courses, their questions, cohorts and sessions; existing ones are left alone."""
    monday = _this_monday(timezone.localdate(now))
    for spec in COURSES:
        fields = dict(spec)
        # Streams come from candidates' part of the demo, by code.
        fields["funding_stream"] = FundingStream.objects.filter(code=fields["funding_stream"]).first()
        course, _ = Course.objects.get_or_create(title=fields.pop("title"), defaults=fields)
        if not course.questions.exists():
            for position, (text, choices) in enumerate(QUESTIONS[course.title], start=1):
                kind = ScreeningQuestion.Kind.CHOICE if choices else ScreeningQuestion.Kind.TEXT
                ScreeningQuestion.objects.create(
                    course=course, text=text, kind=kind, choices=choices, required=True, position=position
                )
        for run in RUNS.get(course.title, []):
            _seed_cohort(course, run, monday)


def _this_monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def _teaching_days(start: dt.date, weekdays: tuple[int, ...], count: int) -> list[dt.date]:
    """The first `count` days from `start` on the course's weekdays, leaving out bank holidays."""
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() in weekdays and not is_bank_holiday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _seed_cohort(course: Course, run: Run, monday: dt.date) -> None:
    weekdays, weeks, start_time, end_time = SCHEDULES[course.kind]
    start = monday + dt.timedelta(weeks=run.weeks_from_now)
    # Bank holidays are skipped: the course runs on into the next week instead.
    end = max(
        start + dt.timedelta(weeks=weeks - 1, days=max(weekdays)),
        _teaching_days(start, weekdays, course.length_days)[-1],
    )
    cohort, created = Cohort.objects.get_or_create(
        course=course,
        name=run.name,
        defaults={
            "start_date": start,
            "end_date": end,
            "capacity": 12,
            "venue": run.venue,
            "town": run.town,
            "partner": run.partner,
            "status": run.status,
        },
    )
    if not created:
        return
    taught = _teaching_days(start, weekdays, course.length_days)
    Session.objects.bulk_create(
        Session(
            cohort=cohort,
            date=day,
            start_time=start_time,
            end_time=end_time,
            topic=TOPICS[number % len(TOPICS)] if course.length_days > 1 else course.title,
            tutor=TUTORS[number % len(TUTORS)],
        )
        for number, day in enumerate(taught)
    )


def seed_demo(*, now: dt.datetime) -> str:
    """Courses' part of `seed_demo`: courses and cohorts, applications, attendance and outcomes."""
    seed_courses(now=now)
    seed_applications(now=now)
    seed_attendance(now=now)
    seed_coast(now=now)  # after the first academy's cohorts are filled, before outcomes are recorded
    seed_outcomes(now=now)
    seed_stages(now=now)
    move_one_city_learner()
    return f"{Cohort.objects.count()} cohorts, {Enrolment.objects.count()} enrolments"


@transaction.atomic
def seed_stages(*, now: dt.datetime) -> int:
    """Move everyone who holds or held a place on a course to "On course" if their stage is behind it.

    Accepting a place does the same in the service (courses.services.applications); the demo writes
    its rows directly, so this keeps stages and courses telling one story: nobody is at "Enquiry" or
    "Screening" while attending a course. The move is dated when they took the place. Returns how
    many people moved (0 on a second run).
    """
    on_course = PipelineStage.objects.filter(milestone=Milestone.ON_COURSE).first()
    if on_course is None:
        return 0
    behind = (
        Candidate.objects.filter(
            Q(enrolments__isnull=False) | Q(course_applications__status=Application.Status.ACCEPTED),
            stage__position__lt=on_course.position,
        )
        .distinct()
        .order_by("pk")
    )
    staff = User.objects.filter(email="staff@demo.academy").first()
    stages = list(PipelineStage.objects.filter(is_active=True, is_closed=False).order_by("position"))
    moved = 0
    for candidate in behind.select_related("stage"):
        steps = [s for s in stages if candidate.stage.position < s.position <= on_course.position]
        places = [e.created_at for e in candidate.enrolments.all()] + [
            a.responded_at or a.created_at
            for a in candidate.course_applications.filter(status=Application.Status.ACCEPTED)
        ]
        when = min([*places, now])
        earliest = when - dt.timedelta(days=len(steps))
        history = list(candidate.stage_changes.order_by("-changed_at", "-pk")[:2])
        if len(history) == 1 and history[0].changed_at > earliest:
            # Only registered (a demo learner's account, made just now): they registered before the course.
            registered = earliest - dt.timedelta(days=7)
            StageChange.objects.filter(pk=history[0].pk).update(changed_at=registered)
            Candidate.objects.filter(pk=candidate.pk).update(created_at=registered)
        elif history and history[0].changed_at > earliest:
            when = min(history[0].changed_at + dt.timedelta(days=len(steps)), now)
        previous = candidate.stage_id
        # Through every stage on the way (screened, then on course), a day apart, ending when they took the place.
        for number, stage in enumerate(steps):
            StageChange.objects.create(
                candidate=candidate,
                from_stage_id=previous,
                to_stage=stage,
                changed_by=staff,
                changed_at=when - dt.timedelta(days=len(steps) - 1 - number),
                note="Accepted a place on a course." if stage == on_course else "",
            )
            previous = stage.pk
        Candidate.objects.filter(pk=candidate.pk).update(stage=on_course, stage_entered_at=when)
        moved += 1
    return moved
