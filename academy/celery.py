"""Celery application: configuration comes from Django settings (CELERY_* names)."""

import os
from functools import partial
from typing import Any

from celery import Celery, Task
from django.db import transaction
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings.base")

app = Celery("academy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task: Task | str, *args: Any) -> None:
    """Send `task` once the current transaction commits, so the worker sees what it was told about.

    A service names its own app's task by dotted path ("academy.tasks.invitation_send_task"): the
    tasks module imports the services, so importing it back would make an import loop.
    """
    resolved: Task = import_string(task) if isinstance(task, str) else task
    transaction.on_commit(partial(resolved.delay, *args))
