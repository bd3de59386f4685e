"""Permission-matrix rows for the placements app, one module per area (tests/placements/matrix_<area>.py):
each gives ROWS and, if its rows need objects, `objects(fixture)`."""

from __future__ import annotations

import importlib

from tests.matrix import Fixture, Objects, Row

AREAS = ["board", "alerts", "vacancies", "applications", "starts", "work", "cv", "outcomes", "funding"]
_MODULES = [importlib.import_module(f"tests.placements.matrix_{area}") for area in AREAS]

ROWS: dict[str, Row] = {name: row for module in _MODULES for name, row in module.ROWS.items()}


def objects(fixture: Fixture) -> Objects:
    found: Objects = {}
    for module in _MODULES:
        if hasattr(module, "objects"):
            found.update(module.objects(fixture))
    return found
