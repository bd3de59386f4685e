"""Permission-matrix rows for the learner's CV, staff's coaching, and a provider's download.

The CV and its comment are the learner persona's (Lena); the application with the CV attached is
Wendy Walkin's to provider A (PDFs are not searched for markers, but scoping still decides 404).
"""

from __future__ import annotations

from typing import Any

from tests.matrix import Fixture, Objects, Row, expect, no_kwargs, public_id_of
from tests.placements.factories_work import CvCommentFactory, CvFactory, JobApplicationFactory, VacancyFactory


def objects(fixture: Fixture) -> Objects:
    cv = CvFactory.create(candidate=fixture("candidate"))
    comment = CvCommentFactory.create(cv=cv, author=fixture("staff"))
    application = JobApplicationFactory.create(
        vacancy=VacancyFactory.create(provider=fixture("provider_a")), candidate=fixture("walk_in"), cv_attached=True
    )
    return {"cv_candidate": cv.candidate, "cv_comment": comment, "cv_application": application}


def _candidate(objs: Objects) -> dict[str, Any]:
    return {"public_id": objs["cv_candidate"].public_id}


# The learner's own CV pages: every learner has their own (200); nobody else has one here (403).
OWN_CV = expect(403, learner=200, other_learner=200)
# Staff pages about Lena's CV: she may see her record but not these (403); everyone else 404.
STAFF_ON_LENA = expect(404, learner=403, staff=200, manager=200)

ROWS: dict[str, Row] = {
    "placements:cv-detail": Row(no_kwargs, "get", OWN_CV),
    "placements:cv-edit": Row(no_kwargs, "get", OWN_CV),
    "placements:cv-pdf": Row(no_kwargs, "get", OWN_CV),
    # POST only: Lena marks the comment dealt with and goes back to her CV; staff see it but may not (403).
    "placements:cv-comment-resolve": Row(
        public_id_of("cv_comment"), "post", expect(404, learner=302, staff=403, manager=403)
    ),
    "placements:candidate-cv": Row(_candidate, "get", STAFF_ON_LENA),
    "placements:candidate-cv-pdf": Row(_candidate, "get", STAFF_ON_LENA),
    # POST only; an empty comment re-shows the CV page with the error.
    "placements:cv-comment-create": Row(_candidate, "post", expect(404, learner=403, staff=200, manager=200)),
    "placements:application-cv-pdf": Row(
        public_id_of("cv_application"), "get", expect(404, provider_user=200, staff=200, manager=200)
    ),
}
