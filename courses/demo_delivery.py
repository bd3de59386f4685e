"""Demo learners and attendance for `seed_demo` on the running and finished demo cohorts.

Call after the courses (courses.demo.seed_courses), the candidates and the applications
(courses.demo_applications.seed_applications), and before the outcomes seed, which records how
the finished cohorts' enrolments ended. Idempotent: a cohort that already has enrolments keeps
them, and a session's existing marks are never changed, so running `seed_demo` again adds nothing.
Rows are written directly (no emails, no audit entries). Marks are drawn from a random generator
seeded by cohort and learner, so the same demo always shows the same registers; one learner on
each running cohort attends poorly, so the cohort page has someone flagged, and one learner on the
six-week academy has paused (for illness), so the page can show rejoining a later cohort.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, Milestone, PipelineStage
from courses.models import Attendance, Cohort, Enrolment, Session

Mark = Attendance.Mark

DEMO_LEARNER = "learner2@demo.academy"  # has an account: sees their attendance on their courses page
RUNNING_SIZE = 8
# Small enough that the finished cohorts, which overlap in time, can each have different people.
FINISHED_SIZE = 6
POOR_ATTENDER = 2  # index of the learner who attends poorly on each running cohort
PAUSED_COHORT = "Bradford academy 2"
PAUSE_REASON = "Illness: back on a later cohort when well enough"
LATE_NOTES = ["Bus was late", "School run", ""]
ABSENT_NOTES = ["Hospital appointment", "Childcare fell through", "Job interview"]


@transaction.atomic
def seed_attendance(*, now: dt.datetime | None = None) -> int:
    """Enrol demo learners on running and finished cohorts that have none, and mark their past sessions.

    Returns how many attendance marks were created (0 on a second run).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    recorder = User.objects.filter(email="staff@demo.academy").first()
    cohorts = list(
        Cohort.objects.filter(status__in=[Cohort.Status.RUNNING, Cohort.Status.FINISHED], start_date__lte=today)
        .select_related("course")
        .order_by("start_date", "pk")
    )
    running_pool, finished_pool = _pools()
    created = 0
    for cohort in cohorts:
        running = cohort.status == Cohort.Status.RUNNING
        if not cohort.enrolments.exists():
            pool = running_pool if running else finished_pool
            size = min(RUNNING_SIZE if running else FINISHED_SIZE, cohort.capacity)
            _enrol(cohort, pool, size)
        created += _mark_sessions(cohort, today=today, running=running, recorder=recorder)
        if cohort.name == PAUSED_COHORT:
            _pause_one(cohort, today=today)
    return created


def _pools() -> tuple[list[Candidate], list[Candidate]]:
    """Records for running cohorts (the demo learner, then people up to "On course"; courses.demo.seed_stages
    moves them on) and for finished ones (people further on in the pipeline)."""
    on_course = PipelineStage.objects.filter(milestone=Milestone.ON_COURSE).first()
    position = on_course.position if on_course else 0
    current = Candidate.objects.current().select_related("stage", "user").order_by("pk")
    demo = [c for c in current if c.user is not None and c.user.email == DEMO_LEARNER]
    running = demo + [c for c in current if c.user is None and c.stage.position <= position and not c.stage.is_closed]
    finished = [c for c in current if c.user is None and c.stage.position > position and not c.stage.is_closed]
    return running, finished


def _enrol(cohort: Cohort, pool: list[Candidate], size: int) -> None:
    """Enrol the first `size` people of `pool` not on another cohort of the course, nor on a course at the same
    time; they go to the back of it."""
    same_course = Q(cohort__course=cohort.course)
    same_time = Q(cohort__start_date__lte=cohort.end_date, cohort__end_date__gte=cohort.start_date)
    taken = set(Enrolment.objects.filter(same_course | same_time).values_list("candidate_id", flat=True))
    chosen = [c for c in pool if c.pk not in taken][:size]
    for candidate in chosen:
        Enrolment.objects.create(
            cohort=cohort,
            candidate=candidate,
            created_at=timezone.make_aware(
                dt.datetime.combine(cohort.start_date - dt.timedelta(days=7), dt.time(10, 0))
            ),
        )
        pool.remove(candidate)
        pool.append(candidate)


def _mark_sessions(cohort: Cohort, *, today: dt.date, running: bool, recorder: User | None) -> int:
    sessions = list(Session.objects.filter(cohort=cohort, date__lte=today).order_by("date", "start_time", "pk"))
    enrolments = list(cohort.enrolments.select_related("candidate").order_by("candidate__last_name", "pk"))
    marked = set(Attendance.objects.filter(session__cohort=cohort).values_list("session_id", "enrolment_id"))
    rows = []
    for index, enrolment in enumerate(enrolments):
        rng = random.Random(f"{cohort.name}/{enrolment.candidate.email}")  # noqa: S311 - demo data
        poor = running and index == POOR_ATTENDER
        for session in sessions:
            if (session.pk, enrolment.pk) in marked:
                continue
            mark, note = _draw(rng, poor=poor)
            rows.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    mark=mark,
                    note=note,
                    recorded_by=recorder,
                    recorded_at=timezone.make_aware(dt.datetime.combine(session.date, session.end_time)),
                )
            )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _draw(rng: random.Random, *, poor: bool) -> tuple[str, str]:
    roll = rng.random()
    present, late, absent_reason = (0.55, 0.65, 0.85) if poor else (0.86, 0.93, 0.97)
    if roll < present:
        return Mark.PRESENT, ""
    if roll < late:
        return Mark.LATE, rng.choice(LATE_NOTES)
    if roll < absent_reason:
        return Mark.ABSENT_REASON, rng.choice(ABSENT_NOTES)
    return Mark.ABSENT, ""


def _pause_one(cohort: Cohort, *, today: dt.date) -> None:
    """Pause the last learner of the cohort, as of the cohort's most recent session (once)."""
    if cohort.enrolments.filter(status=Enrolment.Status.PAUSED).exists():
        return
    enrolment = cohort.enrolments.order_by("-candidate__last_name", "-pk").first()
    last = Session.objects.filter(cohort=cohort, date__lte=today).order_by("-date").first()
    if enrolment is None or last is None:
        return
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.PAUSED,
        status_reason=PAUSE_REASON,
        ended_at=timezone.make_aware(dt.datetime.combine(last.date, dt.time(17, 0))),
    )
