"""Two people doing the same thing at the same moment, for the PostgreSQL race tests (marked `services`).

`slowed(module, name)` makes a read wait for the other thread after it has read, so both read before
either writes: without a row lock the race is then certain, and with one the second reader waits for the
first to commit. `at_once(*actions)` runs each action in its own thread, started together, and returns
what each one said: `done` or its ValidationError's messages.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

WAIT_SECONDS = 2.0
DONE = "done"


def slowed(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, parties: int = 2) -> None:
    """Replace `module.name` with a version that, after reading, waits (briefly) for the other readers."""
    read_all = threading.Barrier(parties, timeout=WAIT_SECONDS)
    real = getattr(module, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            read_all.wait()
        return result

    monkeypatch.setattr(module, name, slow)


def at_once(*actions: Callable[[], object]) -> list[str]:
    """Run the actions in threads started together; each gives DONE or the messages of its refusal."""
    start = threading.Barrier(len(actions))
    outcomes: list[list[str]] = [[] for _ in actions]

    def run(action: Callable[[], object], outcome: list[str]) -> None:
        try:
            start.wait()
            action()
            outcome.append(DONE)
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(action, outcome)) for action, outcome in zip(actions, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return [outcome[0] if outcome else "no answer" for outcome in outcomes]
