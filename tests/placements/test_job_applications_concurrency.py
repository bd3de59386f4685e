"""Two "apply" clicks at the same moment make one application (PostgreSQL).

Each click runs in its own thread, connection and transaction; checking for a live application is slowed
down so that whoever checks first waits (up to two seconds) for the other. With the vacancy row locked the
other cannot check until the first has committed, so it sees the application and is refused in words. The
control removes the lock: both pass the check, and only the partial unique constraint stops the second,
which the service still turns into the same readable refusal (never a server error).

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/placements`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from candidates.models import Candidate, PipelineStage
from placements.models import JobApplication, Vacancy
from placements.services import job_applications as services
from tests.factories import CandidateFactory, UserFactory
from tests.placements.factories_applications import PublishedVacancyFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 2.0


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], tuple[list[str], int]]:
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    vacancy = PublishedVacancyFactory.create()
    user = UserFactory.create(role="learner")
    candidate: Candidate = CandidateFactory.create(user=user)
    checked_both = threading.Barrier(2, timeout=WAIT_SECONDS)
    real_check = services.vacancy_application_problem

    def slow_check(**kwargs: object) -> str:
        problem = real_check(**kwargs)  # type: ignore[arg-type]
        with contextlib.suppress(threading.BrokenBarrierError):
            checked_both.wait()
        return problem

    monkeypatch.setattr(services, "vacancy_application_problem", slow_check)
    start = threading.Barrier(2)

    def apply(outcome: list[str]) -> None:
        try:
            start.wait()
            services.job_apply(vacancy=vacancy, candidate=candidate, actor=user)
            outcome.append("applied")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    def run() -> tuple[list[str], int]:
        outcomes: list[list[str]] = [[], []]
        threads = [threading.Thread(target=apply, args=(outcomes[i],)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        answers = sorted((o[0] if o else "no answer" for o in outcomes), key=lambda answer: answer != "applied")
        return answers, JobApplication.objects.count()

    return run


@pytest.fixture
def creates(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the attempts to insert an application (those that passed the check)."""
    calls: list[int] = []
    real_create = JobApplication.objects.create

    def counting_create(**kwargs: object) -> JobApplication:
        calls.append(1)
        return real_create(**kwargs)

    monkeypatch.setattr(JobApplication.objects, "create", counting_create)
    return calls


def test_two_clicks_make_one_application(race: Callable[[], tuple[list[str], int]], creates: list[int]) -> None:
    outcomes, made = race()
    assert made == 1
    assert outcomes[0] == "applied"
    assert "already an application" in outcomes[1]
    assert len(creates) == 1  # the second waited for the lock and was refused by the check


def test_control_without_the_lock_the_constraint_refuses_the_second(
    race: Callable[[], tuple[list[str], int]], creates: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_lock_vacancy", lambda v: Vacancy.objects.select_related("provider").get(pk=v.pk))
    outcomes, made = race()
    assert made == 1
    assert "already an application" in outcomes[1]
    assert len(creates) == 2  # both passed the check: only the constraint stopped the second
