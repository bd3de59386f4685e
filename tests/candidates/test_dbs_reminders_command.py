"""`manage.py dbs_reminders [--dry-run] [--date YYYY-MM-DD]`."""

from __future__ import annotations

from datetime import date
from io import StringIO
from unittest import mock

import pytest
from celery.app.task import Task
from django.core import mail
from django.core.management import CommandError, call_command
from kombu.exceptions import OperationalError

from academy.celery import broker_pause_reset
from candidates.models import Candidate, DbsReminder
from tests.candidates.factories_dbs_reminders import DbsCheckFactory, eight_am, submitted_check

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("dbs_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due(candidate: Candidate, walk_in: Candidate) -> None:
    """On 9 March 2026 the learner's application chase and Wendy's second certificate chase are due."""
    check = DbsCheckFactory.create(candidate=candidate, started_on=date(2026, 3, 2))
    submitted_check(walk_in, on=date(2026, 2, 9))
    assert check.candidate.owner is None


def test_dry_run_prints_what_would_be_sent_and_changes_nothing(due) -> None:
    output = run("--dry-run", "--date", "2026-03-09")

    assert DbsReminder.objects.count() == 0
    assert mail.outbox == []
    lines = output.splitlines()
    assert lines[0] == "DBS reminders for Monday 9 March 2026 (dry run: nothing is created or sent)"
    assert lines[1] == "Would create 3 reminder(s):"
    assert lines[2].startswith(
        "  [would send] 2026-03-07  Application not completed  to Learner <learner@example.org>  about Lena Learner"
    )
    assert lines[3].startswith(
        "  [would send] 2026-03-09  No certificate yet (second chase)  to Learner <wendy@example.org>  about Wendy"
    )
    assert lines[4].startswith(
        "  [would not send] 2026-03-09  No certificate yet (second chase)  to Owning staff member (no email address)"
    )
    assert lines[5] == "Would queue 2 for sending (2 new, 0 earlier not sent yet); would release 0 stuck claim(s)."


def test_a_run_creates_the_reminders_and_prints_them(due, time_machine, django_capture_on_commit_callbacks) -> None:
    time_machine.move_to(eight_am(date(2026, 3, 9)), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        output = run()  # today

    assert DbsReminder.objects.count() == 3
    assert "Created 3 reminder(s):" in output
    assert "  [waiting to send] 2026-03-07  Application not completed  to Learner <learner@example.org>" in output
    assert "Queued 2 for sending (2 new, 0 earlier not sent yet); released 0 stuck claim(s)." in output
    assert len(mail.outbox) == 2  # sent by the queued tasks once the sweep committed

    assert "No new reminders are due." in run()


def test_a_bad_date_is_explained() -> None:
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD"):
        run("--date", "9/3/2026")


def test_with_the_broker_down_the_run_keeps_its_reminders_for_the_next_sweep(
    due, time_machine, django_capture_on_commit_callbacks
) -> None:
    """Queueing after commit used to raise: the command failed though the reminders were saved."""
    time_machine.move_to(eight_am(date(2026, 3, 9)), tick=False)
    down = OperationalError("Error 111 connecting to redis")
    with mock.patch.object(Task, "apply_async", side_effect=down), django_capture_on_commit_callbacks(execute=True):
        output = run()
    broker_pause_reset()  # the broker is back

    assert "Queued 2 for sending" in output
    assert mail.outbox == []
    assert DbsReminder.objects.filter(status=DbsReminder.Status.PENDING).count() == 2

    time_machine.move_to(eight_am(date(2026, 3, 10)), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert "(0 new, 2 earlier not sent yet)" in run()
    assert len(mail.outbox) == 2
