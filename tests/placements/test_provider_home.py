"""A provider user's home page: their own vacancies, applicants, interviews, placements, starters and feedback due."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from academy.models import User
from placements import home as placements_home
from placements.models import (
    ContractType,
    Interview,
    JobApplication,
    JobRole,
    JobStart,
    ReadinessFeedback,
    Vacancy,
    WorkPlacement,
)
from placements.selectors.provider_home import provider_home, quarter_of, week_of
from providers.models import Provider
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = JobApplication.Status


def _vacancy(provider: Provider, status: str = Vacancy.Status.PUBLISHED) -> Vacancy:
    return Vacancy.objects.create(
        provider=provider,
        title="Care worker",
        job_role=JobRole.CARE_WORKER,
        description="Days",
        hours_per_week=Decimal("30"),
        contract_type=ContractType.PERMANENT,
        place="Leeds",
        postcode="LS1 1AA",
        closing_date=timezone.localdate() + timedelta(days=30),
        status=status,
    )


def _application(vacancy: Vacancy, status: str, candidate=None) -> JobApplication:
    return JobApplication.objects.create(
        vacancy=vacancy,
        candidate=candidate or CandidateFactory.create(),
        route=JobApplication.Route.APPLIED,
        status=status,
    )


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _world(provider: Provider, today: date) -> None:
    """One of everything the home page counts, for `provider`, plus rows that must not count."""
    published = _vacancy(provider)
    _vacancy(provider, Vacancy.Status.DRAFT)
    person = CandidateFactory.create()
    shortlisted = _application(published, Status.SHORTLISTED, person)
    _application(_vacancy(provider), Status.SHORTLISTED, person)  # the same person twice: counted once
    _application(published, Status.APPLIED)
    _application(published, Status.AWAITING_CONSENT)  # not shared yet: never counted
    monday, sunday = week_of(today)
    Interview.objects.create(application=shortlisted, starts_at=_at(monday))
    Interview.objects.create(application=shortlisted, starts_at=_at(sunday, 20))
    Interview.objects.create(application=shortlisted, starts_at=_at(monday), outcome=Interview.Outcome.CANCELLED)
    Interview.objects.create(application=shortlisted, starts_at=_at(monday - timedelta(days=1)))
    WorkPlacement.objects.create(
        candidate=CandidateFactory.create(),
        provider=provider,
        start_date=today,
        end_date=today + timedelta(days=4),
        planned_hours=Decimal("24"),
        supervisor_name="Sue",
        status=WorkPlacement.Status.IN_PROGRESS,
    )
    start, end = quarter_of(today)
    for start_date in (start, end, start - timedelta(days=1)):
        job_start = JobStart.objects.create(
            candidate=CandidateFactory.create(),
            provider=provider,
            employer_name=provider.name,
            job_role=JobRole.CARE_WORKER,
            hours_per_week=Decimal("30"),
            contract_type=ContractType.PERMANENT,
            start_date=start_date,
            confirmed_at=timezone.now(),
        )
        ReadinessFeedback.objects.create(provider=provider, job_start=job_start, due_on=start_date + timedelta(days=28))


def test_counts_are_the_providers_own_and_count_people(
    provider_user: User, provider_a: Provider, provider_b: Provider
) -> None:
    today = date(2026, 11, 18)  # a Wednesday in the fourth quarter
    _world(provider_a, today)
    _world(provider_b, today)
    home = provider_home(provider_user, today=today)
    assert [(row.status, row.count) for row in home.vacancies] == [("draft", 1), ("published", 2)]
    assert home.vacancy_total == 3
    assert [(row.status, row.count) for row in home.applicants] == [("applied", 1), ("shortlisted", 1)]
    assert home.applicant_total == 2
    assert (home.week_start, home.week_end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert home.interviews_this_week == 2
    assert home.placements_in_progress == 1
    assert (home.quarter_start, home.quarter_end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert home.starters_this_quarter == 2
    # Due on or before today and not answered: the start on 30 September (due 28 October) and 1 October (29 October).
    assert home.feedback_due == 2


def test_answered_feedback_is_not_due(provider_user: User, provider_a: Provider) -> None:
    today = date(2026, 11, 18)
    _world(provider_a, today)
    ReadinessFeedback.objects.update(answered_at=timezone.now(), rating=4)
    assert provider_home(provider_user, today=today).feedback_due == 0


def test_quarter_and_week_edges() -> None:
    assert quarter_of(date(2026, 3, 31)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_of(date(2026, 4, 1)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert week_of(date(2026, 11, 22)) == (date(2026, 11, 16), date(2026, 11, 22))


def test_home_page_shows_the_figures_in_constant_queries(
    provider_user: User, provider_a: Provider, client_for, django_assert_max_num_queries
) -> None:
    client = client_for("provider_user")
    url = reverse("academy:home")
    client.get(url)
    today = timezone.localdate()
    _world(provider_a, today)
    with django_assert_max_num_queries(40) as first:
        response = client.get(url)
    _world(provider_a, today)
    _world(provider_a, today)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    body = response.content.decode()
    assert "Your vacancies" in body
    assert "Interviews this week" in body
    assert "9 vacancies by status" in body


def test_other_roles_get_no_provider_figures(staff: User, learner: User) -> None:
    # Staff and learners get the job application links (placements/home_applications.py), not these figures.
    assert "provider_home" not in placements_home.home_context(staff)
    assert "provider_home" not in placements_home.home_context(learner)


def test_links_only_to_lists_that_exist(monkeypatch, provider_user: User) -> None:
    def fake_reverse(name: str) -> str:
        if name == "placements:interview-list":
            return "/interviews/"
        raise NoReverseMatch(name)

    monkeypatch.setattr(placements_home, "reverse", fake_reverse)
    assert placements_home.list_links() == {"interviews": "/interviews/"}
    context = placements_home.home_context(provider_user)
    assert context["provider_home_links"] == {"interviews": "/interviews/"}
