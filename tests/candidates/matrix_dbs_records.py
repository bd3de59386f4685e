"""Matrix rows for DBS records (area H1): checks and their steps, Update Service, sharing, dashboard, policy.

The check used is a walk-in's (no account): out of every learner's and every provider's scope (404).
Providers reach DBS data only through their list of shared outcomes; learners through their own page.
"""

from __future__ import annotations

from django.utils import timezone

from candidates.models import DbsCheck, DbsShare
from tests.candidates.factories_dbs_records import at_status
from tests.factories import CandidateFactory
from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of

RECORD = expect(404, staff=200, manager=200)


def objects(fixture: Fixture) -> Objects:
    fixture("learner")
    fixture("other_learner")
    fixture("provider_user")
    fixture("other_provider_user")
    walk_in = fixture("walk_in")
    check = at_status(DbsCheck.Status.CLEARED, candidate=walk_in)
    share = DbsShare.objects.create(dbs_check=check, provider=fixture("provider_a"), shared_at=timezone.now())
    # Provider B's candidate: provider A's pages must never show her (tests/matrix.py FORBIDDEN).
    bella = CandidateFactory.create(first_name="Bella", last_name="Bside", email="bella@example.org")
    DbsShare.objects.create(
        dbs_check=at_status(DbsCheck.Status.CLEARED, candidate=bella),
        provider=fixture("provider_b"),
        shared_at=timezone.now(),
    )
    return {"dbs_records_candidate": walk_in, "dbs_records_check": check, "dbs_records_share": share}


CHECK = public_id_of("dbs_records_check")

ROWS = {
    "candidates:dbs-create": Row(public_id_of("dbs_records_candidate"), "get", RECORD),
    "candidates:dbs-detail": Row(CHECK, "get", RECORD),
    "candidates:dbs-update-step": Row(CHECK, "get", RECORD),
    "candidates:dbs-update-service": Row(CHECK, "get", RECORD),
    "candidates:dbs-status-check-create": Row(CHECK, "get", RECORD),
    "candidates:dbs-share": Row(CHECK, "get", RECORD),
    "candidates:dbs-share-revoke": Row(public_id_of("dbs_records_share"), "get", RECORD),
    "candidates:dbs-shared-list": Row(no_kwargs, "get", expect(403, provider_user=200, other_provider_user=200)),
    "candidates:dbs-my": Row(no_kwargs, "get", expect(403, learner=200, other_learner=200)),
    "candidates:dbs-policy": Row(no_kwargs, "get", MANAGER_ONLY),
    "candidates:dbs-dashboard": Row(no_kwargs, "get", STAFF_ONLY),
}
