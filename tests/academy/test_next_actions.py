"""Home pages say what to do next: each role's own next actions above the links, only when there is
something to do, an empty state otherwise, and a query count that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, DbsCheck
from candidates.services.profile import PROFILE_STEPS
from courses.models import Application, Cohort
from placements.models import FollowUp, Interview, JobApplication, Vacancy
from placements.selectors.home import quarter_state
from providers.models import Provider
from tests.candidates.factories_dbs_records import at_status
from tests.courses.factories import ApplicationFactory, CohortFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import SupportPaymentFactory
from tests.factories import CandidateFactory, ProviderFactory
from tests.placements.factories_outcomes import FundingStreamFactory, JobStartFactory, OutcomeFactory
from tests.placements.test_provider_home import _application, _vacancy

pytestmark = pytest.mark.django_db

EMPTY = "Nothing needs you today."
Status = JobApplication.Status


def _home(client: Client) -> tuple[list[str], str]:
    response = client.get(reverse("academy:home"))
    assert response.status_code == 200
    return [action.title for action in response.context["next_actions"]], response.content.decode()


def _queries(client: Client) -> int:
    client.get(reverse("academy:home"))  # the first request of a session may fill caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("academy:home")).status_code == 200
    return len(queries)


# --- learner ------------------------------------------------------------------------------------


def _learner_rows(candidate: Candidate, provider: Provider) -> None:
    """One of each thing waiting for `candidate`."""
    ApplicationFactory.create(
        candidate=candidate, status=Application.Status.OFFERED, offered_at=timezone.now() - dt.timedelta(days=1)
    )
    _application(_vacancy(provider), Status.OFFERED, candidate)
    _application(_vacancy(provider), Status.AWAITING_CONSENT, candidate)


def test_learner_sees_their_own_next_actions(
    client_for: Callable[[str], Client],
    candidate: Candidate,
    other_candidate: Candidate,
    provider_a: Provider,
    settings: Any,
) -> None:
    settings.COURSE_OFFER_VALID_DAYS = 5
    _learner_rows(candidate, provider_a)
    at_status(DbsCheck.Status.NOT_STARTED, candidate=candidate)
    candidate.profile_steps_done = [PROFILE_STEPS[0].slug]
    candidate.save(update_fields=["profile_steps_done"])
    # The other learner's offers and referrals are not this learner's business.
    _learner_rows(other_candidate, provider_a)

    titles, html = _home(client_for("learner"))

    cohort = Application.objects.get(candidate=candidate).cohort
    reply_by = timezone.localdate(timezone.now() - dt.timedelta(days=1) + dt.timedelta(days=5))
    assert len(titles) == 5, titles
    assert titles[0] == f"Reply to your offer of a place on {cohort.course.title} ({cohort.name})"
    assert titles[1].startswith("Reply to your job offer: Care worker")
    assert "Answer the academy's job referrals" in titles
    assert "Your DBS check: we need your ID" in titles
    assert f"Finish your profile (1 of {len(PROFILE_STEPS)} parts)" in titles
    assert EMPTY not in html
    assert f"Your offer needs a reply by {reply_by:%-d %B %Y}" in html
    # The links stay below the actions.
    assert html.index("What to do next") < html.index("Courses and checks")


def test_learner_with_nothing_to_do_sees_the_empty_state(
    client_for: Callable[[str], Client], candidate: Candidate
) -> None:
    candidate.profile_steps_done = [step.slug for step in PROFILE_STEPS]
    candidate.save(update_fields=["profile_steps_done"])
    at_status(DbsCheck.Status.SUBMITTED, candidate=candidate)  # waiting for the DBS, not for the learner
    # An offer past its reply date (the expiry task has not run yet) is no longer anything to do.
    ApplicationFactory.create(
        candidate=candidate, status=Application.Status.OFFERED, offered_at=timezone.now() - dt.timedelta(days=30)
    )
    # Work waiting for staff and managers is not the learner's.
    _staff_rows()
    SupportPaymentFactory.create()

    titles, html = _home(client_for("learner"))

    assert titles == []
    assert EMPTY in html


def test_learner_home_query_count_does_not_grow(
    client_for: Callable[[str], Client], candidate: Candidate, provider_a: Provider
) -> None:
    client = client_for("learner")
    _learner_rows(candidate, provider_a)
    before = _queries(client)
    for _ in range(3):
        _learner_rows(candidate, provider_a)
    assert _queries(client) == before


# --- staff and managers ---------------------------------------------------------------------------


def _staff_rows() -> None:
    """One of each thing staff should act on today."""
    ApplicationFactory.create(status=Application.Status.SUBMITTED)
    today = timezone.localdate()
    cohort = CohortFactory.create(start_date=today, status=Cohort.Status.RUNNING)
    session = SessionFactory.create(cohort=cohort, date=today)
    marked = EnrolmentFactory.create(cohort=cohort)
    EnrolmentFactory.create(cohort=cohort)  # not marked yet
    mark(session, marked)
    at_status(DbsCheck.Status.SUBMITTED, started_on=today - dt.timedelta(days=60))
    stream = FundingStreamFactory.create(start_date=today - dt.timedelta(days=400), follow_up_weeks=[4])
    outcome = OutcomeFactory.create(start_date=today - dt.timedelta(weeks=4))
    FollowUp.objects.create(outcome=outcome, stream=stream, week=4, due_on=today)
    provider = ProviderFactory.create()
    _vacancy(provider, Vacancy.Status.SUBMITTED)


STAFF_TITLES = {
    "Decide on new course applications",
    "Chase DBS checks",
    "Follow up people in work",
    "Approve vacancies for the job board",
}


def test_staff_see_their_next_actions_and_no_manager_ones(client_for: Callable[[str], Client]) -> None:
    _staff_rows()
    SupportPaymentFactory.create()

    titles, html = _home(client_for("staff"))

    register = [title for title in titles if title.startswith("Take the register: ")]
    assert len(register) == 1, titles
    assert set(titles) - set(register) == STAFF_TITLES
    assert "1 learner not marked yet" in html
    assert "Approve support payments" not in titles
    assert 'id="quarter-state"' not in html


def test_a_register_fully_marked_is_not_an_action(client_for: Callable[[str], Client]) -> None:
    today = timezone.localdate()
    cohort = CohortFactory.create(start_date=today, status=Cohort.Status.RUNNING)
    session = SessionFactory.create(cohort=cohort, date=today)
    mark(session, EnrolmentFactory.create(cohort=cohort))

    titles, html = _home(client_for("staff"))

    assert titles == []
    assert EMPTY in html


def test_staff_home_query_count_does_not_grow(client_for: Callable[[str], Client]) -> None:
    client = client_for("staff")
    _staff_rows()
    before = _queries(client)
    for _ in range(2):
        _staff_rows()
    assert _queries(client) == before


def test_manager_sees_payments_and_the_quarter(client_for: Callable[[str], Client]) -> None:
    SupportPaymentFactory.create()

    titles, html = _home(client_for("manager"))

    assert titles == ["Approve support payments"]
    start, end = quarter_state(today=timezone.localdate()).start, quarter_state(today=timezone.localdate()).end
    assert f"This quarter: {start:%-d %B} to {end:%-d %B %Y}" in html


def test_manager_with_nothing_to_do_sees_the_empty_state(client_for: Callable[[str], Client]) -> None:
    titles, html = _home(client_for("manager"))
    assert titles == []
    assert EMPTY in html
    assert 'id="quarter-state"' in html


def _local(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date(year, month, day), dt.time(9)))


def test_quarter_counts_distinct_people_in_the_quarter() -> None:
    today = dt.date(2026, 11, 18)
    person = CandidateFactory.create()
    JobStartFactory.create(candidate=person, start_date=dt.date(2026, 10, 1))
    JobStartFactory.create(candidate=person, start_date=dt.date(2026, 12, 31))  # the same person: once
    JobStartFactory.create(start_date=dt.date(2026, 9, 30))  # last quarter
    completed = EnrolmentFactory.create(status="completed", ended_at=_local(2026, 11, 2))
    EnrolmentFactory.create(candidate=completed.candidate, status="completed", ended_at=completed.ended_at)
    EnrolmentFactory.create(status="completed", ended_at=_local(2027, 1, 1))
    Candidate.objects.update(created_at=_local(2026, 9, 1))
    registered = CandidateFactory.create()
    Candidate.objects.filter(pk=registered.pk).update(created_at=_local(2026, 10, 5))

    state = quarter_state(today=today)

    assert (state.start, state.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert (state.registrations, state.completions, state.job_starts) == (1, 1, 1)


def test_manager_home_query_count_does_not_grow(client_for: Callable[[str], Client]) -> None:
    client = client_for("manager")
    SupportPaymentFactory.create()
    JobStartFactory.create()
    before = _queries(client)
    for _ in range(3):
        SupportPaymentFactory.create()
        JobStartFactory.create()
    assert _queries(client) == before


# --- providers ------------------------------------------------------------------------------------


def _provider_rows(provider: Provider) -> None:
    vacancy = _vacancy(provider)
    _application(vacancy, Status.APPLIED)
    _application(vacancy, Status.AWAITING_CONSENT)  # not shared: not theirs to see
    shortlisted = _application(vacancy, Status.SHORTLISTED)
    Interview.objects.create(application=shortlisted, starts_at=timezone.now() + dt.timedelta(minutes=5))


def test_provider_sees_their_own_new_applicants_and_interviews(
    client_for: Callable[[str], Client], provider_a: Provider, provider_b: Provider
) -> None:
    _provider_rows(provider_a)
    _provider_rows(provider_b)

    response = client_for("provider_user").get(reverse("academy:home"))
    actions = response.context["next_actions"]

    assert [action.title for action in actions] == ["Look at your new applicants", "Interviews this week"]
    assert [action.status for action in actions] == ["1 new", "1 this week"]
    html = response.content.decode()
    assert html.index("What to do next") < html.index("Your organisation")


def test_provider_with_nothing_to_do_sees_the_empty_state(
    client_for: Callable[[str], Client], provider_b: Provider
) -> None:
    _provider_rows(provider_b)  # another provider's applicants and interviews
    _staff_rows()
    titles, html = _home(client_for("provider_user"))
    assert titles == []
    assert EMPTY in html


def test_provider_home_query_count_does_not_grow(client_for: Callable[[str], Client], provider_a: Provider) -> None:
    client = client_for("provider_user")
    _provider_rows(provider_a)
    before = _queries(client)
    for _ in range(3):
        _provider_rows(provider_a)
    assert _queries(client) == before


def test_other_roles_do_not_get_learner_actions(client_for: Callable[[str], Client], staff: User) -> None:
    titles, _ = _home(client_for("staff"))
    assert not any(title.startswith(("Finish your profile", "Your DBS check")) for title in titles)
