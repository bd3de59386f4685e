"""Building blocks for the permission matrix: each app's tests/<app>/matrix.py declares its rows.

A row is `url name -> Row(kwargs, method, statuses)`. Statuses: 200 OK; 302 redirect (for the
anonymous persona, to sign-in); 403 in scope without the right; 404 out of scope; 405 method not
allowed; 410 a dead link. `objects(fixture)` in each matrix module creates what its URLs need,
using the personas' fixtures (`fixture("provider_a")`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from tests.conftest import PERSONAS

Objects = dict[str, Any]
Fixture = Callable[[str], Any]


class Row(NamedTuple):
    kwargs: Callable[[Objects], dict[str, Any]]
    method: str
    statuses: dict[str, int]


def expect(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    """Every persona gets `default`, anonymous gets a sign-in redirect, unless overridden."""
    statuses = {persona: default for persona in PERSONAS}
    statuses["anonymous"] = anonymous
    statuses.update(overrides)
    return statuses


def no_kwargs(objs: Objects) -> dict[str, Any]:
    return {}


def public_id_of(name: str) -> Callable[[Objects], dict[str, Any]]:
    """kwargs {"public_id": objs[name].public_id}."""
    return lambda objs: {"public_id": objs[name].public_id}


MANAGER_ONLY = expect(403, manager=200)
STAFF_ONLY = expect(403, staff=200, manager=200)
