"""Exactly one Celery beat per deployment.

Beat queues every scheduled job; a second beat started by mistake (a scaled-out container, a forgotten
process) would queue each of them twice. Jobs are idempotent, but that is a safety net, not a plan. With
Redis (every deployment of more than one machine), beat holds a lock that expires unless renewed: a second
beat finds it taken and stops with a clear message, and a beat that loses it (a long network split) stops
rather than run beside another. The embedded default (one process running worker and beat) needs no lock.
Settings: CELERY_BEAT_SCHEDULER points here.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "academy:celery-beat"
LOCK_SECONDS = 120
RENEW_EVERY_SECONDS = 30

# Renew only if we still hold it (compare and set expiry in one step).
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class BeatLock:
    def __init__(self, client: redis.Redis, owner: str) -> None:
        self.client = client
        self.owner = owner

    @classmethod
    def from_settings(cls) -> BeatLock | None:
        if not settings.REDIS_URL:
            return None
        return cls(redis.Redis.from_url(settings.REDIS_URL), f"{socket.gethostname()}:{os.getpid()}")

    def acquire(self) -> bool:
        """Take the lock, or keep it: celery builds the scheduler more than once in the same process."""
        return bool(self.client.set(LOCK_KEY, self.owner, nx=True, ex=LOCK_SECONDS)) or self.renew()

    def renew(self) -> bool:
        return bool(self.client.eval(_RENEW, 1, LOCK_KEY, self.owner, LOCK_SECONDS))

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, LOCK_KEY, self.owner)

    def holder(self) -> str:
        value = self.client.get(LOCK_KEY)
        return value.decode() if isinstance(value, bytes) else str(value or "nobody")


class SingleBeatScheduler(PersistentScheduler):
    """Celery's file-backed scheduler, refusing to run while another beat holds the lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.beat_lock = BeatLock.from_settings()
        if self.beat_lock is not None and not self.beat_lock.acquire():
            message = (
                f"Another Celery beat is already running ({self.beat_lock.holder()}). "
                "Run exactly one beat per deployment; this one stops."
            )
            logger.critical(message)
            raise SystemExit(message)
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if self.beat_lock is not None and not self.beat_lock.renew():
            message = f"This beat lost its lock to {self.beat_lock.holder()}; it stops so that only one runs."
            logger.critical(message)
            raise SystemExit(message)
        return min(super().tick(*args, **kwargs), RENEW_EVERY_SECONDS)

    def close(self) -> None:
        super().close()
        if self.beat_lock is not None:
            self.beat_lock.release()
