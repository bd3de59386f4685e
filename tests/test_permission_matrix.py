"""Every URL name of ours x every persona, with the status each must get.

Statuses: 200 OK; 302 redirect to sign-in (anonymous); 403 in scope without the right; 404 out of
scope; 405 method not allowed; 410 for a dead invitation link. A URL added without a row here
fails `test_every_url_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from academy.models import User
from providers.models import Provider
from tests.conftest import PERSONAS
from tests.factories import InvitationFactory

# Namespaces that are ours; allauth's and the admin's own URLs are tested by their projects.
OUR_NAMESPACES = ("academy", "providers")

A, L, OL, P, OP, S, M = (
    PERSONAS  # anonymous, learner, other_learner, provider_user, other_provider_user, staff, manager
)


def expect(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    statuses = {persona: default for persona in PERSONAS}
    statuses["anonymous"] = anonymous
    statuses.update(overrides)
    return statuses


KwargsFor = Callable[[dict[str, Any]], dict[str, Any]]


def _provider_a(objs: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": objs["provider_a"].public_id}


def _user(objs: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": objs["learner"].public_id}


def _invitation(objs: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": objs["invitation"].public_id}


def _none(objs: dict[str, Any]) -> dict[str, Any]:
    return {}


MANAGER_ONLY = expect(403, manager=200)
STAFF_ONLY = expect(403, staff=200, manager=200)

# url name -> (kwargs builder, method, expected statuses)
MATRIX: dict[str, tuple[KwargsFor, str, dict[str, int]]] = {
    "academy:home": (_none, "get", expect(200)),
    "academy:health": (_none, "get", expect(200, anonymous=200)),
    "academy:audit-list": (_none, "get", MANAGER_ONLY),
    "academy:user-list": (_none, "get", MANAGER_ONLY),
    "academy:user-detail": (_user, "get", expect(404, manager=200)),
    "academy:user-deactivate": (_user, "get", expect(404, manager=200)),
    "academy:user-reactivate": (_user, "get", expect(404, manager=200)),
    "academy:invitation-list": (_none, "get", MANAGER_ONLY),
    "academy:invitation-create": (_none, "get", MANAGER_ONLY),
    "academy:invitation-revoke": (_invitation, "get", expect(404, manager=200)),
    "academy:invitation-resend": (_invitation, "post", expect(404, manager=302)),
    # An unknown token is a dead link for everybody, signed in or not.
    "academy:invitation-accept": (lambda objs: {"token": "not-a-real-token"}, "get", expect(410, anonymous=410)),
    "providers:provider-list": (_none, "get", STAFF_ONLY),
    "providers:provider-create": (_none, "get", MANAGER_ONLY),
    "providers:provider-detail": (_provider_a, "get", expect(404, provider_user=200, staff=200, manager=200)),
    "providers:provider-update": (_provider_a, "get", expect(404, provider_user=403, staff=403, manager=200)),
}


def our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in OUR_NAMESPACES:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_is_in_the_matrix() -> None:
    assert our_url_names() == set(MATRIX)


@pytest.fixture
def objs(
    provider_a: Provider, learner: User, manager: User, provider_user: User, other_provider_user: User
) -> dict[str, Any]:
    invitation = InvitationFactory.create(invited_by=manager)
    return {"provider_a": provider_a, "learner": learner, "invitation": invitation}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(
    url_name: str, persona: str, objs: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    kwargs_for, method, statuses = MATRIX[url_name]
    url = reverse(url_name, kwargs=kwargs_for(objs))
    response = getattr(client_for(persona), method)(url)
    assert response.status_code == statuses[persona], f"{persona} {method.upper()} {url}"
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))
