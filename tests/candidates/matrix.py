"""Candidates' matrix rows, one module per area so each area's author owns its rows."""

from __future__ import annotations

from tests.candidates import (
    matrix_casework,
    matrix_dbs_records,
    matrix_funding,
    matrix_imports,
    matrix_learner,
    matrix_list,
    matrix_outreach,
)
from tests.matrix import Fixture, Objects

AREAS = [
    matrix_learner,
    matrix_list,
    matrix_imports,
    matrix_casework,
    matrix_dbs_records,
    matrix_funding,
    matrix_outreach,
]


def objects(fixture: Fixture) -> Objects:
    objs: Objects = {}
    for area in AREAS:
        objs.update(area.objects(fixture))
    return objs


ROWS = {name: row for area in AREAS for name, row in area.ROWS.items()}
