"""Screening and selection events: people taking part, results, outcomes, the split, feedback emails."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import (
    Candidate,
    ContactLog,
    EqualityMonitoring,
    PipelineStage,
    SelectionEvent,
)
from candidates.selectors.selection import selection_event_detail
from candidates.services.selection import ResultData, selection_add_candidates, selection_result_record
from tests.candidates.factories_casework import SelectionEventFactory, SelectionResultFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


@pytest.fixture
def screening() -> PipelineStage:
    return PipelineStage.objects.get(slug="screening")


def detail_url(event: SelectionEvent) -> str:
    return reverse("candidates:selection-detail", kwargs={"public_id": event.public_id})


def result_url(event: SelectionEvent, candidate: Candidate) -> str:
    return reverse(
        "candidates:selection-result", kwargs={"public_id": event.public_id, "candidate_id": candidate.public_id}
    )


def result_form(**overrides: str) -> dict[str, str]:
    data = {"values_score": "8", "literacy_level": "level_1", "numeracy_level": "entry_3", "interview": "passed"}
    data.update(overrides)
    return data


def in_a_week() -> dict[str, str]:
    day = timezone.localdate() + timedelta(days=7)
    return {"follow_up_on_0": str(day.day), "follow_up_on_1": str(day.month), "follow_up_on_2": str(day.year)}


# --- events and people --------------------------------------------------------------------------


def test_create_an_event(staff_client: Client, staff: User) -> None:
    response = staff_client.post(
        reverse("candidates:selection-create"),
        {"title": "March selection day", "held_on_0": "14", "held_on_1": "3", "held_on_2": "2026", "location": "Hub"},
    )
    event = SelectionEvent.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert (event.title, event.held_on, event.created_by) == ("March selection day", date(2026, 3, 14), staff)
    assert AuditEntry.objects.filter(action="selection.create", object_id=str(event.pk)).exists()


def test_event_page_offers_people_in_screening_and_never_equality_data(
    staff_client: Client, screening: PipelineStage
) -> None:
    event = SelectionEventFactory.create()
    waiting = CandidateFactory.create(first_name="Sam", last_name="Screening", stage=screening)
    EqualityMonitoring.objects.create(candidate=waiting, sex="male", ethnicity="white_roma", religion="sikh")
    CandidateFactory.create(first_name="Ed", last_name="Enquiry")
    page = html(staff_client.get(detail_url(event)))
    assert "Sam Screening" in page
    assert f'value="{waiting.public_id}"' in page
    assert "Ed Enquiry" not in page
    for answer in ("Male", "Roma", "Sikh"):
        assert answer not in page
    assert not AuditEntry.objects.filter(action="equality.view").exists()


def test_search_finds_anyone_by_name_or_email(staff_client: Client) -> None:
    event = SelectionEventFactory.create()
    jo = CandidateFactory.create(first_name="Jo", last_name="Bloggs", email="jo.b@example.org")
    CandidateFactory.create(first_name="Jo", last_name="Other")
    page = html(staff_client.get(detail_url(event), {"q": "jo bloggs"}))
    assert f'value="{jo.public_id}"' in page
    assert "Jo Other" not in page
    assert f'value="{jo.public_id}"' in html(staff_client.get(detail_url(event), {"q": "JO.B@example"}))


def test_add_people_skips_those_already_there(staff_client: Client, staff: User, screening: PipelineStage) -> None:
    event = SelectionEventFactory.create()
    a = CandidateFactory.create(stage=screening)
    b = CandidateFactory.create(stage=screening)
    url = reverse("candidates:selection-add", kwargs={"public_id": event.public_id})
    response = staff_client.post(url, {"candidates": [str(a.public_id), str(b.public_id)]})
    assert response.status_code == 302
    assert set(event.results.values_list("candidate", flat=True)) == {a.pk, b.pk}
    assert set(event.results.values_list("outcome", flat=True)) == {"pending"}
    staff_client.post(url, {"candidates": [str(a.public_id)]})
    assert event.results.count() == 2
    assert AuditEntry.objects.filter(action="selection.add").count() == 2
    # And they are no longer offered.
    assert f'value="{a.public_id}"' not in html(staff_client.get(detail_url(event)))


def test_add_without_anyone_ticked_says_so(staff_client: Client) -> None:
    event = SelectionEventFactory.create()
    url = reverse("candidates:selection-add", kwargs={"public_id": event.public_id})
    response = staff_client.post(url, {}, follow=True)
    assert "Select at least one person to add" in html(response)


# --- results and outcomes -----------------------------------------------------------------------


def test_record_accepted_results_and_move_to_the_next_stage(
    staff_client: Client, staff: User, screening: PipelineStage
) -> None:
    result = SelectionResultFactory.create(candidate__stage=screening)
    candidate = result.candidate
    url = result_url(result.event, candidate)
    assert f"Also move {candidate.full_name} from Screening to On course" in html(staff_client.get(url))
    response = staff_client.post(url, result_form(outcome="accepted", move_to_next_stage="on"))
    assert response.status_code == 302
    result.refresh_from_db()
    candidate.refresh_from_db()
    assert (result.values_score, result.outcome, result.decided_by) == (8, "accepted", staff)
    assert candidate.stage.slug == "on_course"
    assert candidate.stage_changes.filter(to_stage__slug="on_course", changed_by=staff).exists()


def test_moving_on_is_only_for_accepted(staff_client: Client, screening: PipelineStage) -> None:
    result = SelectionResultFactory.create(candidate__stage=screening)
    response = staff_client.post(
        result_url(result.event, result.candidate), result_form(outcome="pending", move_to_next_stage="on")
    )
    assert "Only move someone to the next stage when they are accepted" in html(response)
    result.candidate.refresh_from_db()
    assert result.candidate.stage == screening


def test_accepted_without_moving_keeps_the_stage(staff_client: Client, screening: PipelineStage) -> None:
    result = SelectionResultFactory.create(candidate__stage=screening)
    staff_client.post(result_url(result.event, result.candidate), result_form(outcome="accepted"))
    result.candidate.refresh_from_db()
    assert result.candidate.stage == screening


def test_referral_needs_a_partner_and_a_follow_up_date(staff_client: Client, staff: User) -> None:
    result = SelectionResultFactory.create()
    url = result_url(result.event, result.candidate)
    page = html(staff_client.post(url, result_form(outcome="referred")))
    assert f"Choose who {result.candidate.full_name} is referred to" in page
    assert "Enter the date to follow up the referral" in page
    assert 'href="#id_referred_to_1"' in page
    result.refresh_from_db()
    assert result.outcome == "pending"

    response = staff_client.post(url, result_form(outcome="referred", referred_to="college", **in_a_week()))
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.outcome, result.referred_to) == ("referred", "college")
    assert result.follow_up_on == timezone.localdate() + timedelta(days=7)
    # The referral's follow-up goes into the contact log, so it shows in the owner's caseload.
    follow_up = ContactLog.objects.get(candidate=result.candidate)
    assert follow_up.follow_up_on == result.follow_up_on
    assert "College partner" in follow_up.summary
    # Saving again does not add a second follow-up.
    staff_client.post(url, result_form(outcome="referred", referred_to="college", **in_a_week()))
    assert ContactLog.objects.filter(candidate=result.candidate).count() == 1


def test_referral_details_are_cleared_for_another_outcome(staff: User) -> None:
    result = SelectionResultFactory.create()
    referred = ResultData(
        values_score=5,
        literacy_level="",
        numeracy_level="",
        interview="passed",
        outcome="referred",
        referred_to="jobcentre",
        follow_up_on=timezone.localdate(),
    )
    selection_result_record(result=result, actor=staff, data=referred)
    accepted = ResultData(
        values_score=5,
        literacy_level="",
        numeracy_level="",
        interview="passed",
        outcome="accepted",
        referred_to="jobcentre",
    )
    selection_result_record(result=result, actor=staff, data=accepted)
    result.refresh_from_db()
    assert (result.referred_to, result.follow_up_on) == ("", None)


def test_not_accepted_needs_feedback_and_emails_it_once(
    staff_client: Client, django_capture_on_commit_callbacks
) -> None:
    result = SelectionResultFactory.create(candidate__email="nat@example.org", candidate__first_name="Nat")
    url = result_url(result.event, result.candidate)
    page = html(staff_client.post(url, result_form(outcome="not_accepted")))
    assert "Enter constructive feedback for" in page

    feedback = "Show more about why you want to care for people; your listening was excellent."
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, result_form(outcome="not_accepted", feedback=feedback))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nat@example.org"]
    assert "Hello Nat" in message.body
    assert feedback in message.body
    assert result.event.title in message.body
    result.refresh_from_db()
    assert result.feedback_sent_at is not None
    assert AuditEntry.objects.get(action="selection.result").data["feedback_emailed"] is True

    # Saving again (even with changed feedback) does not email again.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, result_form(outcome="not_accepted", feedback=feedback + " Good luck."))
    assert len(mail.outbox) == 1
    assert "Changes to it are saved but not emailed again" in html(staff_client.get(url))


def test_not_accepted_without_an_email_address_warns_staff(
    staff_client: Client, django_capture_on_commit_callbacks
) -> None:
    result = SelectionResultFactory.create(candidate__email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            result_url(result.event, result.candidate),
            result_form(outcome="not_accepted", feedback="Keep going."),
            follow=True,
        )
    assert "has no email address: give them the feedback by phone or letter" in html(response)
    assert mail.outbox == []


def test_no_email_when_the_transaction_rolls_back(staff: User, django_capture_on_commit_callbacks) -> None:
    result = SelectionResultFactory.create()
    data = ResultData(
        values_score=2,
        literacy_level="",
        numeracy_level="",
        interview="not_passed",
        outcome="not_accepted",
        feedback="x",
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        selection_result_record(result=result, actor=staff, data=data)
        raise RuntimeError("something later in the same transaction failed")
    result.refresh_from_db()
    assert result.feedback_sent_at is None
    assert mail.outbox == []


def test_moving_on_from_the_last_stage_fails_cleanly(staff: User, django_capture_on_commit_callbacks) -> None:
    result = SelectionResultFactory.create(candidate__stage=PipelineStage.objects.get(slug="sustained"))
    data = ResultData(
        values_score=9, literacy_level="", numeracy_level="", interview="passed", outcome="accepted", feedback="x"
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        # There is no open stage after "Sustained", so moving on fails: nothing is saved or sent.
        selection_result_record(result=result, actor=staff, data=data, move_to_next_stage=True)
    result.refresh_from_db()
    assert result.outcome == "pending"
    assert mail.outbox == []


def test_a_referred_person_who_comes_back_is_the_same_record(staff: User, screening: PipelineStage) -> None:
    person = CandidateFactory.create(first_name="Rita", last_name="Returner", stage=screening)
    first = SelectionEventFactory.create(title="January selection", held_on=date(2026, 1, 10))
    selection_add_candidates(event=first, actor=staff, candidates=[person])
    selection_result_record(
        result=first.results.get(),
        actor=staff,
        data=ResultData(
            values_score=7,
            literacy_level="entry_2",
            numeracy_level="entry_3",
            interview="passed",
            outcome="referred",
            referred_to="college",
            follow_up_on=timezone.localdate() + timedelta(days=30),
        ),
    )
    later = SelectionEventFactory.create(title="June selection", held_on=date(2026, 6, 10))
    added = selection_add_candidates(event=later, actor=staff, candidates=[person])
    assert [r.candidate_id for r in added] == [person.pk]
    assert person.selection_results.count() == 2


def test_both_results_show_on_the_record(staff_client: Client, staff: User) -> None:
    person = CandidateFactory.create()
    SelectionResultFactory.create(
        candidate=person, event__title="January selection", outcome="referred", referred_to="college"
    )
    SelectionResultFactory.create(candidate=person, event__title="June selection", outcome="accepted")
    page = html(staff_client.get(person.get_absolute_url()))
    assert "January selection" in page and "June selection" in page


# --- the event page: split and flags ------------------------------------------------------------


def _screen(event: SelectionEvent, outcome: str, n: int, **fields: str) -> None:
    for _ in range(n):
        SelectionResultFactory.create(event=event, outcome=outcome, **fields)


def test_event_page_shows_the_split() -> None:
    event = SelectionEventFactory.create()
    _screen(event, "accepted", 16)
    _screen(event, "referred", 3, referred_to="jobcentre")
    _screen(event, "not_accepted", 1)
    split = selection_event_detail(event).split
    assert (split.screened, split.accepted, split.referred, split.not_accepted, split.pending) == (20, 16, 3, 1, 0)


def test_event_page_split_text(staff_client: Client) -> None:
    event = SelectionEventFactory.create()
    _screen(event, "accepted", 16)
    _screen(event, "referred", 3, referred_to="college")
    _screen(event, "not_accepted", 1)
    page = html(staff_client.get(detail_url(event)))
    text = " ".join(page.split())
    assert "Of 20 screened: 16 accepted (80%), 3 referred (15%), 1 not accepted (5%)" in text
    assert "Share of 20 screened" in text
    _screen(event, "pending", 2)
    page = html(staff_client.get(detail_url(event)))
    text = " ".join(page.split())
    assert "Of 22 screened: 16 accepted (73%), 3 referred (14%), 1 not accepted (5%), 2 not decided yet (9%)" in text


def test_levels_below_the_minimum_are_flagged(staff_client: Client, settings) -> None:
    settings.SCREENING_MINIMUM_LEVEL = "entry_3"
    event = SelectionEventFactory.create()
    low = SelectionResultFactory.create(event=event, literacy_level="entry_2", numeracy_level="entry_3")
    ok = SelectionResultFactory.create(event=event, literacy_level="level_1", numeracy_level="level_2")
    results = {r.pk: r for r in selection_event_detail(event).results}
    assert results[low.pk].literacy_below_minimum is True  # type: ignore[attr-defined]
    assert results[low.pk].numeracy_below_minimum is False  # type: ignore[attr-defined]
    assert results[ok.pk].literacy_below_minimum is False  # type: ignore[attr-defined]
    page = html(staff_client.get(detail_url(event)))
    assert page.count("Below Entry 3</strong>") == 1
    settings.SCREENING_MINIMUM_LEVEL = "level_1"
    assert html(staff_client.get(detail_url(event))).count("Below Level 1</strong>") == 2


def test_result_page_for_someone_not_at_the_event_is_404(staff_client: Client, walk_in: Candidate) -> None:
    event = SelectionEventFactory.create()
    assert staff_client.get(result_url(event, walk_in)).status_code == 404


def test_values_score_must_be_0_to_10(staff_client: Client) -> None:
    result = SelectionResultFactory.create()
    page = html(
        staff_client.post(result_url(result.event, result.candidate), result_form(values_score="11", outcome="pending"))
    )
    assert "The values score must be between 0 and 10" in page


# --- query counts -------------------------------------------------------------------------------


def test_selection_list_query_count_does_not_grow(staff_client: Client, django_assert_num_queries) -> None:
    url = reverse("candidates:selection-list")
    staff_client.get(url)
    for n in (2, 20):
        for _ in range(n):
            _screen(SelectionEventFactory.create(), "accepted", 2)
        with django_assert_num_queries(5):
            assert staff_client.get(url).status_code == 200


def test_selection_detail_query_count_does_not_grow(
    staff_client: Client, screening: PipelineStage, django_assert_num_queries
) -> None:
    event = SelectionEventFactory.create()
    url = detail_url(event)
    staff_client.get(url)
    for n in (2, 20):
        _screen(event, "accepted", n)
        for _ in range(n):
            CandidateFactory.create(stage=screening)  # people offered to add
        with django_assert_num_queries(7):
            assert staff_client.get(url).status_code == 200


def test_a_long_list_of_people_to_add_is_capped_with_a_hint(
    staff_client: Client, screening: PipelineStage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("candidates.selectors.selection.ADD_CHOICES_LIMIT", 2)
    event = SelectionEventFactory.create()
    CandidateFactory.create_batch(3, stage=screening)
    page = html(staff_client.get(detail_url(event)))
    assert page.count('name="candidates"') == 2
    assert "Only the first 2 are shown" in page
