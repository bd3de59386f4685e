"""Settings of the soak's gunicorn (benchmarks/soak.py): the benchmarks' production-like request handling,
served on 127.0.0.1, with tasks really queued on Redis (no worker runs: the queue is purged afterwards)."""

from benchmarks.settings import *  # noqa: F403

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
