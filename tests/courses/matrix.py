"""Courses' matrix rows, one module per area so each area's author owns its rows."""

from __future__ import annotations

from tests.courses import matrix_applications, matrix_catalogue, matrix_delivery, matrix_outcomes
from tests.matrix import Fixture, Objects

AREAS = [matrix_catalogue, matrix_applications, matrix_delivery, matrix_outcomes]


def objects(fixture: Fixture) -> Objects:
    objs: Objects = {}
    for area in AREAS:
        objs.update(area.objects(fixture))
    return objs


ROWS = {name: row for area in AREAS for name, row in area.ROWS.items()}
