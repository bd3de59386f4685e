"""Celery application: configuration comes from Django settings (CELERY_* names)."""

import logging
import os
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


def _send(task: Task, *args: Any) -> None:
    try:
        task.delay(*args)
    except (OperationalError, OSError):  # kombu wraps most broker errors; the filesystem one is an OSError
        logger.warning("Broker unavailable: %s%r not queued; its sweep will queue it.", task.name, args, exc_info=True)
