"""Matrix rows for CSV import, duplicates and merge (area C).

Imports are academy staff's: nobody else has any in scope (404). The merge pair are walk-ins,
out of every learner's and provider's scope (404).
"""

from __future__ import annotations

from candidates.models import CandidateImport
from tests.factories import CandidateFactory
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of

STAFF_OBJECT = expect(404, staff=200, manager=200)


def objects(fixture: Fixture) -> Objects:
    staff = fixture("staff")
    candidate_import = CandidateImport.objects.create(
        original_name="referrals.csv",
        rows=[{"line": 2, "first_name": "Matrix", "last_name": "Person"}],
        row_count=1,
        status=CandidateImport.Status.PREVIEW,
        created_by=staff,
    )
    return {
        "imports_import": candidate_import,
        "imports_first": CandidateFactory.create(first_name="Mia", last_name="Merge", email="mia@example.org"),
        "imports_second": CandidateFactory.create(first_name="Mia", last_name="Merge", email="MIA@example.org"),
    }


def merge_pair(objs: Objects) -> dict[str, object]:
    return {"public_id": objs["imports_first"].public_id, "other_id": objs["imports_second"].public_id}


ROWS = {
    "candidates:import-create": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:import-template": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:import-detail": Row(public_id_of("imports_import"), "get", STAFF_OBJECT),
    # Each persona runs on a fresh database, so staff and manager each commit the import once.
    "candidates:import-commit": Row(public_id_of("imports_import"), "post", expect(404, staff=302, manager=302)),
    "candidates:candidate-merge": Row(merge_pair, "get", STAFF_OBJECT),
}
