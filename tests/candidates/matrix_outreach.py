"""Matrix rows for outreach events: staff pages, the phone form at the event, and the public pages.

The event is public and upcoming, with provider A attending and the walk-in as an enquiry: staff pages
name the walk-in (staff only); the public pages name the providers there by design, never people.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from candidates.models import EventEnquiry, OutreachEvent
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of

EVENT = expect(404, staff=200, manager=200)
PUBLIC = expect(200, anonymous=200)


def objects(fixture: Fixture) -> Objects:
    fixture("learner")
    fixture("other_provider_user")
    provider_a = fixture("provider_a")
    fixture("provider_user")
    walk_in = fixture("walk_in")
    event = OutreachEvent.objects.create(
        title="Matrix jobs fair",
        kind=OutreachEvent.Kind.JOB_FAIR,
        held_on=timezone.localdate() + timedelta(days=7),
        place="Town Hall",
        is_public=True,
        cost=Decimal("120"),
    )
    event.providers_attending.add(provider_a)
    EventEnquiry.objects.create(event=event, candidate=walk_in, channel=EventEnquiry.Channel.AT_EVENT)
    return {"outreach_event": event}


ROWS = {
    "candidates:outreach-list": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:outreach-create": Row(no_kwargs, "get", STAFF_ONLY),
    "candidates:outreach-detail": Row(public_id_of("outreach_event"), "get", EVENT),
    "candidates:outreach-update": Row(public_id_of("outreach_event"), "get", EVENT),
    "candidates:outreach-stall": Row(public_id_of("outreach_event"), "get", EVENT),
    "candidates:outreach-public-list": Row(no_kwargs, "get", PUBLIC, names_providers=True),
    "candidates:outreach-interest": Row(public_id_of("outreach_event"), "get", PUBLIC),
}
