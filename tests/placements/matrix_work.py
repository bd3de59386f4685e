"""Permission-matrix rows for work placements and readiness feedback.

Provider A hosts Wendy Walkin (a walk-in, no account) on a placement from a finished cohort: the
provider user may see her, provider B and the learners may not (404), staff may not answer the
provider's feedback for it (403).
"""

from __future__ import annotations

from placements.models import WorkPlacement
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of
from tests.placements.factories_work import ReadinessFeedbackFactory, WorkPlacementFactory, past_cohort


def objects(fixture: Fixture) -> Objects:
    cohort = past_cohort(days_ago=20)
    provider = fixture("provider_a")
    walk_in = fixture("walk_in")
    live = WorkPlacementFactory.create(
        cohort=cohort, candidate=walk_in, provider=provider, status=WorkPlacement.Status.IN_PROGRESS
    )
    completed = WorkPlacementFactory.create(
        cohort=cohort,
        candidate=walk_in,
        provider=provider,
        status=WorkPlacement.Status.COMPLETED,
        start_date=cohort.start_date,
        end_date=cohort.start_date,
        worked_hours=7,
    )
    feedback = ReadinessFeedbackFactory.create(placement=completed, provider=provider)
    return {
        "work_cohort": cohort,
        "work_live_placement": live,
        "work_completed_placement": completed,
        "work_feedback": feedback,
    }


# A placement of provider A's: its users and staff act on it; everyone else is out of scope.
ON_PLACEMENT = expect(404, provider_user=200, staff=200, manager=200)
# POST-only moves: done (or refused with a message) and sent back to the placement.
MOVE = expect(404, provider_user=302, staff=302, manager=302)
# Staff and providers list placements and feedback; learners have no such list.
LISTS = expect(200, learner=403, other_learner=403)

ROWS: dict[str, Row] = {
    "placements:work-placement-list": Row(no_kwargs, "get", LISTS),
    # Everyone signed in sees a finished cohort of a published course (the finder): staff pages are 403.
    "placements:cohort-placements": Row(public_id_of("work_cohort"), "get", STAFF_ONLY),
    "placements:work-placement-create": Row(public_id_of("work_cohort"), "get", STAFF_ONLY),
    "placements:work-placement-detail": Row(public_id_of("work_live_placement"), "get", ON_PLACEMENT),
    "placements:work-placement-start": Row(public_id_of("work_live_placement"), "post", MOVE),
    "placements:work-placement-complete": Row(public_id_of("work_live_placement"), "post", MOVE),
    # Only staff change a placement's plan; its provider sees the placement but may not (403).
    "placements:work-placement-update": Row(
        public_id_of("work_live_placement"), "get", expect(404, provider_user=403, staff=200, manager=200)
    ),
    "placements:work-placement-hours": Row(public_id_of("work_live_placement"), "get", ON_PLACEMENT),
    "placements:work-placement-end-early": Row(public_id_of("work_live_placement"), "get", ON_PLACEMENT),
    # Only the host provider signs off; staff see the placement but may not (403).
    "placements:work-placement-sign-off": Row(
        public_id_of("work_completed_placement"), "get", expect(404, provider_user=200, staff=403, manager=403)
    ),
    "placements:feedback-due-list": Row(no_kwargs, "get", LISTS),
    "placements:feedback-answer": Row(
        public_id_of("work_feedback"), "get", expect(404, provider_user=200, staff=403, manager=403)
    ),
    "placements:readiness-results": Row(no_kwargs, "get", STAFF_ONLY),
}
