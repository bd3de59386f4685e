"""The "what to do next" cards at the top of each home page, gathered from the apps by discovery.

Each app offers `next_actions(user)` in its `home.py` (found by academy.discovery, as `home_context`
is): a list of `NextAction`, only for things that need this person now. Each app reads its counts
through selectors with a fixed number of queries, so the home page costs the same however many rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from academy.discovery import app_hooks
from academy.models import User


@dataclass(frozen=True)
class NextAction:
    """One thing to do: a link to where it is done, a hint and a short status tag (e.g. "3 to review")."""

    title: str
    href: str
    hint: str = ""
    status: str = ""
    # Lower first; ties keep the apps' order (bottom layer first).
    order: int = 50


def next_actions(user: User) -> list[NextAction]:
    """Every app's next actions for `user`, most pressing first."""
    actions: list[NextAction] = []
    for hook in app_hooks("home", "next_actions"):
        actions.extend(cast(Callable[[User], list[NextAction]], hook)(user))
    return sorted(actions, key=lambda action: action.order)
