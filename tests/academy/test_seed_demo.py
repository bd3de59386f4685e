from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone

from academy import demo
from academy.bank_holidays import is_bank_holiday
from academy.discovery import app_modules
from academy.models import Academy, Role, User
from candidates.demo import STAGE_COUNTS
from candidates.demo_outreach import FAIR_NEW_PEOPLE
from candidates.models import AcademyTransfer, Candidate, PipelineStage, StageChange
from courses.demo_coast import COAST_PEOPLE, COAST_SLUG
from courses.models import Application, Cohort, Enrolment, Session, SupportPayment
from courses.selectors.applications import seats_taken_expression
from courses.services.scheduling import cohort_status_problem
from providers.models import Provider, ProviderMembership
from tests.conftest import has_totp

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_role(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    expected_users = (
        len(demo.DEMO_STAFF)
        + len(demo.DEMO_COAST_STAFF)
        + 1
        + len(demo.DEMO_LEARNERS)
        + sum(len(p["users"]) for p in demo.DEMO_PROVIDERS)
    )
    assert User.objects.count() == expected_users
    assert Provider.objects.count() == len(demo.DEMO_PROVIDERS)
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert ProviderMembership.objects.count() == sum(len(p["users"]) for p in demo.DEMO_PROVIDERS)
    assert (
        Candidate.objects.count()
        == sum(STAGE_COUNTS.values()) + len(demo.DEMO_LEARNERS) + len(COAST_PEOPLE) + FAIR_NEW_PEOPLE
    )
    # Two academies of one region, each with its own learners, sharing a provider; one learner moved.
    coast = Academy.objects.get(slug=COAST_SLUG)
    assert coast.region == Academy.objects.default().region is not None
    assert Candidate.objects.filter(academy=coast).count() == len(COAST_PEOPLE) + 1
    assert AcademyTransfer.objects.filter(to_academy=coast).count() == 1
    assert Provider.objects.filter(academies=coast).count() == 1
    assert Candidate.objects.filter(user__email="learner@demo.academy").exists()
    in_work = Candidate.objects.filter(stage__milestone="in_work").first()
    assert in_work is not None
    # Their history walks through every earlier stage (including "Completed course"), so
    # time-in-stage reports have data.
    assert StageChange.objects.filter(candidate=in_work).count() == 8
    manager = User.objects.get(email="manager@demo.academy")
    assert manager.check_password(demo.DEMO_PASSWORD)
    assert has_totp(manager)
    # Provider users see DBS outcomes, so they need the second factor too.
    for spec in demo.DEMO_PROVIDERS:
        for email, _ in spec["users"]:
            assert has_totp(User.objects.get(email=email)), email


def test_seed_demo_refuses_to_run_in_production(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_logins_prints_a_working_totp_code(capsys) -> None:
    # Frozen clock: the code changes every 30 seconds.
    with time_machine.travel("2026-11-26 10:00:05Z", tick=False):
        call_command("demo_logins")
        out = capsys.readouterr().out
        assert demo.demo_totp_code() in out
        assert validate_totp_code(demo.DEMO_TOTP_SECRET, demo.demo_totp_code())
    assert "manager@demo.academy" in out
    assert "Staff, managers and provider users need a two-factor code" in out


# Dates the demo is seeded on: one with a six-week cohort running over Christmas and Boxing Day,
# one around Easter.
SEED_DAYS = ["2026-12-07 10:00Z", "2027-03-24 10:00Z"]


def _seed_on(day: str, settings) -> dt.date:
    settings.DEBUG = True
    with time_machine.travel(day, tick=False):
        call_command("seed_demo")
        return timezone.localdate()


@pytest.mark.parametrize("day", SEED_DAYS)
def test_demo_courses_tell_one_story(day: str, settings) -> None:
    today = _seed_on(day, settings)
    sessions = Session.objects.select_related("cohort")
    assert [(s.cohort.name, s.date) for s in sessions if is_bank_holiday(s.date)] == []
    cohorts = Cohort.objects.annotate(taken=seats_taken_expression()).select_related("course")
    assert [c.name for c in cohorts if c.status == Cohort.Status.OPEN and c.taken >= c.capacity] == []
    assert [c.name for c in cohorts if cohort_status_problem(c.status, c.start_date, c.end_date, today)] == []
    # Nobody is on two courses at once.
    active = Enrolment.objects.filter(status=Enrolment.Status.ENROLLED).select_related("cohort")
    spans: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for enrolment in active:
        spans.setdefault(enrolment.candidate_id, []).append((enrolment.cohort.start_date, enrolment.cohort.end_date))
    overlapping = [
        person
        for person, dates in spans.items()
        for i, (start, end) in enumerate(dates)
        if any(start <= other_end and other_start <= end for other_start, other_end in dates[i + 1 :])
    ]
    assert overlapping == []


@pytest.mark.parametrize("day", SEED_DAYS)
def test_demo_stages_follow_courses(day: str, settings) -> None:
    """Nobody is at "Enquiry" or "Screening" while holding a place on a course or having been on one."""
    _seed_on(day, settings)
    on_course = PipelineStage.objects.get(slug="on_course")
    with_a_place = Candidate.objects.filter(
        Q(enrolments__isnull=False) | Q(course_applications__status=Application.Status.ACCEPTED)
    ).distinct()
    behind = with_a_place.filter(stage__position__lt=on_course.position)
    assert list(behind.values_list("email", "stage__slug")) == []
    # Their history agrees with where they are.
    for candidate in with_a_place:
        last = StageChange.objects.filter(candidate=candidate).order_by("-changed_at", "-pk").first()
        assert last is not None and last.to_stage_id == candidate.stage_id, candidate.email


@pytest.mark.parametrize("day", SEED_DAYS)
def test_demo_payments_and_applications_happen_in_order(day: str, settings) -> None:
    _seed_on(day, settings)
    payments = list(SupportPayment.objects.all())
    assert payments
    for payment in payments:
        decided = payment.status != SupportPayment.Status.REQUESTED
        assert (payment.decided_at is not None) == decided, payment
        assert payment.decided_at is None or payment.decided_at >= payment.created_at, payment
        assert (payment.paid_at is not None) == (payment.status == SupportPayment.Status.PAID), payment
        assert payment.paid_at is None or (payment.decided_at is not None and payment.paid_at >= payment.decided_at)
    for application in Application.objects.all():
        for moment in (application.offered_at, application.responded_at, application.waiting_since):
            assert moment is None or moment >= application.created_at, application


def test_seed_demo_runs_each_apps_demo_in_layer_order(settings) -> None:
    settings.DEBUG = True
    assert [m.__name__ for m in app_modules("demo")] == [
        "academy.demo",
        "providers.demo",
        "candidates.demo",
        "courses.demo",
        "placements.demo",
        "reporting.demo",
    ]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    summary = out.getvalue()
    assert f"{User.objects.count()} users; 2 academies, 6 staff and managers, 2 providers, " in summary
    assert f"{Cohort.objects.count()} cohorts, {Enrolment.objects.count()} enrolments, " in summary
    assert re.search(r"\d+ vacancies \(", summary)  # the job-starts demo adds the vacancies it hires for
