"""Matrix rows for casework (area D): the staff record, contacts, caseload, action plan, selection, stages.

The record used is a walk-in's: out of every learner's scope (404) and of every provider's (404).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from candidates.models import ActionPlanItem, ContactLog, PipelineStage, SelectionEvent, SelectionResult
from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of

RECORD = expect(404, staff=200, manager=200)
RECORD_POST = expect(404, staff=302, manager=302)


def objects(fixture: Fixture) -> Objects:
    fixture("learner")
    fixture("provider_user")
    fixture("other_provider_user")
    walk_in = fixture("walk_in")
    event = SelectionEvent.objects.create(title="Casework matrix event", held_on=timezone.localdate())
    SelectionResult.objects.create(event=event, candidate=walk_in)
    return {
        "casework_candidate": walk_in,
        "casework_contact": ContactLog.objects.create(
            candidate=walk_in,
            kind=ContactLog.Kind.CALL,
            summary="Phoned",
            follow_up_on=timezone.localdate() + timedelta(days=1),
        ),
        "casework_item": ActionPlanItem.objects.create(
            candidate=walk_in, goal="English", action="Enrol at college", owner="The learner"
        ),
        "casework_event": event,
        "casework_stage": PipelineStage.objects.get(slug="screening"),
    }


ROWS = {
    "candidates:candidate-create": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:candidate-detail": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:message-list": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:candidate-update": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:candidate-stage": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:candidate-transfer": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:candidate-equality": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:contact-create": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:contact-complete": Row(public_id_of("casework_contact"), "post", RECORD_POST),
    "candidates:caseload": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:action-plan": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:action-item-complete": Row(public_id_of("casework_item"), "post", RECORD_POST),
    "candidates:action-review-create": Row(public_id_of("casework_candidate"), "get", RECORD),
    "candidates:selection-list": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:selection-create": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:selection-detail": Row(public_id_of("casework_event"), "get", RECORD),
    "candidates:selection-add": Row(public_id_of("casework_event"), "post", RECORD_POST),
    "candidates:selection-result": Row(
        lambda objs: {
            "public_id": objs["casework_event"].public_id,
            "candidate_id": objs["casework_candidate"].public_id,
        },
        "get",
        RECORD,
    ),
    "candidates:stage-list": Row(no_kwargs, "get", MANAGER_ONLY),
    "candidates:stage-create": Row(no_kwargs, "get", MANAGER_ONLY),
    # Academy staff can see stages (scope) but only managers configure them (403); others are out of scope.
    "candidates:stage-update": Row(
        lambda objs: {"slug": objs["casework_stage"].slug}, "get", expect(404, staff=403, manager=200)
    ),
}
