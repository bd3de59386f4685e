"""Every URL name of the project x every persona: the status each must get, refused POSTs, and content.

Rows live in tests/<app>/matrix.py for every app of ours (found from the app registry, so a new
app's URLs are included without editing this file). Every named URL of the project must have a
row unless its namespace is listed in EXCLUDED with the reason. For each row and persona:
- the row's method answers the row's status (anonymous refusals redirect to sign-in);
- a POST from each persona the row refuses is refused the same way (or 405 from a view that has
  no POST handler) and changes nothing: no row written, updated or deleted in our apps' tables
  (audit entries included), nothing queued to run after commit;
- a page the persona may open never shows another person's or provider's markers (FORBIDDEN).
Each persona's requests run in a savepoint rolled back afterwards, so every persona sees the
objects as the fixtures made them, as if on a fresh database.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.conftest import PERSONAS
from tests.matrix import FORBIDDEN, PROVIDER_A_MARKERS, PROVIDER_B_MARKERS, Objects, Row, post_refusals

PROVIDER_MARKERS = {*PROVIDER_A_MARKERS, *PROVIDER_B_MARKERS}

# URL namespaces that are not ours, excluded on purpose; every other named URL needs a row.
# Keys are namespaces, or the module of an include() that has none.
EXCLUDED = {
    "admin": "Django's admin: Django itself refuses every admin view to users who are not is_staff",
    "allauth.urls": "django-allauth's sign-in, sign-up, password and MFA pages: public or the signed-in user's own",
}


def our_apps() -> list[str]:
    """Labels of the project's own apps (those whose code lives in this repository)."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and not {".venv", "site-packages"} & set(Path(config.path).resolve().parts)
    ]


def _has_matrix(app: str) -> bool:
    return (
        importlib.util.find_spec(f"tests.{app}") is not None
        and importlib.util.find_spec(f"tests.{app}.matrix") is not None
    )


MODULES = [importlib.import_module(f"tests.{app}.matrix") for app in our_apps() if _has_matrix(app)]
MATRIX: dict[str, Row] = {name: row for module in MODULES for name, row in module.ROWS.items()}


def _key(resolver: URLResolver) -> str:
    if resolver.namespace:
        return resolver.namespace
    module = resolver.urlconf_name
    return module if isinstance(module, str) else getattr(module, "__name__", "")


def project_urls() -> tuple[set[str], list[str]]:
    """Every URL name outside the excluded namespaces, and the patterns there that have no name."""
    names: set[str] = set()
    unnamed: list[str] = []

    def walk(patterns: list[Any], namespaces: tuple[str, ...], route: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if not namespaces and not route and _key(p) in EXCLUDED:
                    continue
                inner = (*namespaces, p.namespace) if p.namespace else namespaces
                walk(p.url_patterns, inner, route + str(p.pattern))
            elif isinstance(p, URLPattern):
                if p.name:
                    names.add(":".join((*namespaces, p.name)))
                else:
                    unnamed.append(route + str(p.pattern))

    walk(get_resolver().url_patterns, (), "")
    return names, unnamed


def test_every_url_is_in_the_matrix() -> None:
    names, unnamed = project_urls()
    assert not unnamed, "URLs without a name cannot be checked; name them"
    assert sorted(names - set(MATRIX)) == [], "URLs without a matrix row"
    assert sorted(set(MATRIX) - names) == [], "matrix rows for URLs that do not exist"


def test_excluded_namespaces_exist() -> None:
    """An exclusion that matches nothing would hide nothing today, and anything tomorrow."""
    keys = {_key(p) for p in get_resolver().url_patterns if isinstance(p, URLResolver)}
    assert set(EXCLUDED) <= keys


def test_our_apps_are_found() -> None:
    assert {"academy", "providers", "candidates", "courses"} <= set(our_apps())
    assert not {"admin", "auth", "account", "mfa", "axes"} & set(our_apps())


@pytest.fixture
def objs(request: pytest.FixtureRequest) -> Objects:
    # The people whose markers FORBIDDEN lists exist on every test's database.
    for name in ("candidate", "other_candidate", "walk_in", "provider_user", "other_provider_user"):
        request.getfixturevalue(name)
    objects: Objects = {}
    for module in MODULES:
        objects.update(module.objects(request.getfixturevalue))
    return objects


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def our_models() -> list[type[models.Model]]:
    labels = set(our_apps())
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in labels]


def fingerprint() -> dict[str, tuple[Any, ...]]:
    """How many rows each of our tables has, and when a row was last updated (one query)."""
    quote = connection.ops.quote_name
    timestamp = connection.data_types["DateTimeField"]
    tables = our_models()
    selects = []
    for number, model in enumerate(tables):
        fields = {f.name for f in model._meta.concrete_fields}
        # Typed, so that PostgreSQL can UNION it with the tables that have the column.
        last = f"MAX({quote('updated_at')})" if "updated_at" in fields else f"CAST(NULL AS {timestamp})"
        selects.append(f"SELECT {number}, COUNT(*), {last} FROM {quote(model._meta.db_table)}")  # noqa: S608
    with connection.cursor() as cursor:
        # Only our own table names, quoted, and numbers: nothing from outside reaches this SQL.
        cursor.execute(" UNION ALL ".join(selects))
        return {tables[number]._meta.label: (count, last) for number, count, last in cursor.fetchall()}


def handles_post(url: str) -> bool:
    """Whether the URL's view has a POST handler (a function view is assumed to)."""
    view_class = getattr(resolve(url).func, "view_class", None)
    return view_class is None or hasattr(view_class, "post")


def leaks(persona: str, response: HttpResponse, *, names_providers: bool = False) -> list[str]:
    if response.status_code != 200 or not response.get("Content-Type", "").startswith(("text/", "application/json")):
        return []
    content = b"".join(response) if response.streaming else response.content
    text = content.decode(errors="replace")
    markers = [m for m in FORBIDDEN[persona] if not (names_providers and m in PROVIDER_MARKERS)]
    return [pattern for pattern in markers if re.search(pattern, text)]


def row_failures(
    row: Row, url: str, client_for: Callable[[str], Client], capture_on_commit: Callable[[], Any]
) -> list[str]:
    """Everything wrong with one URL for every persona (empty when the row holds)."""
    login = reverse("account_login")
    refusals = post_refusals(row)
    failures: list[str] = []
    # Signed in outside the savepoints: each persona's user and session outlive the rollbacks.
    clients = {persona: client_for(persona) for persona in PERSONAS}
    for persona, client in clients.items():
        with rolled_back():
            response = getattr(client, row.method)(url)
            expected = row.statuses[persona]
            if response.status_code != expected:
                failures.append(f"{persona} {row.method.upper()} {url}: {response.status_code}, expected {expected}")
            elif persona == "anonymous" and expected == 302 and not response["Location"].startswith(login):
                failures.append(f"anonymous {row.method.upper()} {url}: sent to {response['Location']}, not sign-in")
            found = leaks(persona, response, names_providers=row.names_providers)
            failures += [f"{persona} {url} shows {marker!r}" for marker in found]
        if persona not in refusals:
            continue
        with rolled_back():
            before = fingerprint()
            with capture_on_commit() as callbacks:
                response = client.post(url)
            expected = refusals[persona]
            if response.status_code == 405 and not handles_post(url):
                pass  # no POST handler at all: refused before anyone's rights are looked at
            elif response.status_code != expected:
                failures.append(f"{persona} POST {url}: {response.status_code}, expected the refusal {expected}")
            elif persona == "anonymous" and expected == 302 and not response["Location"].startswith(login):
                failures.append(f"anonymous POST {url}: sent to {response['Location']}, not sign-in")
            changed = [label for label, value in fingerprint().items() if before[label] != value]
            if changed or callbacks:
                failures.append(f"{persona} POST {url} was refused but changed {changed} and queued {len(callbacks)}")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(
    url_name: str, objs: Objects, client_for: Callable[[str], Client], django_capture_on_commit_callbacks
) -> None:
    row = MATRIX[url_name]
    url = reverse(url_name, kwargs=row.kwargs(objs))
    failures = row_failures(row, url, client_for, django_capture_on_commit_callbacks)
    assert not failures, "\n".join(failures)
