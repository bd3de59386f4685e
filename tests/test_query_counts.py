"""List pages run a fixed number of queries, however many rows there are."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from academy.audit import audit_log
from academy.models import Role, User
from tests.factories import InvitationFactory, ProviderFactory, ProviderMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _add_users(n: int) -> None:
    for _ in range(n):
        ProviderMembershipFactory.create()
        UserFactory.create(role=Role.LEARNER)


def _add_providers(n: int) -> None:
    for _ in range(n):
        ProviderMembershipFactory.create(provider=ProviderFactory.create())


def _add_invitations(n: int, manager: User) -> None:
    for _ in range(n):
        InvitationFactory.create(invited_by=manager, role=Role.PROVIDER, provider=ProviderFactory.create())


def _add_audit(n: int, manager: User) -> None:
    for _ in range(n):
        audit_log(actor=manager, action="provider.update", obj=ProviderFactory.create())


# url name -> (persona, how to add rows, expected queries for the page)
LIST_PAGES: dict[str, tuple[str, Callable[..., None], int]] = {
    "academy:user-list": ("manager", lambda n, m: _add_users(n), 5),
    "academy:invitation-list": ("manager", _add_invitations, 5),
    "academy:audit-list": ("manager", _add_audit, 6),
    "providers:provider-list": ("manager", lambda n, m: _add_providers(n), 5),
}


@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
def test_list_page_query_count_does_not_grow_with_rows(
    url_name: str, manager: User, client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    persona, add_rows, expected = LIST_PAGES[url_name]
    client = client_for(persona)
    url = reverse(url_name)
    client.get(url)  # the first request of a staff session writes its idle expiry once
    add_rows(2, manager)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    add_rows(20, manager)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
