"""Every URL name of ours x every persona, with the status each must get (rows: tests/<app>/matrix.py).

A URL added without a row fails `test_every_url_is_in_the_matrix`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.matrix import Objects, Row

# Our apps; allauth's and the admin's own URLs are tested by their projects.
APPS = ("academy", "providers", "candidates", "courses")
MODULES = [
    importlib.import_module(f"tests.{app}.matrix") for app in APPS if importlib.util.find_spec(f"tests.{app}.matrix")
]
MATRIX: dict[str, Row] = {name: row for module in MODULES for name, row in module.ROWS.items()}


def our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in APPS:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_is_in_the_matrix() -> None:
    assert our_url_names() == set(MATRIX)


@pytest.fixture
def objs(request: pytest.FixtureRequest) -> Objects:
    objects: Objects = {}
    for module in MODULES:
        objects.update(module.objects(request.getfixturevalue))
    return objects


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(url_name: str, persona: str, objs: Objects, client_for: Callable[[str], Client]) -> None:
    row = MATRIX[url_name]
    url = reverse(url_name, kwargs=row.kwargs(objs))
    response = getattr(client_for(persona), row.method)(url)
    assert response.status_code == row.statuses[persona], f"{persona} {row.method.upper()} {url}"
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))
