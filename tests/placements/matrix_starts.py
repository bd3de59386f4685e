"""Permission-matrix rows for interviews, offers, the personnel folder, the checklist and job starts.

The applicant is the walk-in (Wendy), who applied to provider A: provider A's user may see her,
provider B's may not (404). The learner persona's own offer (from a third provider) is answered only by
the learner.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from placements.models import FolderRelease, JobApplication, PersonnelFolder, Reference
from tests.factories import ProviderFactory
from tests.matrix import Fixture, Objects, Row, expect, no_kwargs, public_id_of
from tests.placements.factories_starts import InterviewFactory, application_for, offered

Status = JobApplication.Status


def objects(fixture: Fixture) -> Objects:
    provider_a, walk_in = fixture("provider_a"), fixture("walk_in")
    shortlisted = application_for(provider_a, walk_in, status=Status.SHORTLISTED)
    interview = InterviewFactory.create(
        application=application_for(provider_a, walk_in, status=Status.INTERVIEW),
        starts_at=timezone.now() + dt.timedelta(hours=30),
        notes="Ask for the registered manager.",
    )
    accepted = offered(provider_a, walk_in, status=Status.ACCEPTED, folder_release_consented=True)
    FolderRelease.objects.create(application=accepted, released_at=timezone.now())
    folder = PersonnelFolder.objects.create(candidate=walk_in, employment_history="Shop assistant, 2020 to 2025")
    Reference.objects.create(folder=folder, referee_name="Rita Referee", relationship="Last employer")
    # The learner persona's offer is from a third provider, so provider A's applicant list never shows them.
    own_offer = offered(ProviderFactory.create(name="Matrix offering provider"), fixture("candidate"))
    return {
        "starts_shortlisted": shortlisted,
        "starts_interview": interview,
        "starts_accepted": accepted,
        "starts_own_offer": own_offer,
        "starts_walk_in": walk_in,
    }


def _reference(objs: Objects) -> dict[str, Any]:
    return {"public_id": objs["starts_walk_in"].public_id, "number": 1}


STAFF_OR_PROVIDERS = expect(403, provider_user=200, other_provider_user=200, staff=200, manager=200)
# Provider A's applicant: provider A's user and staff; nobody else can see it.
PROVIDER_A = expect(404, provider_user=200, staff=200, manager=200)
# The same for an action that redirects when done.
PROVIDER_A_POST = expect(404, provider_user=302, staff=302, manager=302)
# A person's record: staff only; providers and other learners cannot see it.
STAFF_RECORD = expect(404, staff=200, manager=200)
# The learner persona's offer (from a third provider): staff see the application but cannot answer for them.
OWN_OFFER = expect(404, learner=200, staff=403, manager=403)

ROWS: dict[str, Row] = {
    "placements:interview-list": Row(no_kwargs, "get", STAFF_OR_PROVIDERS),
    "placements:interview-create": Row(public_id_of("starts_shortlisted"), "get", PROVIDER_A),
    "placements:interview-detail": Row(public_id_of("starts_interview"), "get", PROVIDER_A),
    "placements:interview-update": Row(public_id_of("starts_interview"), "get", PROVIDER_A),
    "placements:interview-cancel": Row(public_id_of("starts_interview"), "get", PROVIDER_A),
    "placements:interview-outcome": Row(public_id_of("starts_interview"), "get", PROVIDER_A),
    "placements:interview-ics": Row(public_id_of("starts_interview"), "get", PROVIDER_A),
    "placements:offer-create": Row(public_id_of("starts_shortlisted"), "get", PROVIDER_A),
    "placements:offer-respond": Row(public_id_of("starts_own_offer"), "get", OWN_OFFER),
    "placements:folder-detail": Row(public_id_of("starts_accepted"), "get", PROVIDER_A),
    "placements:folder-edit": Row(public_id_of("starts_walk_in"), "get", STAFF_RECORD),
    "placements:reference-create": Row(public_id_of("starts_walk_in"), "get", STAFF_RECORD),
    "placements:reference-update": Row(_reference, "get", STAFF_RECORD),
    "placements:checklist": Row(public_id_of("starts_accepted"), "get", PROVIDER_A),
    "placements:checklist-training": Row(public_id_of("starts_accepted"), "post", PROVIDER_A_POST),
    # An empty POST re-shows the checklist with "Enter the agreed start date" (200).
    "placements:checklist-start-date": Row(public_id_of("starts_accepted"), "post", PROVIDER_A),
    "placements:job-start-confirm": Row(public_id_of("starts_accepted"), "get", PROVIDER_A),
    "placements:job-start-create": Row(public_id_of("starts_walk_in"), "get", STAFF_RECORD),
    "placements:job-start-list": Row(no_kwargs, "get", STAFF_OR_PROVIDERS),
}
