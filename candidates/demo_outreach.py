"""Demo outreach events for `seed_demo`: a job fair six weeks ago with the people met there (one of them
already known) and where they got to since, an upcoming public information session, and a Jobcentre day.

Idempotent: events are keyed by title, people by email; seeding again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from academy import demo
from academy.models import User
from candidates.models import Candidate, EventEnquiry, Milestone, OutreachEvent, StageChange
from candidates.services.outreach import event_enquiry_record, outreach_event_save
from candidates.services.pipeline import candidate_move_to_milestone
from providers.models import Provider

FAIR_TITLE = "Leeds care jobs fair"
# The people met at the fair: name, email, phone, what they asked about, the milestone reached since.
FAIR_PEOPLE = [
    ("Lorna", "Mitchell", "lorna.mitchell@example.org", "07700 900701", "Home care, part time", Milestone.IN_WORK),
    ("Tariq", "Hussain", "", "07700 900702", "Nights in a nursing home", Milestone.ON_COURSE),
    ("Gemma", "Doyle", "gemma.doyle@example.org", "", "Has caring experience at home", Milestone.SCREENED),
    ("Femi", "Adeyemi", "femi.adeyemi@example.org", "07700 900704", "Career change from retail", None),
    ("Ellen", "Price", "ellen.price@example.org", "", "Returning after a break", None),
]
# How many new records the fair made: everyone above; the known person (a demo learner) comes on top.
FAIR_NEW_PEOPLE = len(FAIR_PEOPLE)
KNOWN_EMAIL = "learner2@demo.academy"


def _event(title: str, defaults: dict[str, object], actor: User, providers: list[Provider]) -> OutreachEvent:
    event = OutreachEvent.objects.filter(title=title).first()
    if event is not None:
        return event
    # The first academy's staff run the demo events (demo.DEMO_STAFF); the coast academy has its own people.
    staff = list(User.objects.filter(email__in=[email for email, _, _ in demo.DEMO_STAFF]).order_by("email")[:2])
    return outreach_event_save(
        event=OutreachEvent(title=title, **defaults), actor=actor, staff_present=staff, providers_attending=providers
    )


def seed_outreach(*, today: dt.date) -> str:
    """The demo events and the fair's enquiries; returns a few words for the summary."""
    actor = User.objects.filter(email=demo.DEMO_STAFF[1][0]).first()
    if actor is None:
        return ""
    providers = list(Provider.objects.order_by("name"))
    fair_day = today - dt.timedelta(weeks=6)
    fair = _event(
        FAIR_TITLE,
        {
            "kind": OutreachEvent.Kind.JOB_FAIR,
            "held_on": fair_day,
            "starts_at": dt.time(10),
            "ends_at": dt.time(15),
            "place": "Leeds Town Hall, The Headrow",
            "postcode": "LS1 3AD",
            "partner": "Leeds Jobcentre Plus",
            "description": "Meet local care employers and find out about the academy's free two-week course.",
            "cost": Decimal("450.00"),
        },
        actor,
        providers,
    )
    _event(
        "Information session: is care for you?",
        {
            "kind": OutreachEvent.Kind.INFORMATION_SESSION,
            "held_on": today + dt.timedelta(days=14),
            "starts_at": dt.time(18),
            "ends_at": dt.time(19, 30),
            "place": "Leeds Central Library",
            "postcode": "LS1 3AB",
            "description": "An evening talk for career changers and returners, with time for questions. Free.",
            "is_public": True,
            "cost": Decimal("60.00"),
        },
        actor,
        providers[:1],
    )
    _event(
        "Jobcentre day: Leeds City",
        {
            "kind": OutreachEvent.Kind.JOBCENTRE_DAY,
            "held_on": today + dt.timedelta(days=3),
            "place": "Leeds City Jobcentre",
            "partner": "Leeds Jobcentre Plus",
            "cost": Decimal("0"),
        },
        actor,
        [],
    )
    if not fair.enquiries.exists():
        _fair_enquiries(fair, actor)
    return f"{OutreachEvent.objects.count()} outreach events, {EventEnquiry.objects.count()} enquiries"


def _fair_enquiries(fair: OutreachEvent, actor: User) -> None:
    """The fair's people, dated on the day of the fair, and where each has got to since."""
    at_fair = timezone.make_aware(dt.datetime.combine(fair.held_on, dt.time(11)))
    for first, last, email, phone, note, reached in FAIR_PEOPLE:
        result = event_enquiry_record(
            event=fair,
            actor=actor,
            channel=EventEnquiry.Channel.AT_EVENT,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            contact_consent=True,
            note=note,
        )
        candidate = result.candidate
        Candidate.objects.filter(pk=candidate.pk).update(created_at=at_fair, stage_entered_at=at_fair)
        StageChange.objects.filter(candidate=candidate).update(changed_at=at_fair)
        EventEnquiry.objects.filter(pk=result.enquiry.pk).update(created_at=at_fair)
        if reached is not None:
            candidate.refresh_from_db()
            candidate_move_to_milestone(candidate=candidate, milestone=reached, actor=actor)
    known = Candidate.objects.filter(email=KNOWN_EMAIL).first()
    if known is not None:
        event_enquiry_record(
            event=fair,
            actor=actor,
            channel=EventEnquiry.Channel.AT_EVENT,
            first_name=known.first_name,
            last_name=known.last_name,
            email=known.email,
            contact_consent=True,
            note="Already registered online; asked about the next course dates",
        )
