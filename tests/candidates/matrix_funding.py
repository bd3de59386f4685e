"""Matrix rows for funding streams on the record: attributing a person to a stream and undoing it."""

from __future__ import annotations

from candidates.models import StreamAttribution
from tests.factories_funding import FundingStreamFactory
from tests.matrix import Fixture, Objects, Row, expect, public_id_of


def objects(fixture: Fixture) -> Objects:
    walk_in = fixture("walk_in")
    stream = FundingStreamFactory.create(name="Matrix record stream", code="MATRIX-RECORD")
    FundingStreamFactory.create(name="Matrix open stream", code="MATRIX-OPEN")
    attribution = StreamAttribution.objects.create(candidate=walk_in, stream=stream, attributed_on=stream.start_date)
    return {"funding_candidate": walk_in, "funding_attribution": attribution}


def _attribution(objs: Objects) -> dict[str, object]:
    attribution = objs["funding_attribution"]
    return {"public_id": attribution.candidate.public_id, "stream_id": attribution.stream.public_id}


# Staff business about someone else's record: out of scope (404) for learners and providers.
STAFF_RECORD = expect(404, staff=200, manager=200)

ROWS = {
    "candidates:stream-attribute": Row(public_id_of("funding_candidate"), "get", STAFF_RECORD),
    "candidates:stream-attribution-remove": Row(_attribution, "get", STAFF_RECORD),
}
