"""Celery application: configuration comes from Django settings (CELERY_* names)."""

import os
from functools import partial
from typing import Any

from celery import Celery, Task
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.base")

app = Celery("academy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Send `task` once the current transaction commits, so the worker sees what it was told about."""
    transaction.on_commit(partial(task.delay, *args))
