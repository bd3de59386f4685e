"""Permission-matrix rows for funding streams: staff see them, managers set them up and edit their rules."""

from __future__ import annotations

from candidates.models import EligibilityRule
from tests.factories_funding import FundingStreamFactory
from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of


def objects(fixture: Fixture) -> Objects:
    stream = FundingStreamFactory.create(name="Matrix stream", code="MATRIX-STREAM")
    rule = EligibilityRule.objects.create(stream=stream, field="age", operator="at_least", value="19")
    return {"funding_stream": stream, "funding_rule": rule}


# Streams are academy business: out of scope (404) for learners and providers.
STAFF_SEE = expect(404, staff=200, manager=200)
MANAGERS_CHANGE = expect(404, staff=403, manager=200)

ROWS: dict[str, Row] = {
    "placements:stream-list": Row(no_kwargs, "get", STAFF_ONLY),
    "placements:stream-create": Row(no_kwargs, "get", MANAGER_ONLY),
    "placements:stream-detail": Row(public_id_of("funding_stream"), "get", STAFF_SEE),
    "placements:stream-update": Row(public_id_of("funding_stream"), "get", MANAGERS_CHANGE),
    "placements:stream-learners": Row(public_id_of("funding_stream"), "get", STAFF_SEE),
    "placements:stream-rule-create": Row(public_id_of("funding_stream"), "get", MANAGERS_CHANGE),
    "placements:stream-rule-update": Row(public_id_of("funding_rule"), "get", MANAGERS_CHANGE),
    "placements:stream-rule-delete": Row(public_id_of("funding_rule"), "get", MANAGERS_CHANGE),
}
