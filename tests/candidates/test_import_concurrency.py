"""Two previews of the same CSV file committed at the same moment: the records are created once (PostgreSQL).

Each commit runs in its own thread, connection and transaction. To make the race certain rather
than lucky, the duplicate check at commit is slowed down: whoever checks first waits (up to two
seconds) for the other to check too. With commits taking turns, the second cannot check until the
first has committed, so it finds the first's records as duplicates and imports nothing. The
control removes the lock and shows that the same race then creates every record twice.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/candidates`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from academy.models import Role, User
from candidates.forms.import_csv import read_csv
from candidates.models import Candidate, CandidateImport, PipelineStage
from candidates.services import imports as services
from tests.candidates.test_import_service import csv_bytes, person_line
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 2.0
ROWS = 20


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Two staff each upload the same 20-row file and press "Import" at once; each thread's outcome."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    staff = [UserFactory.create(role=Role.STAFF), UserFactory.create(role=Role.STAFF)]
    data = csv_bytes([person_line(i) for i in range(ROWS)])
    previews = [
        services.candidate_import_create(actor=actor, file_name="same.csv", table=read_csv(data, max_rows=100))
        for actor in staff
    ]
    assert [p.duplicates for p in previews] == [[], []]

    checked_both = threading.Barrier(2, timeout=WAIT_SECONDS)
    real_check = services.candidate_import_check

    def slow_check(rows: list[dict[str, Any]], **kwargs: Any) -> services.ImportCheck:
        result = real_check(rows, **kwargs)
        # Broken barrier: the other commit could not check alongside, it was waiting for the lock.
        with contextlib.suppress(threading.BrokenBarrierError):
            checked_both.wait()
        return result

    monkeypatch.setattr(services, "candidate_import_check", slow_check)
    start = threading.Barrier(2)

    def commit(preview: CandidateImport, actor: User, outcome: list[str]) -> None:
        try:
            start.wait()
            services.candidate_import_commit(candidate_import=preview, actor=actor)
            outcome.append("imported")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    def run() -> list[str]:
        outcomes: list[list[str]] = [[], []]
        threads = [threading.Thread(target=commit, args=(previews[i], staff[i], outcomes[i])) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return [o[0] if o else "no answer" for o in outcomes]

    run.previews = previews  # type: ignore[attr-defined]
    return run


def test_two_commits_of_the_same_file_at_once_create_each_record_once(race: Callable[[], list[str]]) -> None:
    outcomes = race()
    assert sorted(o == "imported" for o in outcomes) == [False, True], outcomes
    refused = next(o for o in outcomes if o != "imported")
    assert "the possible duplicates are different now" in refused
    assert Candidate.objects.count() == ROWS
    # The refused preview now lists every row as a duplicate of the records the other one created.
    second = next(p for p in race.previews if CandidateImport.objects.get(pk=p.pk).status == "preview")  # type: ignore[attr-defined]
    second.refresh_from_db()
    assert len({d["line"] for d in second.duplicates}) == ROWS
    assert all("candidate" in d for d in second.duplicates)


def test_without_the_lock_both_would_import_everything(
    race: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: proves the race above is real, so the first test fails if the lock is removed."""
    monkeypatch.setattr(services, "_lock_import_commits", lambda: None)
    assert race() == ["imported", "imported"]
    assert Candidate.objects.count() == 2 * ROWS
