"""Permission-matrix rows for job alerts: learners save and list their own; the signed stop link is public."""

from __future__ import annotations

from placements.models import JobAlert
from placements.selectors.alerts import job_alert_unsubscribe_token
from tests.matrix import Fixture, Objects, Row, expect, no_kwargs

LEARNERS_ONLY = expect(403, learner=200, other_learner=200)


def objects(fixture: Fixture) -> Objects:
    return {"job_alert": JobAlert.objects.create(candidate=fixture("candidate"), text="care worker")}


ROWS = {
    "placements:job-alert-list": Row(no_kwargs, "get", LEARNERS_ONLY),
    "placements:job-alert-create": Row(no_kwargs, "get", LEARNERS_ONLY),
    # Whoever holds the signed link may stop the alert, signed in or not (it names no person).
    "placements:job-alert-unsubscribe": Row(
        lambda objs: {"token": job_alert_unsubscribe_token(objs["job_alert"])}, "get", expect(200, anonymous=200)
    ),
}
