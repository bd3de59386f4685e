"""Two imports of the same CQC file at the same moment: each location is created once (PostgreSQL).

Each import runs in its own thread, connection and transaction. To make the race certain rather than
lucky, reading the existing providers is slowed down: whoever reads first waits (up to two seconds)
for the other to read too. With imports taking turns (the advisory lock), the second cannot read
until the first has committed, so it finds every location and leaves them unchanged. The control
removes the lock and shows that the same race then fails on the unique CQC location ID.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/providers`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from academy.models import Role
from providers import services
from providers.cqc_csv import ProviderRow
from providers.models import Provider
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 2.0
ROWS = 20
DATA = ("Location ID,Name,Postcode\n" + "".join(f"1-5000000{i:02d},Care {i},LS1 4AP\n" for i in range(ROWS))).encode()


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Two staff upload the same 20-row file at once; what each import says."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    staff = [UserFactory.create(role=Role.STAFF), UserFactory.create(role=Role.STAFF)]
    read_both = threading.Barrier(2, timeout=WAIT_SECONDS)
    real_existing = services._existing_providers

    def slow_existing(rows: list[ProviderRow]) -> tuple[dict[str, Provider], dict[str, Provider]]:
        result = real_existing(rows)
        # Broken barrier: the other import could not read alongside, it was waiting for the lock.
        with contextlib.suppress(threading.BrokenBarrierError):
            read_both.wait()
        return result

    monkeypatch.setattr(services, "_existing_providers", slow_existing)
    start = threading.Barrier(2)

    def run_import(index: int, outcome: list[str]) -> None:
        try:
            start.wait()
            result = services.provider_import_cqc(actor=staff[index], file_name="same.csv", data=DATA)
            outcome.append(f"created {result.created}, unchanged {result.unchanged}")
        except Exception as exc:  # noqa: BLE001 - the control expects the database to refuse
            outcome.append(type(exc).__name__)
        finally:
            connections.close_all()

    def run() -> list[str]:
        outcomes: list[list[str]] = [[], []]
        threads = [threading.Thread(target=run_import, args=(i, outcomes[i])) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return sorted(o[0] if o else "no answer" for o in outcomes)

    return run


def test_two_imports_of_the_same_file_at_once_create_each_provider_once(race: Callable[[], list[str]]) -> None:
    assert race() == [f"created 0, unchanged {ROWS}", f"created {ROWS}, unchanged 0"]
    assert Provider.objects.count() == ROWS


def test_without_the_lock_the_second_import_fails(race: Callable[[], list[str]], monkeypatch) -> None:
    """The control: proves the race above is real, so the first test fails if the lock is removed."""
    monkeypatch.setattr(services, "_lock_provider_imports", lambda: None)
    assert race() == ["IntegrityError", f"created {ROWS}, unchanged 0"]
    assert Provider.objects.count() == ROWS
