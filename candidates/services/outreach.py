"""Outreach events: planning them, and recording the people who enquire at them.

An enquiry finds the person's record with the duplicate check every other way in uses
(candidates.selectors.duplicates: same email, same phone, or same name and date of birth) and
creates one only when nobody matches, with the event as its source. A known person is never
changed by an enquiry from the public page: anyone can type someone else's email address there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, ConsentKind, EventEnquiry, OutreachEvent
from candidates.models.choices import Source
from candidates.selectors.duplicates import SAME_EMAIL, SAME_NAME_AND_DOB, SAME_PHONE, candidate_duplicates
from candidates.services.consent import consent_record
from candidates.services.records import candidate_create, record_academy_id
from providers.models import Provider, ProviderContact
from providers.services import provider_event_contacts_sync

# The strongest reason first: an email address identifies a person better than a shared family phone.
MATCH_STRENGTH = {SAME_EMAIL: 0, SAME_PHONE: 1, SAME_NAME_AND_DOB: 2}


def _contact_source_key(event: OutreachEvent) -> str:
    return f"outreach-event:{event.public_id}"


@transaction.atomic
def outreach_event_save(
    *,
    event: OutreachEvent,
    actor: User,
    staff_present: Iterable[User],
    providers_attending: Iterable[Provider],
    changed: list[str] | None = None,
) -> OutreachEvent:
    """Create or update an event from a validated form instance, with who was there.

    Providers attending get a contact of kind "event" on their engagement record, kept in step with
    the event (a provider taken off the list loses it).
    """
    created = event._state.adding
    if created:
        event.created_by = actor
        event.academy_id = record_academy_id(actor=actor)
    event.save()
    event.staff_present.set(list(staff_present))
    providers = list(providers_attending)
    event.providers_attending.set(providers)
    provider_event_contacts_sync(
        source_key=_contact_source_key(event),
        providers=providers,
        occurred_on=event.held_on,
        summary=f"{event.get_kind_display()}: {event.title}, {event.place}",
        actor=actor,
        # The academy visiting a provider is a visit on its record; anything else is an event it attended.
        kind=ProviderContact.Kind.VISIT
        if event.kind == OutreachEvent.Kind.PROVIDER_VISIT
        else ProviderContact.Kind.EVENT,
    )
    audit_log(
        actor=actor,
        action="outreach_event.create" if created else "outreach_event.update",
        obj=event,
        data={"changed": changed or []},
    )
    return event


@dataclass(frozen=True)
class EnquiryResult:
    """What recording an enquiry did: the enquiry, and whether it made a new record or repeated a save."""

    enquiry: EventEnquiry
    new_record: bool
    already_recorded: bool

    @property
    def candidate(self) -> Candidate:
        return self.enquiry.candidate


def _best_match(*, email: str, phone: str, first_name: str, last_name: str, academy_id: int) -> Candidate | None:
    matches = candidate_duplicates(
        email=email, phone=phone, first_name=first_name, last_name=last_name, academy_id=academy_id
    )
    if not matches:
        return None
    best = min(
        matches,
        key=lambda m: (min(MATCH_STRENGTH.get(r, 9) for r in m.reasons), m.candidate.created_at, m.candidate.pk),
    )
    return best.candidate


def _lock_event(event: OutreachEvent) -> None:
    """Enquiries at one event take turns until this transaction ends (the event's row is locked)."""
    OutreachEvent.objects.select_for_update().filter(pk=event.pk).first()


@transaction.atomic
def event_enquiry_record(
    *,
    event: OutreachEvent,
    actor: User | None,
    channel: str,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    contact_consent: bool = False,
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> EnquiryResult:
    """Record that a person enquired at `event`: find their record or create it with the event as source.

    Enquiries at one event take turns (the event's row is locked), so a save retried by the phone
    form while the first is still running, or two staff adding the same person, make one record.
    A save sent again with the same `submission_key` returns the first one unchanged. Consent to be
    contacted is recorded on a new record; on a known record only when staff took it in person.
    """
    email = email.strip().lower()
    phone = phone.strip()
    if not (email or phone):
        raise ValidationError("Give an email address or a phone number, so the academy can get in touch.")
    if channel not in EventEnquiry.Channel.values:
        raise ValidationError(f"Unknown way of enquiring: {channel}.")
    _lock_event(event)
    if submission_key is not None:
        repeat = EventEnquiry.objects.select_related("candidate").filter(submission_key=submission_key).first()
        if repeat is not None:
            return EnquiryResult(enquiry=repeat, new_record=repeat.is_new_record, already_recorded=True)

    academy_id = cast(int, event.academy_id)
    candidate = _best_match(email=email, phone=phone, first_name=first_name, last_name=last_name, academy_id=academy_id)
    new_record = candidate is None
    if candidate is None:
        data: dict[str, Any] = {
            "first_name": first_name.strip(),
            "last_name": last_name.strip(),
            "email": email,
            "phone": phone,
            "source": Source.EVENT,
        }
        candidate = candidate_create(actor=actor, data=data, academy_id=academy_id)
    enquiry, created = EventEnquiry.objects.get_or_create(
        event=event,
        candidate=candidate,
        defaults={
            "channel": channel,
            "is_new_record": new_record,
            "contact_consent": contact_consent,
            "note": note.strip()[:300],
            "submission_key": submission_key,
            "recorded_by": actor,
        },
    )
    if created:
        audit_log(
            actor=actor,
            action="event_enquiry.record",
            obj=candidate,
            data={"event": str(event.public_id), "channel": channel, "new_record": new_record},
        )
    if contact_consent and (new_record or channel == EventEnquiry.Channel.AT_EVENT):
        if candidate.email:
            consent_record(candidate=candidate, actor=actor, kind=ConsentKind.CONTACT_EMAIL, granted=True)
        if candidate.phone:
            consent_record(candidate=candidate, actor=actor, kind=ConsentKind.CONTACT_SMS, granted=True)
    return EnquiryResult(enquiry=enquiry, new_record=new_record, already_recorded=not created)
