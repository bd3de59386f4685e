"""Demo interviews, offers, folder releases, a half-done checklist and job starts for `seed_demo`.

Runs after courses' demo (its completers) and the other placements areas. Only people who
completed a demo course get a job start, always after the course ended, spread over the last four
quarters. Idempotent: vacancies are keyed by provider and title, applications by vacancy and
person, and a person who already has a start or an application here is left alone. Rows are
written directly (no emails, no audit entries), with their status history, as courses' demo does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from academy.demo import DEMO_PROVIDERS
from academy.models import User
from academy.tenancy import academy_in_use_id
from candidates.models import Candidate, Milestone, PipelineStage, StageChange
from courses.models import Enrolment
from placements.models import (
    ContractType,
    FolderRelease,
    Interview,
    JobApplication,
    JobApplicationStatusChange,
    JobRole,
    JobStart,
    PersonnelFolder,
    Reference,
    Vacancy,
)
from providers.models import Provider

Status = JobApplication.Status
STAFF = "staff@demo.academy"
DEMO_LEARNER = "learner5@demo.academy"
# (provider name, title, role, hours, contract)
VACANCIES = [
    (
        DEMO_PROVIDERS[0]["name"],
        "Care worker, day shifts (academy starters)",
        JobRole.CARE_WORKER,
        "30",
        ContractType.PERMANENT,
    ),
    (
        DEMO_PROVIDERS[1]["name"],
        "Healthcare assistant (academy starters)",
        JobRole.NURSING_ASSISTANT,
        "37.5",
        ContractType.PERMANENT,
    ),
]
ELSEWHERE = [("Sunrise Supported Living", JobRole.SUPPORT_WORKER, "24", ContractType.ZERO_HOURS)]
# Job starts, a few weeks after each completer's course ended (within the last year), leaving some
# completers for the interviews and offers below.
STARTS = 7
# What happens to the completers left after the starts, most recent last (so the first kinds always appear).
PLAN = ["accepted", "upcoming", "unsuccessful", "awaiting", "upcoming", "upcoming"]


def _vacancies(today: dt.date, staff: User | None) -> list[Vacancy]:
    vacancies = []
    for provider_name, title, role, hours, contract in VACANCIES:
        provider = Provider.objects.filter(name=provider_name).first()
        if provider is None:
            continue
        vacancy, _ = Vacancy.objects.get_or_create(
            provider=provider,
            title=title,
            defaults={
                "job_role": role,
                "description": "A rolling vacancy for the academy's course completers: full training and a mentor.",
                "hours_per_week": Decimal(hours),
                "contract_type": contract,
                "pay_amount": Decimal("12.60"),
                "place": provider.address.splitlines()[-1] if provider.address else "Leeds",
                "postcode": provider.postcode or "LS1 1AA",
                "places": 20,
                "closing_date": today + dt.timedelta(days=60),
                "status": Vacancy.Status.PUBLISHED,
                "published_at": timezone.now(),
                "created_by": staff,
            },
        )
        vacancies.append(vacancy)
    return vacancies


def _history(application: JobApplication, steps: list[tuple[str, dt.datetime]], by: User | None) -> None:
    previous = ""
    for status, at in steps:
        JobApplicationStatusChange.objects.create(
            application=application, from_status=previous, to_status=status, changed_by=by, changed_at=at
        )
        previous = status


def _apply(
    vacancy: Vacancy,
    candidate: Candidate,
    *,
    applied: dt.datetime,
    steps: list[tuple[str, dt.datetime]],
    by: User | None,
    **fields: object,
) -> JobApplication:
    application = JobApplication.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        route=JobApplication.Route.APPLIED,
        status=steps[-1][0],
        consented_at=applied,
        **fields,
    )
    JobApplication.objects.filter(pk=application.pk).update(created_at=applied)
    _history(application, [(Status.APPLIED, applied), *steps], by)
    return application


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _move_in_work(candidate: Candidate, at: dt.datetime, by: User | None, employer: str) -> None:
    """Move the person to the "in work" stage with its history row, never before their last recorded move."""
    stage = PipelineStage.objects.filter(milestone=Milestone.IN_WORK).first()
    current = PipelineStage.objects.get(pk=candidate.stage_id)
    if stage is None or current.position >= stage.position:
        return  # already in work, sustained or closed: only ever forward
    last = StageChange.objects.filter(candidate=candidate).order_by("-changed_at", "-pk").first()
    if last is not None and last.changed_at >= at:
        at = last.changed_at + dt.timedelta(minutes=1)
    StageChange.objects.create(
        candidate=candidate,
        from_stage_id=candidate.stage_id,
        to_stage=stage,
        note=f"Started work at {employer}.",
        changed_by=by,
        changed_at=at,
    )
    Candidate.objects.filter(pk=candidate.pk).update(stage=stage)


def _folder(candidate: Candidate, staff: User | None, today: dt.date, *, references: int) -> None:
    folder, created = PersonnelFolder.objects.get_or_create(
        candidate=candidate,
        defaults={
            "employment_history": (
                "Retail assistant, 2018 to 2024 (left to care for a parent).\nVolunteer at a lunch club, 2024."
            ),
            "right_to_work_evidence": PersonnelFolder.RightToWorkEvidence.PASSPORT_UK,
            "right_to_work_seen_on": today - dt.timedelta(days=20),
            "right_to_work_seen_by": staff,
        },
    )
    if created:
        for number in range(references):
            Reference.objects.create(
                folder=folder,
                referee_name=["Maureen Hale", "Dev Patel"][number % 2],
                relationship=["Last employer", "Volunteer lead"][number % 2],
                status=Reference.Status.RECEIVED if number == 0 else Reference.Status.REQUESTED,
                received_on=today - dt.timedelta(days=10) if number == 0 else None,
            )


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    today = timezone.localdate(now)
    staff = User.objects.filter(email=STAFF).first()
    vacancies = _vacancies(today, staff)
    if not vacancies or staff is None:
        return ""
    busy = set(JobStart.objects.values_list("candidate_id", flat=True)) | set(
        JobApplication.objects.filter(vacancy__in=vacancies).values_list("candidate_id", flat=True)
    )
    completions: list[Enrolment] = []
    for enrolment in (
        # The demo staff member's academy's learners (the first academy's).
        Enrolment.objects.filter(
            status=Enrolment.Status.COMPLETED, ended_at__isnull=False, candidate__academy_id=academy_in_use_id(staff)
        )
        .select_related("candidate__user", "candidate__stage")
        .order_by("ended_at", "pk")
    ):
        # One entry per person: their first completed course.
        if enrolment.candidate.is_current and enrolment.candidate_id not in busy:
            busy.add(enrolment.candidate_id)
            completions.append(enrolment)
    started_people: set[int] = set()
    demo_learner = next((e for e in completions if e.candidate.user and e.candidate.user.email == DEMO_LEARNER), None)
    completions = [e for e in completions if e is not demo_learner]
    year_ago = today - dt.timedelta(days=365)
    started = interviews = offers = 0
    # Job starts: completers whose course ended long enough ago, a few weeks after it.
    in_work = PipelineStage.objects.filter(milestone=Milestone.IN_WORK).values_list("position", flat=True).first()
    eligible = [c for c in completions if timezone.localdate(c.ended_at) + dt.timedelta(days=21) <= today]
    # People the pipeline demo already has in work (or further on) start first: their start explains it.
    eligible.sort(key=lambda c: in_work is None or c.candidate.stage.position < in_work)
    for index, enrolment in enumerate(eligible):
        if started >= STARTS:
            break
        ended = timezone.localdate(enrolment.ended_at)
        start_date = ended + dt.timedelta(days=14 + (index * 9) % 30)
        if start_date > today - dt.timedelta(days=2) or start_date < year_ago:
            continue
        candidate = enrolment.candidate
        started_people.add(candidate.pk)
        if index % 5 == 4:
            employer, role, hours, contract = ELSEWHERE[0]
            JobStart.objects.create(
                candidate=candidate,
                employer_name=employer,
                job_role=role,
                hours_per_week=Decimal(hours),
                contract_type=contract,
                start_date=start_date,
                confirmed_by=staff,
                confirmed_at=_at(start_date, 16),
            )
        else:
            vacancy = vacancies[index % len(vacancies)]
            applied = _at(ended + dt.timedelta(days=2))
            interviewed = _at(ended + dt.timedelta(days=6))
            offered = _at(ended + dt.timedelta(days=8))
            application = _apply(
                vacancy,
                candidate,
                applied=applied,
                steps=[
                    (Status.INTERVIEW, applied + dt.timedelta(days=1)),
                    (Status.OFFERED, offered),
                    (Status.ACCEPTED, offered + dt.timedelta(days=1)),
                    (Status.STARTED, _at(start_date, 16)),
                ],
                by=staff,
                offered_at=offered,
                offer_start_date=start_date,
                accepted_at=offered + dt.timedelta(days=1),
                start_date_agreed=start_date,
                mandatory_training_met_at=offered,
            )
            Interview.objects.create(
                application=application,
                starts_at=interviewed,
                location=vacancy.provider.address.replace("\n", ", "),
                outcome=Interview.Outcome.SUCCESSFUL,
                scheduled_by=staff,
                reminder_claimed_at=interviewed - dt.timedelta(days=1),
            )
            JobStart.objects.create(
                candidate=candidate,
                application=application,
                provider=vacancy.provider,
                employer_name=vacancy.provider.name,
                job_role=vacancy.job_role,
                hours_per_week=vacancy.hours_per_week,
                contract_type=vacancy.contract_type,
                start_date=start_date,
                confirmed_by=staff,
                confirmed_at=_at(start_date, 16),
            )
            Vacancy.objects.filter(pk=vacancy.pk).update(
                places_filled=vacancy.applications.filter(status=Status.STARTED).count()
            )
        _move_in_work(candidate, _at(start_date, 16), staff, JobStart.objects.get(candidate=candidate).employer_name)
        started += 1
    # Interviews: the rest of the recent completers, this week and last.
    recent = [e for e in completions if e.candidate_id not in started_people][-len(PLAN) :]
    monday = today - dt.timedelta(days=today.weekday())
    for index, enrolment in enumerate(recent):
        candidate, vacancy = enrolment.candidate, vacancies[index % len(vacancies)]
        ended = timezone.localdate(enrolment.ended_at)
        applied = _at(max(ended, today - dt.timedelta(days=12)))
        kind = PLAN[index]
        if kind == "upcoming":  # this week (or early next week, late in the week)
            when = _at(max(today + dt.timedelta(days=1), monday + dt.timedelta(days=index + 2)), 10 + index)
            application = _apply(
                vacancy,
                candidate,
                applied=applied,
                steps=[(Status.INTERVIEW, applied + dt.timedelta(hours=3))],
                by=staff,
            )
            Interview.objects.create(
                application=application,
                starts_at=when,
                location=vacancy.provider.address.replace("\n", ", "),
                notes="Bring photo ID and your course certificate.",
                scheduled_by=staff,
            )
        elif kind == "unsuccessful":  # held, unsuccessful
            held = _at(today - dt.timedelta(days=3), 14)
            application = _apply(
                vacancy,
                candidate,
                applied=applied,
                steps=[
                    (Status.INTERVIEW, applied + dt.timedelta(hours=3)),
                    (Status.NOT_PROGRESSED, held + dt.timedelta(hours=2)),
                ],
                by=staff,
                not_progressed_reason=JobApplication.NotProgressedReason.UNSUCCESSFUL_INTERVIEW,
            )
            Interview.objects.create(
                application=application,
                starts_at=held,
                video_link="https://meet.example.org/riverside-interviews",
                outcome=Interview.Outcome.UNSUCCESSFUL,
                outcome_notes="Needs more confidence with personal care; try again after a placement.",
                scheduled_by=staff,
                reminder_claimed_at=held - dt.timedelta(days=1),
            )
        elif kind == "awaiting":  # held, outcome still to record
            held = _at(today - dt.timedelta(days=1), 11)
            application = _apply(
                vacancy,
                candidate,
                applied=applied,
                steps=[(Status.INTERVIEW, applied + dt.timedelta(hours=3))],
                by=staff,
            )
            Interview.objects.create(
                application=application,
                starts_at=held,
                location=vacancy.provider.address.replace("\n", ", "),
                scheduled_by=staff,
                reminder_claimed_at=held - dt.timedelta(days=1),
            )
        else:  # offered and accepted: the checklist half done, the folder released
            offered = _at(today - dt.timedelta(days=2), 15)
            application = _apply(
                vacancy,
                candidate,
                applied=applied,
                steps=[
                    (Status.INTERVIEW, applied + dt.timedelta(hours=3)),
                    (Status.OFFERED, offered),
                    (Status.ACCEPTED, offered + dt.timedelta(hours=5)),
                ],
                by=staff,
                offered_at=offered,
                offer_start_date=today + dt.timedelta(days=5),
                accepted_at=offered + dt.timedelta(hours=5),
                folder_release_consented=True,
                mandatory_training_met_at=offered,
            )
            FolderRelease.objects.create(application=application, released_at=offered, released_by=staff)
            _folder(candidate, staff, today, references=2)
            offers += 1
        interviews += 1
    # The demo learner: an offer to answer, their folder released to the provider with their agreement.
    if demo_learner is not None:
        vacancy = vacancies[0]
        offered = _at(today - dt.timedelta(days=1), 16)
        applied = offered - dt.timedelta(days=6)
        application = _apply(
            vacancy,
            demo_learner.candidate,
            applied=applied,
            steps=[(Status.INTERVIEW, applied + dt.timedelta(hours=3)), (Status.OFFERED, offered)],
            by=staff,
            offered_at=offered,
            offer_start_date=today + dt.timedelta(days=10),
            folder_release_consented=True,
        )
        Interview.objects.create(
            application=application,
            starts_at=offered - dt.timedelta(days=2),
            location=vacancy.provider.address.replace("\n", ", "),
            outcome=Interview.Outcome.SUCCESSFUL,
            scheduled_by=staff,
            reminder_claimed_at=offered - dt.timedelta(days=3),
        )
        FolderRelease.objects.create(application=application, released_at=offered, released_by=staff)
        _folder(demo_learner.candidate, staff, today, references=1)
        offers += 1
    if not (started or interviews or offers):
        return ""
    return f"{_count(started, 'job start')}, {_count(interviews, 'interview')}, {_count(offers, 'offer')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
