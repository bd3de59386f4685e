"""Permission-matrix rows of the staff list area: the list, its CSV export and bulk actions."""

from __future__ import annotations

from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs


def objects(fixture: Fixture) -> Objects:
    return {"list_walk_in": fixture("walk_in")}


ROWS: dict[str, Row] = {
    "candidates:candidate-list": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:candidate-export": Row(no_kwargs, "get", STAFF_ONLY),
    # POST with nothing ticked: staff are sent back to the list with an error message.
    "candidates:candidate-bulk": Row(no_kwargs, "post", expect(403, staff=302, manager=302)),
}
