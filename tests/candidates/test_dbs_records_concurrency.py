"""Two members of staff at once, against real PostgreSQL row locks (marked `services`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from academy.models import AuditEntry, User
from candidates.models import DbsCheck, DbsShare
from candidates.services.dbs import dbs_check_verify_id
from candidates.services.dbs_sharing import dbs_share_create
from tests.candidates.factories_dbs_records import TODAY, at_status, consent_to_sharing
from tests.factories import ProviderFactory

# serialized_rollback: each test starts with the rows migrations create (pipeline stages, the policy),
# which a transactional test's flush would otherwise remove.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_twice_at_once(action: Callable[[], Any]) -> list[str]:
    """Run `action` in two threads released together; "ok" or the error message of each, "ok" first."""
    barrier = threading.Barrier(2)
    results: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            action()
            results.append("ok")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results, key=lambda result: result != "ok")


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_two_people_recording_the_same_step_record_it_once(staff: User) -> None:
    check = at_status(DbsCheck.Status.NOT_STARTED)
    results = run_twice_at_once(
        lambda: dbs_check_verify_id(
            check=DbsCheck.objects.get(pk=check.pk), actor=staff, id_verified_on=TODAY, today=TODAY
        )
    )
    assert results[0] == "ok"
    assert "You cannot record “ID verified” now" in results[1]
    assert AuditEntry.objects.filter(action="dbs.id_verified").count() == 1


def test_sharing_twice_at_once_shares_once(staff: User, candidate) -> None:
    check = at_status(DbsCheck.Status.CLEARED, candidate=candidate, staff=staff)
    consent_to_sharing(candidate)
    provider = ProviderFactory.create()
    results = run_twice_at_once(
        lambda: dbs_share_create(check=DbsCheck.objects.get(pk=check.pk), provider=provider, actor=staff)
    )
    assert results == ["ok", "The outcome is already shared with " + provider.name]
    assert DbsShare.objects.count() == 1
