"""Matrix rows of outcomes, follow-ups and retention.

The learner persona has an outcome (staff pages about it: the learner 403, others 404). Provider A
employs the walk-in, whose follow-up is due today: provider A's users may answer it, provider B's
get 404, as do learners.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from placements.models import FollowUp
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of
from tests.placements.factories_outcomes import FundingStreamFactory, OutcomeFactory


def objects(fixture: Fixture) -> Objects:
    today = timezone.localdate()
    stream = FundingStreamFactory.create(start_date=today - dt.timedelta(days=400), follow_up_weeks=[4])
    own = OutcomeFactory.create(candidate=fixture("candidate"), start_date=today - dt.timedelta(days=40))
    employed = OutcomeFactory.create(
        candidate=fixture("walk_in"), provider=fixture("provider_a"), start_date=today - dt.timedelta(weeks=4)
    )
    follow_up = FollowUp.objects.create(outcome=employed, stream=stream, week=4, due_on=today)
    return {"outcomes_own": own, "outcomes_follow_up": follow_up}


STAFF_ON_OWN = expect(404, learner=403, staff=200, manager=200)

ROWS: dict[str, Row] = {
    "placements:outcome-list": Row(no_kwargs, "get", STAFF_ONLY),
    "placements:outcome-create": Row(no_kwargs, "get", STAFF_ONLY),
    "placements:retention": Row(no_kwargs, "get", STAFF_ONLY),
    "placements:my-outcomes": Row(no_kwargs, "get", expect(403, learner=200, other_learner=200)),
    "placements:outcome-detail": Row(public_id_of("outcomes_own"), "get", STAFF_ON_OWN),
    "placements:outcome-edit": Row(public_id_of("outcomes_own"), "get", STAFF_ON_OWN),
    "placements:outcome-leave": Row(public_id_of("outcomes_own"), "get", STAFF_ON_OWN),
    # Providers see their own starters' follow-ups only (provider B's list is empty).
    "placements:follow-ups-due": Row(
        no_kwargs, "get", expect(403, provider_user=200, other_provider_user=200, staff=200, manager=200)
    ),
    "placements:follow-up-answer": Row(
        public_id_of("outcomes_follow_up"), "get", expect(404, provider_user=200, staff=200, manager=200)
    ),
}
