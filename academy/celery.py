"""Celery application: configuration comes from Django settings (CELERY_* names)."""

import logging
import os
import time
from functools import partial
from typing import Any

from celery import Celery, Task
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.base")

app = Celery("academy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Send `task` once the current transaction commits, so the worker sees what it was told about.

    The change is committed by then, so a broker outage is logged, not raised (raising would show
    an error for work that was saved). Every task queued this way has a sweep that queues again
    what is still waiting: the email outbox every minute, the DBS reminders daily.
    """
    transaction.on_commit(partial(_send, task, *args))


# After a broker error, publishing pauses this long: each try can take seconds (connect timeout and
# retries), and a bulk email would otherwise wait for it once per recipient. An optimisation only:
# what is skipped waits for its sweep exactly as what failed does.
BROKER_PAUSE_SECONDS = 30.0
_broker_paused_until = 0.0


def _send(task: Task, *args: Any) -> None:
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        logger.warning("Broker unavailable: %s%r not queued; its sweep will queue it.", task.name, args)
        return
    try:
        task.delay(*args)
    except (OperationalError, OSError):  # kombu wraps most broker errors; the filesystem one is an OSError
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("Broker unavailable: %s%r not queued; its sweep will queue it.", task.name, args, exc_info=True)


def broker_pause_reset() -> None:
    """Publish again at once (tests that simulate an outage call it when the broker is back)."""
    global _broker_paused_until
    _broker_paused_until = 0.0
