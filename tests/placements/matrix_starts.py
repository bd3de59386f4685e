"""Permission-matrix rows for placements URLs of this area."""

from __future__ import annotations

from tests.matrix import Row

ROWS: dict[str, Row] = {}
