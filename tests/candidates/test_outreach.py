"""Outreach events: the job fair journey end to end, the duplicate check, the phone form's retries, the
public form's protection, the figures (distinct people, from stage history) and figures by source."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from academy.periods import quarter_of
from candidates.models import Candidate, Consent, ConsentKind, EventEnquiry, Milestone, OutreachEvent
from candidates.selectors.outreach import enquiries_by_source, event_enquiry_counts, outreach_event_figures
from candidates.services.merge import candidate_merge
from candidates.services.outreach import event_enquiry_record
from candidates.services.pipeline import candidate_move_to_milestone
from providers.models import Provider, ProviderContact
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


@pytest.fixture(autouse=True)
def _generous_public_form_limit(settings) -> None:
    """On Redis the counters outlive a test (the cache is shared and not cleared): only the rate-limit test,
    from addresses of its own, meets the real limit."""
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 10_000


def make_event(**fields: object) -> OutreachEvent:
    values: dict[str, object] = {
        "title": "Leeds jobs fair",
        "kind": OutreachEvent.Kind.JOB_FAIR,
        "held_on": timezone.localdate(),
        "place": "Leeds Town Hall",
        "is_public": True,
        "cost": Decimal("300"),
    }
    values.update(fields)
    return OutreachEvent.objects.create(**values)


def stall(client: Client, event: OutreachEvent, **fields: str) -> dict[str, object]:
    data = {"first_name": "", "last_name": "", "email": "", "phone": "", "note": "", **fields}
    response = client.post(
        reverse("candidates:outreach-stall", kwargs={"public_id": event.public_id}), data, headers=JSON
    )
    assert response.status_code in (200, 400), response.content
    return response.json()


def test_a_job_fair_from_planning_to_jobs(
    client_for: Callable[[str], Client], staff: User, provider_a: Provider
) -> None:
    """Done when: staff create a job fair, one person registers online and three are added on the phone
    (one already known: no duplicate); after their stage history moves on, the event page shows how many
    reached a course and a job, and the quarter's figures by source include the fair."""
    known = CandidateFactory.create(
        first_name="Kim", last_name="Known", email="kim.known@example.org", source="jobcentre"
    )
    staff_client = client_for("staff")
    today = timezone.localdate()
    response = staff_client.post(
        reverse("candidates:outreach-create"),
        {
            "title": "Leeds jobs fair",
            "kind": "job_fair",
            "held_on_0": today.day,
            "held_on_1": today.month,
            "held_on_2": today.year,
            "starts_at": "10:00",
            "ends_at": "15:00",
            "place": "Leeds Town Hall",
            "postcode": "ls1 3ad",
            "partner": "Leeds Jobcentre Plus",
            "is_public": "on",
            "cost": "£400",
            "staff_present": [staff.pk],
            "providers_attending": [provider_a.pk],
        },
    )
    fair = OutreachEvent.objects.get(title="Leeds jobs fair")
    assert response.status_code == 302 and response["Location"] == fair.get_absolute_url()
    assert fair.cost == Decimal("400") and fair.postcode == "LS1 3AD"
    assert ProviderContact.objects.filter(provider=provider_a, kind=ProviderContact.Kind.EVENT).count() == 1

    visitor = Client()
    assert fair.title in visitor.get(reverse("candidates:outreach-public-list")).content.decode()
    response = visitor.post(
        reverse("candidates:outreach-interest", kwargs={"public_id": fair.public_id}),
        {"first_name": "Olu", "last_name": "Online", "email": "olu@example.org", "phone": "", "consent": "on"},
    )
    assert response.status_code == 302
    records_before = Candidate.objects.count()

    assert stall(staff_client, fair, first_name="Pat", last_name="Phone", phone="07700 900111")["saved"]
    assert stall(staff_client, fair, first_name="Sam", last_name="Stall", email="sam@example.org")["saved"]
    answer = stall(staff_client, fair, first_name="Kimberley", last_name="Known", email=" KIM.known@example.org ")
    assert answer["saved"] and "already known" in str(answer["message"])

    assert Candidate.objects.count() == records_before + 2  # the known person was found, not made again
    assert set(fair.enquiries.values_list("candidate__last_name", flat=True)) == {"Online", "Phone", "Stall", "Known"}
    known.refresh_from_db()
    assert known.first_name == "Kim" and known.source == "jobcentre"

    people = {c.last_name: c for c in Candidate.objects.filter(event_enquiries__event=fair)}
    for name in ("Online", "Phone", "Known"):
        candidate_move_to_milestone(candidate=people[name], milestone=Milestone.ON_COURSE, actor=staff)
    candidate_move_to_milestone(candidate=people["Phone"], milestone=Milestone.IN_WORK, actor=staff)

    figures = outreach_event_figures(fair)
    assert (figures.enquiries, figures.online, figures.at_event, figures.new_records) == (4, 1, 3, 3)
    assert (figures.screened, figures.on_course, figures.in_work) == (3, 3, 1)
    assert figures.cost_per_enquiry == Decimal("100.00")
    assert figures.cost_per_course_start == Decimal("133.33")
    assert figures.cost_per_job_start == Decimal("400.00")
    page = staff_client.get(fair.get_absolute_url()).content.decode()
    assert "Reached a course" in page and "Reached a job" in page
    assert "£133.33 (£400.00 over 3 people who reached a course)" in page
    assert "Shares are of the 4 people who enquired" in page

    start, end = quarter_of(today)
    by_source = enquiries_by_source(start=start, end=end)
    fair_line = next(line for line in by_source if line.event == fair)
    assert fair_line.people == 3 and fair_line.label == "Job fair: Leeds jobs fair"
    assert sum(line.people for line in by_source) == Candidate.objects.count()
    assert [(c.event, c.enquiries, c.new_records) for c in event_enquiry_counts(start=start, end=end)] == [(fair, 4, 3)]


def test_figures_count_moves_from_the_event_day_only(staff: User) -> None:
    """Someone screened long before the fair did not "go on" to screening because of it."""
    veteran = CandidateFactory.create(email="veteran@example.org")
    candidate_move_to_milestone(candidate=veteran, milestone=Milestone.SCREENED, actor=staff)
    veteran.stage_changes.update(changed_at=timezone.now() - timedelta(days=60))
    fair = make_event()
    event_enquiry_record(
        event=fair, actor=staff, channel="at_event", first_name="V", last_name="V", email="veteran@example.org"
    )
    assert outreach_event_figures(fair).screened == 0
    candidate_move_to_milestone(candidate=veteran, milestone=Milestone.ON_COURSE, actor=staff)
    figures = outreach_event_figures(fair)
    # On course is further on than screening, so it counts for both.
    assert (figures.screened, figures.on_course, figures.in_work) == (1, 1, 0)


def test_a_retried_save_from_the_phone_is_recorded_once(client_for: Callable[[str], Client]) -> None:
    fair = make_event()
    client = client_for("staff")
    key = str(uuid.uuid4())
    first = stall(client, fair, first_name="Ria", last_name="Retry", phone="07700 900222", submission_key=key)
    again = stall(client, fair, first_name="Ria", last_name="Retry", phone="07700 900222", submission_key=key)
    assert first["saved"] and again["saved"] and "already on the list" in str(again["message"])
    assert EventEnquiry.objects.filter(event=fair).count() == 1
    assert Candidate.objects.filter(last_name="Retry").count() == 1


def test_the_phone_form_says_what_to_fix(client_for: Callable[[str], Client]) -> None:
    fair = make_event()
    client = client_for("staff")
    answer = stall(client, fair, first_name="No", last_name="Contact")
    assert answer == {"saved": False, "errors": {"email": ["Enter an email address or a phone number"]}}
    # Without the script the same mistake shows the page with its error summary.
    url = reverse("candidates:outreach-stall", kwargs={"public_id": fair.public_id})
    response = client.post(url, {"first_name": "No", "last_name": "Contact"})
    assert response.status_code == 200 and "Enter an email address or a phone number" in response.content.decode()
    response = client.post(url, {"first_name": "Plain", "last_name": "Post", "phone": "07700900333"})
    assert response.status_code == 302 and response["Location"] == url
    assert not EventEnquiry.objects.filter(candidate__last_name="Contact").exists()


def test_the_page_works_without_script_and_loads_it_as_an_enhancement(client_for: Callable[[str], Client]) -> None:
    fair = make_event()
    page = client_for("staff").get(reverse("candidates:outreach-stall", kwargs={"public_id": fair.public_id}))
    html = page.content.decode()
    assert '<form method="post" novalidate data-stall-form' in html
    assert 'type="module" src="/static/js/outreach-stall.mjs"' in html
    assert 'name="submission_key"' in html


def test_the_public_form_never_changes_or_reveals_a_known_record(client: Client) -> None:
    known = CandidateFactory.create(first_name="Kim", last_name="Known", email="kim@example.org", phone="07700 900444")
    fair = make_event()
    url = reverse("candidates:outreach-interest", kwargs={"public_id": fair.public_id})
    as_known = client.post(
        url, {"first_name": "Mallory", "last_name": "X", "email": "kim@example.org", "consent": "on"}
    )
    as_new = client.post(url, {"first_name": "Mallory", "last_name": "X", "email": "new@example.org", "consent": "on"})
    assert as_known.status_code == as_new.status_code == 302 and as_known["Location"] == as_new["Location"]
    known.refresh_from_db()
    assert (known.first_name, known.last_name) == ("Kim", "Known")
    assert not Consent.objects.filter(candidate=known).exists()
    new = Candidate.objects.get(email="new@example.org")
    assert new.source == "event"
    assert set(Consent.objects.filter(candidate=new, granted=True).values_list("kind", flat=True)) == {
        ConsentKind.CONTACT_EMAIL
    }
    assert EventEnquiry.objects.get(candidate=known).is_new_record is False
    assert EventEnquiry.objects.get(candidate=new).is_new_record is True
    assert AuditEntry.objects.filter(action="event_enquiry.record").count() == 2


def test_the_public_form_needs_consent(client: Client) -> None:
    fair = make_event()
    url = reverse("candidates:outreach-interest", kwargs={"public_id": fair.public_id})
    response = client.post(url, {"first_name": "Nat", "last_name": "No", "email": "nat@example.org"})
    assert response.status_code == 200
    assert "Tick the box to agree that the academy can contact you" in response.content.decode()
    assert not Candidate.objects.filter(email="nat@example.org").exists()


def test_the_public_form_is_rate_limited_per_address(client: Client, settings) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 2
    # Addresses no earlier run has used (documentation range), as a shared cache keeps counts for an hour.
    busy, other = (f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}" for _ in range(2))
    fair = make_event()
    url = reverse("candidates:outreach-interest", kwargs={"public_id": fair.public_id})
    for n in range(2):
        data = {"first_name": "P", "last_name": f"Person{n}", "email": f"p{n}@example.org", "consent": "on"}
        assert client.post(url, data, REMOTE_ADDR=busy).status_code == 302
    data = {"first_name": "P", "last_name": "Person2", "email": "p2@example.org", "consent": "on"}
    refused = client.post(url, data, REMOTE_ADDR=busy)
    assert refused.status_code == 429 and "Too many people have registered" in refused.content.decode()
    assert not Candidate.objects.filter(email="p2@example.org").exists()
    # Another address is not held back by the first one's use.
    assert client.post(url, data, REMOTE_ADDR=other).status_code == 302


def test_only_upcoming_public_events_are_open_to_visitors(client: Client) -> None:
    past = make_event(title="Last year's fair", held_on=timezone.localdate() - timedelta(days=1))
    private = make_event(title="Jobcentre Tuesday", is_public=False)
    listing = client.get(reverse("candidates:outreach-public-list")).content.decode()
    assert "Last year&#x27;s fair" not in listing and "Jobcentre Tuesday" not in listing
    assert "There are no events planned" in listing
    for event in (past, private):
        url = reverse("candidates:outreach-interest", kwargs={"public_id": event.public_id})
        assert client.get(url).status_code == 404


def test_merging_keeps_one_enquiry_per_event_and_one_source(staff: User) -> None:
    first, second = make_event(title="Fair one"), make_event(title="Fair two")
    a = event_enquiry_record(
        event=first, actor=staff, channel="at_event", first_name="A", last_name="B", email="a@x.org"
    )
    b = event_enquiry_record(
        event=second, actor=staff, channel="at_event", first_name="A", last_name="B", phone="07700900555"
    )
    event_enquiry_record(
        event=first, actor=staff, channel="at_event", first_name="A", last_name="B", phone="07700900555"
    )
    assert a.new_record and b.new_record and a.candidate != b.candidate
    candidate_merge(survivor=a.candidate, duplicate=b.candidate, actor=staff, field_choices={})
    enquiries = EventEnquiry.objects.filter(candidate=a.candidate)
    assert sorted(enquiries.values_list("event__title", flat=True)) == ["Fair one", "Fair two"]
    assert list(enquiries.filter(is_new_record=True).values_list("event__title", flat=True)) == ["Fair one"]
    assert outreach_event_figures(first).enquiries == 1  # the merged record's own enquiry is not a second person


def test_providers_attending_follow_the_event(client_for: Callable[[str], Client], provider_a, provider_b) -> None:
    fair = make_event()
    client = client_for("staff")
    url = reverse("candidates:outreach-update", kwargs={"public_id": fair.public_id})
    base = {
        "title": fair.title,
        "kind": fair.kind,
        "held_on_0": fair.held_on.day,
        "held_on_1": fair.held_on.month,
        "held_on_2": fair.held_on.year,
        "place": fair.place,
        "cost": "300",
    }
    assert client.post(url, {**base, "providers_attending": [provider_a.pk, provider_b.pk]}).status_code == 302
    assert ProviderContact.objects.filter(kind="event").count() == 2
    assert client.post(url, {**base, "providers_attending": [provider_b.pk]}).status_code == 302
    assert list(ProviderContact.objects.filter(kind="event").values_list("provider", flat=True)) == [provider_b.pk]


def test_the_event_form_checks_times_and_cost(client_for: Callable[[str], Client]) -> None:
    response = client_for("staff").post(
        reverse("candidates:outreach-create"),
        {
            "title": "Stall",
            "kind": "community_stall",
            "place": "Library",
            "starts_at": "15:00",
            "ends_at": "14:00",
            "cost": "-5",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The end time must be after the start time" in html
    assert "Cost cannot be less than £0" in html
    assert "Enter the date" in html
    assert not OutreachEvent.objects.exists()


def test_staff_list_searches_and_has_an_empty_state(client_for: Callable[[str], Client]) -> None:
    client = client_for("staff")
    url = reverse("candidates:outreach-list")
    assert "No outreach events yet" in client.get(url).content.decode()
    make_event(title="Leeds jobs fair")
    make_event(title="School talk at Roundhay", kind=OutreachEvent.Kind.SCHOOL_TALK)
    html = client.get(url, {"q": "roundhay"}).content.decode()
    assert "School talk at Roundhay" in html and "Leeds jobs fair" not in html
    assert "No events match these filters" in client.get(url, {"q": "nowhere"}).content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_list_pages_keep_a_constant_number_of_queries(
    rows: int, client_for: Callable[[str], Client], provider_a: Provider, django_assert_num_queries, staff: User
) -> None:
    for n in range(rows):
        event = make_event(title=f"Event {n}", held_on=timezone.localdate() + timedelta(days=n))
        event.providers_attending.add(provider_a)
        event_enquiry_record(
            event=event, actor=staff, channel="at_event", first_name="P", last_name=f"P{n}", phone=f"07700 91{n:04d}"
        )
    staff_client = client_for("staff")
    staff_client.get(reverse("candidates:outreach-list"))  # warm the session and the user's lookups
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        assert staff_client.get(reverse("candidates:outreach-list")).status_code == 200
    visitor = Client()
    with django_assert_num_queries(PUBLIC_LIST_QUERIES):
        assert visitor.get(reverse("candidates:outreach-public-list")).status_code == 200


STAFF_LIST_QUERIES = 5
PUBLIC_LIST_QUERIES = 3


def test_demo_events_and_the_past_fair_with_its_people() -> None:
    from academy import demo
    from candidates.demo_outreach import FAIR_NEW_PEOPLE, FAIR_TITLE, KNOWN_EMAIL, seed_outreach
    from candidates.services.records import candidate_for_learner
    from providers import demo as providers_demo

    now = timezone.now()
    demo.seed_demo(now=now)
    providers_demo.seed_demo(now=now)
    known = candidate_for_learner(demo.demo_user(KNOWN_EMAIL, "Aisha Rahman", "learner"))
    today = timezone.localdate(now)
    seed_outreach(today=today)
    seed_outreach(today=today)
    fair = OutreachEvent.objects.get(title=FAIR_TITLE)
    figures = outreach_event_figures(fair)
    assert (figures.enquiries, figures.new_records, figures.known_before) == (FAIR_NEW_PEOPLE + 1, FAIR_NEW_PEOPLE, 1)
    assert (figures.screened, figures.on_course, figures.in_work) == (3, 2, 1)
    assert fair.enquiries.filter(candidate=known, is_new_record=False).exists()
    assert OutreachEvent.objects.filter(is_public=True, held_on__gt=today).exists()
    assert ProviderContact.objects.filter(kind="event").count() == Provider.objects.count() + 1


def test_a_provider_visit_is_a_visit_on_the_providers_record(staff: User, provider_a: Provider) -> None:
    from candidates.services.outreach import outreach_event_save

    visit = OutreachEvent(
        title="Visit to Provider A", kind=OutreachEvent.Kind.PROVIDER_VISIT, held_on=timezone.localdate(), place="Leeds"
    )
    outreach_event_save(event=visit, actor=staff, staff_present=[staff], providers_attending=[provider_a])
    contact = ProviderContact.objects.get(provider=provider_a)
    assert (contact.kind, contact.occurred_on) == (ProviderContact.Kind.VISIT, visit.held_on)
    assert AuditEntry.objects.filter(action="outreach_event.create").count() == 1
