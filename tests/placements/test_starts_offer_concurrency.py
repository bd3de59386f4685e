"""Two users offering a vacancy's last place at once: only one offer may stand (PostgreSQL).

The shape of tests/courses/test_enrolment_add_concurrency.py: counting the places is slowed down
so the race is certain, and the control test removes the vacancy's lock to show the race
over-offers without it.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/placements`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from academy.models import Role, User
from candidates.models import PipelineStage
from placements.models import JobApplication, Vacancy
from placements.services import offers
from tests.factories import ProviderMembershipFactory, UserFactory
from tests.placements.factories_starts import JobApplicationFactory, VacancyFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 2.0


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """A provider's user and a member of staff each offer the last place to a different applicant at once."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    vacancy = VacancyFactory.create(places=2)
    JobApplicationFactory.create(vacancy=vacancy, status=JobApplication.Status.ACCEPTED)  # one place is held
    applications = JobApplicationFactory.create_batch(2, vacancy=vacancy)
    actors: list[User] = [
        ProviderMembershipFactory.create(provider=vacancy.provider).user,
        UserFactory.create(role=Role.STAFF),
    ]

    counted_both = threading.Barrier(2, timeout=WAIT_SECONDS)
    real_count = offers.vacancy_places_held

    def slow_count(vacancy: Vacancy) -> int:
        held = real_count(vacancy)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted_both.wait()
        return held

    monkeypatch.setattr(offers, "vacancy_places_held", slow_count)
    start = threading.Barrier(2)

    def offer(application: JobApplication, actor: User, outcome: list[str]) -> None:
        try:
            start.wait()
            offers.offer_make(
                application=application, actor=actor, start_date=timezone.localdate() + dt.timedelta(days=7)
            )
            outcome.append("offered")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    def run() -> list[str]:
        outcomes: list[list[str]] = [[], []]
        threads = [threading.Thread(target=offer, args=(applications[i], actors[i], outcomes[i])) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return [o[0] if o else "no answer" for o in outcomes]

    run.vacancy = vacancy  # type: ignore[attr-defined]
    return run


def _held(vacancy: Vacancy) -> int:
    return JobApplication.objects.filter(vacancy=vacancy, status__in=JobApplication.HOLDS_PLACE).count()


def test_two_offers_of_the_last_place_at_once_cannot_both_stand(race: Callable[[], list[str]]) -> None:
    outcomes = race()
    assert sorted(o == "offered" for o in outcomes) == [False, True], outcomes
    assert "There are no places left" in next(o for o in outcomes if o != "offered")
    assert _held(race.vacancy) == 2  # type: ignore[attr-defined]


def test_without_the_lock_both_would_be_offered(race: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: proves the race above is real, so the first test fails if the lock is removed."""
    monkeypatch.setattr(
        offers, "lock_vacancy", lambda vacancy: Vacancy.objects.select_related("provider").get(pk=vacancy.pk)
    )
    outcomes = race()
    assert outcomes == ["offered", "offered"]
    assert _held(race.vacancy) == 3  # type: ignore[attr-defined]
