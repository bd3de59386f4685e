from __future__ import annotations

from tests.matrix import Fixture, Objects, Row


def objects(fixture: Fixture) -> Objects:
    return {}


ROWS: dict[str, Row] = {}
