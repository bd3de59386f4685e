"""Two offers taking the last place of a vacancy at once: only one may get it (PostgreSQL).

The same shape as tests/courses/test_enrolment_add_concurrency.py: reading the vacancy is slowed down
so the race is certain, and the control test removes the row lock to show the race overfills without it.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/placements`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from placements.models import Vacancy
from placements.services import vacancies as services
from tests.placements.factories_vacancies import VacancyFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 2.0


def _race(monkeypatch: pytest.MonkeyPatch, lock: Callable[[Vacancy], Vacancy]) -> tuple[Vacancy, list[str]]:
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    vacancy = VacancyFactory.create(places=2, places_filled=1, title="Ring-fenced care worker")
    both_read = threading.Barrier(2, timeout=WAIT_SECONDS)

    def slow_lock(v: Vacancy) -> Vacancy:
        locked = lock(v)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return locked

    monkeypatch.setattr(services, "_lock", slow_lock)
    start = threading.Barrier(2)
    outcomes: list[list[str]] = [[], []]

    def fill(outcome: list[str]) -> None:
        try:
            start.wait()
            services.vacancy_fill_place(vacancy)
            outcome.append("filled")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fill, args=(outcomes[i],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return vacancy, [o[0] if o else "no answer" for o in outcomes]


def test_two_offers_for_the_last_place_at_once_cannot_both_succeed(monkeypatch: pytest.MonkeyPatch) -> None:
    vacancy, outcomes = _race(monkeypatch, services._lock)
    assert sorted(o == "filled" for o in outcomes) == [False, True], outcomes
    assert "are taken" in next(o for o in outcomes if o != "filled")
    vacancy.refresh_from_db()
    assert (vacancy.places_filled, vacancy.status) == (2, Vacancy.Status.FILLED)


def test_control_without_the_row_lock_both_offers_take_the_last_place(monkeypatch: pytest.MonkeyPatch) -> None:
    vacancy, outcomes = _race(monkeypatch, lambda v: Vacancy.objects.get(pk=v.pk))
    assert outcomes == ["filled", "filled"], outcomes
    vacancy.refresh_from_db()
    assert vacancy.places_filled == 2  # two offers, one place: the second overwrote the first (a lost update)
