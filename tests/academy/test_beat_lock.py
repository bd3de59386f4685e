"""Exactly one Celery beat: a second one started by mistake stops with a clear message.

Needs the local Redis (run by .ci/run with REDIS_URL set; deselected in `make test`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from academy.beat import LOCK_KEY, BeatLock

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.services


@pytest.fixture
def client() -> Iterator[redis.Redis]:
    assert settings.REDIS_URL, "REDIS_URL must point at the local Redis for this test"
    connection = redis.Redis.from_url(settings.REDIS_URL)
    connection.delete(LOCK_KEY)
    yield connection
    connection.delete(LOCK_KEY)


def test_the_lock_is_held_renewed_and_released_only_by_its_owner(client: redis.Redis) -> None:
    first, second = BeatLock(client, "node-a:1"), BeatLock(client, "node-b:2")
    assert first.acquire() and not second.acquire()
    assert second.holder() == "node-a:1"
    assert first.renew() and not second.renew()
    second.release()  # not theirs: nothing happens
    assert first.holder() == "node-a:1"
    first.release()
    assert second.acquire()


def _beat(tmp_path: Path, name: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "academy.settings.base", "DJANGO_DEBUG": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "academy", "beat", "--loglevel=INFO", f"--schedule={tmp_path / name}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_second_beat_stops_and_says_why(client: redis.Redis, tmp_path: Path) -> None:
    first = _beat(tmp_path, "first")
    try:
        deadline = time.monotonic() + 60
        while client.get(LOCK_KEY) is None and time.monotonic() < deadline:
            assert first.poll() is None, first.stdout.read() if first.stdout else "beat exited"
            time.sleep(0.2)
        assert client.get(LOCK_KEY) is not None, "the first beat did not take the lock"
        second = _beat(tmp_path, "second")
        output, _ = second.communicate(timeout=60)
        assert second.returncode != 0
        assert "Another Celery beat is already running" in output
        assert first.poll() is None, "the first beat keeps running"
    finally:
        first.terminate()
        first.wait(timeout=30)
    assert client.get(LOCK_KEY) is None, "a beat that stops cleanly frees the lock"
