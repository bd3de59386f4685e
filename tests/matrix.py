"""Building blocks for the permission matrix: each app's tests/<app>/matrix.py declares its rows.

A row is `url name -> Row(kwargs, method, statuses)`. Statuses: 200 OK; 302 redirect (for the
anonymous persona, to sign-in); 403 in scope without the right; 404 out of scope; 405 method not
allowed; 410 a dead link. `objects(fixture)` in each matrix module creates what its URLs need,
using the personas' fixtures (`fixture("provider_a")`).

The matrix also POSTs to every URL as each persona refused by the row (see `post_refusals`):
the answer must be the same refusal and nothing may change. A row whose POST answer differs from
its GET answer says so with `post=` (statuses of the personas who must be refused a POST).
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
    # Refusals of a POST, by persona, when they differ from those of `method`; None derives them.
    post: dict[str, int] | None = None
    # A public page that names providers by design (the job board): providers' markers are not leaks there;
    # people's markers still are.
    names_providers: bool = False


# Answers that refuse a request: sign in first (anonymous only), out of scope, no right, dead link.
REFUSED = frozenset({403, 404, 410})


def is_refusal(persona: str, status: int) -> bool:
    return status in REFUSED or (persona == "anonymous" and status == 302)


def post_refusals(row: Row) -> dict[str, int]:
    """Personas who must be refused a POST to the row's URL, and the status each must get.

    By default the personas the row refuses (for a GET row, refused a look are refused an action
    too); those it lets in may POST, and their behaviour is tested by the app's own tests.
    """
    if row.post is not None:
        return dict(row.post)
    return {persona: status for persona, status in row.statuses.items() if is_refusal(persona, status)}


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


# Other people's markers (from tests/conftest.py and the bystanders the matrix creates): a page a
# persona may open must never show them. Regexes, so "learner@" does not match "other.learner@".
LEARNER_MARKERS = [r"Lena Learner", r"(?<![.\w])learner@example\.org"]
OTHER_LEARNER_MARKERS = [r"Omar Other", r"other\.learner@example\.org"]
WALK_IN_MARKERS = [r"Wendy Walkin", r"wendy@example\.org"]  # a walk-in whose DBS outcome is shared with provider A
PROVIDER_A_MARKERS = [r"Provider A\b", r"provider\.a@example\.org"]
PROVIDER_B_MARKERS = [r"Provider B\b", r"provider\.b@example\.org"]
BELLA_MARKERS = [r"Bella Bside", r"bella@example\.org"]  # a candidate whose DBS outcome is shared with provider B
FORBIDDEN: dict[str, list[str]] = {
    "anonymous": [*LEARNER_MARKERS, *OTHER_LEARNER_MARKERS, *WALK_IN_MARKERS, *BELLA_MARKERS],
    "learner": [*OTHER_LEARNER_MARKERS, *WALK_IN_MARKERS, *BELLA_MARKERS],
    "other_learner": [*LEARNER_MARKERS, *WALK_IN_MARKERS, *BELLA_MARKERS],
    "provider_user": [*LEARNER_MARKERS, *OTHER_LEARNER_MARKERS, *PROVIDER_B_MARKERS, *BELLA_MARKERS],
    "other_provider_user": [*LEARNER_MARKERS, *OTHER_LEARNER_MARKERS, *PROVIDER_A_MARKERS, *WALK_IN_MARKERS],
    "staff": [],
    "manager": [],
}
