"""Every scheduled task names a task that the worker has registered."""

from __future__ import annotations

import pytest
from django.conf import settings

from academy.celery import app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_scheduled_task_exists(entry: str) -> None:
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
