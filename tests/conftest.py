"""Personas and shared fixtures (see STYLE.md): every test speaks of these people."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from academy.mfa import mfa_required
from academy.models import Role, User
from candidates.models import Candidate
from providers.models import Provider
from tests.factories import CandidateFactory, ProviderFactory, ProviderMembershipFactory, UserFactory

AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _with_totp(user: User) -> User:
    TOTP.activate(user, TOTP_SECRET)
    return user


def sign_in(client: Client, user: User) -> Client:
    """Sign `user` in as the portal's sign-in would: with the second factor passed, where they need one."""
    client.force_login(user, backend=AUTH_BACKEND)
    if mfa_required(user):
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()
    return client


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> None:
    """Used TOTP codes and wrong-code counters are cached per user id, and SQLite reuses ids between tests.

    Only the in-process cache is cleared: on Redis (PostgreSQL runs, where ids are never reused) the same
    database is the Celery broker.
    """
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture
def provider_a(db: None) -> Provider:
    return ProviderFactory.create(name="Provider A")


@pytest.fixture
def provider_b(db: None) -> Provider:
    return ProviderFactory.create(name="Provider B")


@pytest.fixture
def learner(db: None) -> User:
    return UserFactory.create(email="learner@example.org", role=Role.LEARNER)


@pytest.fixture
def other_learner(db: None) -> User:
    return UserFactory.create(email="other.learner@example.org", role=Role.LEARNER)


@pytest.fixture
def provider_user(provider_a: Provider) -> User:
    return _with_totp(ProviderMembershipFactory.create(provider=provider_a, user__email="provider.a@example.org").user)


@pytest.fixture
def other_provider_user(provider_b: Provider) -> User:
    return _with_totp(ProviderMembershipFactory.create(provider=provider_b, user__email="provider.b@example.org").user)


@pytest.fixture
def candidate(learner: User) -> Candidate:
    """The learner persona's own record."""
    return CandidateFactory.create(user=learner, first_name="Lena", last_name="Learner", email=learner.email)


@pytest.fixture
def other_candidate(other_learner: User) -> Candidate:
    """The other learner's record: out of the learner persona's scope."""
    return CandidateFactory.create(user=other_learner, first_name="Omar", last_name="Other", email=other_learner.email)


@pytest.fixture
def walk_in(db: None) -> Candidate:
    """A record staff created for someone who phoned in: no account."""
    return CandidateFactory.create(first_name="Wendy", last_name="Walkin", email="wendy@example.org")


@pytest.fixture
def staff(db: None) -> User:
    return _with_totp(UserFactory.create(email="staff@example.org", role=Role.STAFF))


@pytest.fixture
def manager(db: None) -> User:
    return _with_totp(UserFactory.create(email="manager@example.org", role=Role.MANAGER))


PERSONAS = ["anonymous", "learner", "other_learner", "provider_user", "other_provider_user", "staff", "manager"]


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """`client_for("staff")` is a test client signed in as that persona (or anonymous)."""

    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            sign_in(client, request.getfixturevalue(persona))
        return client

    return make


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test (marked, or using live_server) restores the rows migrations create.

    All of them must be serialized: on PostgreSQL a plain transactional test's flush re-creates
    content types with new ids, which a later serialized test then inserts again and fails.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        fixtures = getattr(item, "fixturenames", ())
        transactional = kwargs.get("transaction") or "transactional_db" in fixtures or "live_server" in fixtures
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


@pytest.fixture
def courses_record_hooks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The staff record page with only the sections of apps up to courses: the sections of apps above it
    (placements) pin their own queries in their own tests, so these pins do not move when they grow."""
    import candidates.selectors.journey as journey
    from academy.discovery import app_hooks

    def up_to_courses(module: str, attribute: str) -> list[object]:
        return [
            hook
            for hook in app_hooks(module, attribute)
            if not getattr(hook, "__module__", "").startswith(("placements.", "reporting."))
        ]

    monkeypatch.setattr(journey, "app_hooks", up_to_courses)
