"""A real task through real Redis to a real worker process, against the real database.

Run by .ci/run with DATABASE_URL (PostgreSQL) and REDIS_URL set; deselected in `make test`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from academy import services
from academy.celery import app as celery_app
from academy.models import Invitation, Role, User

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    assert settings.REDIS_URL, "REDIS_URL must point at the local Redis for this test"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings.base",
        "DJANGO_DEBUG": "1",
        # The worker must read the test database that pytest-django created, not the real one.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    celery_app.control.purge()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "academy", "worker", "--pool=solo", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def not_eager():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def test_invitation_email_is_sent_by_a_real_worker_through_redis(worker, not_eager, manager: User) -> None:
    assert connection.vendor == "postgresql"
    invitation = services.invitation_create(actor=manager, email="worker@example.org", role=Role.STAFF)
    assert invitation.sent_at is None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        if invitation.sent_at is not None:
            break
        assert worker.poll() is None, worker.stdout.read() if worker.stdout else "worker exited"
        time.sleep(0.2)
    assert invitation.sent_at is not None, "the worker did not send the invitation within 60 s"
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
