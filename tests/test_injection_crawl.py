"""Stored injection: markup in every text field of ours, then every page every persona may open.

The permission matrix's objects are made, then every text field of every row in our apps' tables
is overwritten with markup carrying a tag unique to the field (`<xss12>`). Each persona then opens
every page its matrix row says it may (200, by the row's method); a raw `<xss` in an HTML page is markup that reached
the browser unescaped. The page must still answer as the matrix says, so that a page broken by
odd text is not silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.matrix import Objects
from tests.test_permission_matrix import MATRIX, MODULES, our_models

SCRIPT = "<script>alert(1)</script>"
RAW = re.compile(r"<xss(\d+)")

# Text fields that cannot hold what a person types, so markup there proves nothing.
NOT_FREE_TEXT = (
    models.EmailField,
    models.SlugField,
    models.URLField,
    models.FileField,
    models.UUIDField,
    models.GenericIPAddressField,
)
# Fields set to a fixed format by code, never by a person (by model label and field name).
SKIPPED: dict[str, str] = {
    "academy.User.password": "a password hash",
}


def free_text_fields() -> Iterator[tuple[type[models.Model], models.Field[Any, Any]]]:
    for model in our_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            if isinstance(field, NOT_FREE_TEXT) or field.choices or field.primary_key or not field.editable:
                continue
            if f"{model._meta.label}.{field.name}" in SKIPPED:
                continue
            yield model, field


def payload(number: int, row_pk: object, max_length: int | None) -> str:
    """Markup unique to the field (and the row, for unique fields), as long as the column allows."""
    text = f"{SCRIPT}<xss{number}>{row_pk}"
    if max_length is None or len(text) <= max_length:
        return text
    return f"<xss{number}>{row_pk}"[:max_length]


def inject_json(value: Any, text: str) -> Any:
    """Every string in a JSON value becomes the markup; keys and numbers stay, so code still reads it."""
    if isinstance(value, str):
        return text
    if isinstance(value, list):
        return [inject_json(item, text) for item in value]
    if isinstance(value, dict):
        return {key: inject_json(item, text) for key, item in value.items()}
    return value


def inject_everywhere() -> dict[int, str]:
    """Overwrite every free-text field of every row; returns the field each tag number stands for."""
    fields: dict[int, str] = {}
    for number, (model, field) in enumerate(free_text_fields(), start=1):
        fields[number] = f"{model._meta.label}.{field.name}"
        manager = model._default_manager
        for pk, value in manager.values_list("pk", field.attname):
            text = payload(number, pk, getattr(field, "max_length", None))
            new = inject_json(value, text) if isinstance(field, models.JSONField) else text
            manager.filter(pk=pk).update(**{field.attname: new})
    return fields


@pytest.fixture
def objs(request: pytest.FixtureRequest) -> Objects:
    for name in PERSONAS[1:]:
        request.getfixturevalue(name)
    for name in ("candidate", "other_candidate", "walk_in"):
        request.getfixturevalue(name)
    objects: Objects = {}
    for module in MODULES:
        objects.update(module.objects(request.getfixturevalue))
    return objects


@pytest.mark.django_db
def test_no_page_shows_stored_markup(objs: Objects, client_for: Callable[[str], Client]) -> None:
    urls = {name: reverse(name, kwargs=row.kwargs(objs)) for name, row in MATRIX.items()}
    fields = inject_everywhere()
    assert len(fields) > 50, "the walk over our models found too few text fields"
    failures: list[str] = []
    opened = 0
    for persona in PERSONAS:
        client = client_for(persona)
        for name, row in sorted(MATRIX.items()):
            if row.statuses[persona] != 200:
                continue
            # A POST row that answers 200 re-shows its page (an empty form's errors) and changes nothing.
            response = getattr(client, row.method)(urls[name])
            opened += 1
            if response.status_code != 200:
                failures.append(f"{persona} {name}: {response.status_code} with markup stored, 200 without")
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            leaked = sorted({fields[int(n)] for n in RAW.findall(response.content.decode())})
            if leaked:
                failures.append(f"{persona} {name} shows raw markup from {', '.join(leaked)}")
    assert opened > 100
    assert not failures, "\n".join(failures)
