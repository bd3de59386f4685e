"""Casework: the contact log with follow-ups, "my caseload", and the skills action plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import ActionPlanItem, ActionPlanReview, Candidate, ContactLog, PipelineStage
from candidates.selectors.casework import caseload_for, end_of_week, follow_ups_due_for
from candidates.services import casework
from tests.candidates.factories_casework import ActionPlanItemFactory, ActionPlanReviewFactory, ContactLogFactory
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

# A Wednesday, so "this week" has days on both sides.
WEDNESDAY = datetime(2026, 3, 11, 10, 0, tzinfo=timezone.get_default_timezone())


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


@pytest.fixture
def wednesday(time_machine) -> date:
    time_machine.move_to(WEDNESDAY, tick=False)
    return WEDNESDAY.date()


# --- contact log --------------------------------------------------------------------------------


def contact_url(candidate: Candidate) -> str:
    return reverse("candidates:contact-create", kwargs={"public_id": candidate.public_id})


def test_log_a_contact_with_a_follow_up(staff_client: Client, staff: User, walk_in: Candidate, wednesday: date) -> None:
    response = staff_client.post(
        contact_url(walk_in),
        {
            "kind": "call",
            "summary": "Talked about the March course.",
            "occurred_on_0": "10",
            "occurred_on_1": "3",
            "occurred_on_2": "2026",
            "occurred_time": "14:30",
            "follow_up_on_0": "13",
            "follow_up_on_1": "3",
            "follow_up_on_2": "2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == walk_in.get_absolute_url() + "#contacts"
    contact = ContactLog.objects.get(candidate=walk_in)
    assert contact.kind == "call"
    assert contact.created_by == staff
    assert timezone.localtime(contact.occurred_at).strftime("%Y-%m-%d %H:%M") == "2026-03-10 14:30"
    assert contact.follow_up_on == date(2026, 3, 13)
    assert AuditEntry.objects.filter(action="candidate.contact", object_id=str(walk_in.pk)).exists()


def test_contact_form_defaults_to_now_and_refuses_the_future(
    staff_client: Client, walk_in: Candidate, wednesday: date
) -> None:
    page = html(staff_client.get(contact_url(walk_in)))
    assert 'name="occurred_on_0" value="11"' in page
    response = staff_client.post(
        contact_url(walk_in),
        {"kind": "note", "summary": "x", "occurred_on_0": "12", "occurred_on_1": "3", "occurred_on_2": "2026"},
    )
    assert "The contact must not be in the future" in html(response)
    assert 'href="#id_occurred_on_0"' in html(response)
    response = staff_client.post(
        contact_url(walk_in),
        {
            "kind": "note",
            "summary": "Dropped in",
            "occurred_on_0": "11",
            "occurred_on_1": "3",
            "occurred_on_2": "2026",
            "follow_up_on_0": "1",
            "follow_up_on_1": "3",
            "follow_up_on_2": "2026",
        },
    )
    assert "The follow-up date must be on or after the date of the contact" in html(response)
    assert not ContactLog.objects.exists()


def test_contact_without_a_time_today_is_logged_now(staff_client: Client, walk_in: Candidate, wednesday: date) -> None:
    staff_client.post(
        contact_url(walk_in),
        {
            "kind": "sms",
            "summary": "Sent the address",
            "occurred_on_0": "11",
            "occurred_on_1": "3",
            "occurred_on_2": "2026",
        },
    )
    assert ContactLog.objects.get().occurred_at == WEDNESDAY


def test_mark_follow_up_done_once_and_go_back(staff_client: Client, staff: User, walk_in: Candidate) -> None:
    contact = ContactLogFactory.create(candidate=walk_in, follow_up_on=timezone.localdate())
    url = reverse("candidates:contact-complete", kwargs={"public_id": contact.public_id})
    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url, {"next": "/candidates/caseload/"})
    assert response["Location"] == "/candidates/caseload/"
    contact.refresh_from_db()
    done_at = contact.follow_up_done_at
    assert done_at is not None
    # A second click changes nothing; an outside `next` is ignored.
    response = staff_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == walk_in.get_absolute_url() + "#contacts"
    contact.refresh_from_db()
    assert contact.follow_up_done_at == done_at
    assert AuditEntry.objects.filter(action="candidate.follow_up_done").count() == 1


def test_a_contact_without_follow_up_cannot_be_marked_done(staff: User, walk_in: Candidate) -> None:
    contact = ContactLogFactory.create(candidate=walk_in)
    with pytest.raises(ValidationError):
        casework.contact_follow_up_done(contact=contact, actor=staff)


# --- caseload -----------------------------------------------------------------------------------


def test_end_of_week_is_sunday() -> None:
    assert end_of_week(date(2026, 3, 11)) == date(2026, 3, 15)
    assert end_of_week(date(2026, 3, 15)) == date(2026, 3, 15)


def test_caseload_puts_overdue_follow_ups_first(staff: User, wednesday: date) -> None:
    other_staff = UserFactory.create(role="staff")
    later = CandidateFactory.create(last_name="Adams", owner=staff)
    ContactLogFactory.create(candidate=later, follow_up_on=wednesday + timedelta(days=20))
    nothing = CandidateFactory.create(last_name="Aaron", owner=staff)
    overdue = CandidateFactory.create(last_name="Young", owner=staff)
    ContactLogFactory.create(candidate=overdue, follow_up_on=wednesday - timedelta(days=3))
    ContactLogFactory.create(candidate=overdue, follow_up_on=wednesday - timedelta(days=1))
    this_week = CandidateFactory.create(last_name="Zed", owner=staff)
    ContactLogFactory.create(candidate=this_week, follow_up_on=wednesday + timedelta(days=2))
    # Done follow-ups, other people's records and closed records do not count.
    done = CandidateFactory.create(last_name="Baker", owner=staff)
    ContactLogFactory.create(
        candidate=done, follow_up_on=wednesday - timedelta(days=9), follow_up_done_at=timezone.now()
    )
    ContactLogFactory.create(candidate=CandidateFactory.create(owner=other_staff), follow_up_on=wednesday)
    CandidateFactory.create(owner=staff, stage=PipelineStage.objects.get(slug="closed"))

    rows = list(caseload_for(user=staff, today=wednesday))
    assert rows == [overdue, this_week, later, nothing, done]
    assert rows[0].overdue_count == 2  # type: ignore[attr-defined]
    assert rows[0].next_follow_up == wednesday - timedelta(days=3)  # type: ignore[attr-defined]
    assert rows[1].overdue_count == 0  # type: ignore[attr-defined]


def test_follow_ups_due_are_overdue_and_this_weeks(staff: User, wednesday: date) -> None:
    mine = CandidateFactory.create(owner=staff)
    overdue = ContactLogFactory.create(candidate=mine, follow_up_on=wednesday - timedelta(days=1))
    sunday = ContactLogFactory.create(candidate=mine, follow_up_on=date(2026, 3, 15))
    ContactLogFactory.create(candidate=mine, follow_up_on=date(2026, 3, 16))  # next week
    ContactLogFactory.create(candidate=mine, follow_up_on=wednesday, follow_up_done_at=timezone.now())
    due = list(follow_ups_due_for(user=staff, today=wednesday))
    assert due == [overdue, sunday]
    assert [c.is_overdue for c in due] == [True, False]  # type: ignore[attr-defined]


def test_caseload_page(staff_client: Client, staff: User, wednesday: date) -> None:
    mine = CandidateFactory.create(first_name="Olive", last_name="Overdue", owner=staff)
    ContactLogFactory.create(candidate=mine, summary="Asked for ID", follow_up_on=wednesday - timedelta(days=2))
    CandidateFactory.create(first_name="Nora", last_name="Notmine")
    page = html(staff_client.get(reverse("candidates:caseload")))
    assert "Olive Overdue" in page
    assert "Nora Notmine" not in page
    assert "Overdue" in page and "1 overdue" in page
    assert "Asked for ID" in page
    assert "Enquiry" in page  # the stage
    assert reverse("candidates:contact-complete", kwargs={"public_id": mine.contacts.get().public_id}) in page


def test_caseload_empty(staff_client: Client) -> None:
    page = html(staff_client.get(reverse("candidates:caseload")))
    assert "You do not own any open records" in page
    assert "Nothing is overdue" in page


def _add_caseload(staff: User, n: int) -> None:
    for i in range(n):
        candidate = CandidateFactory.create(owner=staff)
        ContactLogFactory.create(candidate=candidate, follow_up_on=timezone.localdate() + timedelta(days=i % 5 - 2))


def test_caseload_query_count_does_not_grow(staff_client: Client, staff: User, django_assert_num_queries) -> None:
    url = reverse("candidates:caseload")
    staff_client.get(url)
    _add_caseload(staff, 2)
    with django_assert_num_queries(6):
        assert staff_client.get(url).status_code == 200
    _add_caseload(staff, 20)
    with django_assert_num_queries(6):
        assert staff_client.get(url).status_code == 200


# --- action plan --------------------------------------------------------------------------------


def plan_url(candidate: Candidate) -> str:
    return reverse("candidates:action-plan", kwargs={"public_id": candidate.public_id})


def test_add_an_action_and_mark_it_done(staff_client: Client, staff: User, walk_in: Candidate) -> None:
    response = staff_client.post(
        plan_url(walk_in),
        {
            "goal": "Get a DBS check",
            "action": "Bring two forms of ID",
            "owner": "The learner",
            "due_on_0": "1",
            "due_on_1": "4",
            "due_on_2": "2026",
        },
    )
    assert response.status_code == 302
    item = ActionPlanItem.objects.get(candidate=walk_in)
    assert (item.goal, item.owner, item.due_on) == ("Get a DBS check", "The learner", date(2026, 4, 1))
    done_url = reverse("candidates:action-item-complete", kwargs={"public_id": item.public_id})
    assert done_url in html(staff_client.get(plan_url(walk_in)))
    assert staff_client.post(done_url).status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None
    actions = AuditEntry.objects.filter(object_id=str(walk_in.pk)).values_list("action", flat=True)
    assert {"candidate.action_item", "candidate.action_done"} <= set(actions)


def test_action_form_errors(staff_client: Client, walk_in: Candidate) -> None:
    response = staff_client.post(plan_url(walk_in), {"goal": "", "action": "x", "owner": "y", "due_on_0": "40"})
    page = html(response)
    assert "<title>Error: Skills action plan" in page
    assert "Due date must include a day, month and year" in page


def test_action_plan_highlights_overdue_actions_and_reviews(
    staff_client: Client, walk_in: Candidate, wednesday: date
) -> None:
    ActionPlanItemFactory.create(candidate=walk_in, action="Late action", due_on=wednesday - timedelta(days=1))
    ActionPlanItemFactory.create(candidate=walk_in, action="Future action", due_on=wednesday + timedelta(days=1))
    ActionPlanReviewFactory.create(candidate=walk_in, review_on=wednesday - timedelta(days=7))
    page = html(staff_client.get(plan_url(walk_in)))
    assert page.count("govuk-tag--red") == 2
    assert page.index("Late action") < page.index("Future action")
    assert "Record this review" in page


def review_url(candidate: Candidate) -> str:
    return reverse("candidates:action-review-create", kwargs={"public_id": candidate.public_id})


def test_plan_a_review_then_record_it(staff_client: Client, staff: User, walk_in: Candidate, wednesday: date) -> None:
    response = staff_client.post(
        review_url(walk_in), {"held": "no", "review_on_0": "25", "review_on_1": "3", "review_on_2": "2026"}
    )
    assert response.status_code == 302
    review = ActionPlanReview.objects.get(candidate=walk_in)
    assert review.review_on == date(2026, 3, 25)
    assert review.reviewed_at is None

    url = f"{review_url(walk_in)}?review={review.public_id}"
    assert "Record the review planned for 25 March 2026" in html(staff_client.get(url))
    response = staff_client.post(
        url,
        {"held": "yes", "review_on_0": "11", "review_on_1": "3", "review_on_2": "2026", "notes": "Good progress"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.reviewed_by == staff
    assert review.notes == "Good progress"
    assert ActionPlanReview.objects.count() == 1
    # Once recorded, it cannot be recorded again through its link.
    assert staff_client.get(url).status_code == 404


def test_review_dates_must_fit_what_happened(staff_client: Client, walk_in: Candidate, wednesday: date) -> None:
    held_in_future = {"held": "yes", "review_on_0": "12", "review_on_1": "3", "review_on_2": "2026"}
    assert "cannot be in the future" in html(staff_client.post(review_url(walk_in), held_in_future))
    planned_in_past = {"held": "no", "review_on_0": "10", "review_on_1": "3", "review_on_2": "2026"}
    assert "must be today or later" in html(staff_client.post(review_url(walk_in), planned_in_past))
    assert not ActionPlanReview.objects.exists()


def test_another_candidates_review_cannot_be_recorded(staff_client: Client, walk_in: Candidate) -> None:
    other = ActionPlanReviewFactory.create()
    assert staff_client.get(f"{review_url(walk_in)}?review={other.public_id}").status_code == 404
    assert staff_client.get(f"{review_url(walk_in)}?review=not-a-uuid").status_code == 404
