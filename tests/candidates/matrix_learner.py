"""Matrix rows for learner self-service (area A): profile, equality, consent, documents, my data,
and the staff pages for documents and deletion requests.

Learner pages are about the signed-in learner's own record, so both learners get 200 and
everybody else 403. The document and the deletion request belong to the learner persona's record.
"""

from __future__ import annotations

from candidates.models import DataRequest
from tests.candidates.factories_learner import make_document
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of

LEARNERS_ONLY = expect(403, learner=200, other_learner=200)
OWNER_OR_STAFF = expect(404, learner=200, staff=200, manager=200)


def objects(fixture: Fixture) -> Objects:
    fixture("other_learner")
    fixture("provider_user")
    fixture("other_provider_user")
    candidate = fixture("candidate")
    return {
        "learner_candidate": candidate,
        "learner_document": make_document(candidate, fixture("learner")),
        "learner_datarequest": DataRequest.objects.create(candidate=candidate, reason="Moving away"),
    }


ROWS = {
    "candidates:profile": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:profile-step": Row(lambda objs: {"step": "about-you"}, "get", LEARNERS_ONLY),
    "candidates:equality": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:consent": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:contact-channels": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:document-list": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:my-data": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:my-data-json": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:my-data-html": Row(no_kwargs, "get", LEARNERS_ONLY),
    "candidates:erasure-request": Row(no_kwargs, "get", LEARNERS_ONLY),
    # The learner can see their own record but only staff upload to it from the record page.
    "candidates:candidate-document-upload": Row(
        public_id_of("learner_candidate"), "get", expect(404, learner=403, staff=200, manager=200)
    ),
    # Providers get 404 for now: they will see documents only with the learner's consent.
    "candidates:document-download": Row(public_id_of("learner_document"), "get", OWNER_OR_STAFF),
    "candidates:document-delete": Row(public_id_of("learner_document"), "get", OWNER_OR_STAFF),
    "candidates:datarequest-list": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:datarequest-complete": Row(
        public_id_of("learner_datarequest"), "get", expect(404, staff=200, manager=200)
    ),
}
