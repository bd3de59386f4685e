"""Reporting's matrix rows, one module per area so each area's author owns its rows."""

from __future__ import annotations

from tests.matrix import Fixture, Objects
from tests.reporting import matrix_figures, matrix_reports

AREAS = [matrix_figures, matrix_reports]


def objects(fixture: Fixture) -> Objects:
    objs: Objects = {}
    for area in AREAS:
        if hasattr(area, "objects"):
            objs.update(area.objects(fixture))
    return objs


ROWS = {name: row for area in AREAS for name, row in area.ROWS.items()}
