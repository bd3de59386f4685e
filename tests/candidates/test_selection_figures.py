"""Selection figures that state their denominators, and referrals followed to their re-screening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import SelectionEvent, SelectionResult
from candidates.selectors.selection import ReferralFollowUp, selection_event_detail
from candidates.services.selection import ResultData, selection_add_candidates, selection_result_record
from tests.candidates.factories_casework import SelectionEventFactory, SelectionResultFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Outcome = SelectionResult.Outcome


def _screen(event: SelectionEvent, outcome: str, n: int) -> list[SelectionResult]:
    extra = {"referred_to": "college"} if outcome == Outcome.REFERRED else {}
    return [SelectionResultFactory.create(event=event, outcome=outcome, **extra) for _ in range(n)]


def _text(response) -> str:
    return " ".join(response.content.decode().split())


# --- shares of those screened ---


def test_the_split_gives_each_outcome_as_a_share_of_those_screened() -> None:
    event = SelectionEventFactory.create()
    _screen(event, Outcome.ACCEPTED, 10)
    _screen(event, Outcome.REFERRED, 6)
    _screen(event, Outcome.NOT_ACCEPTED, 5)
    _screen(event, Outcome.PENDING, 3)

    split = selection_event_detail(event).split

    assert split.screened == 24
    shares = (split.accepted_percent, split.referred_percent, split.not_accepted_percent, split.pending_percent)
    assert shares == (42, 25, 21, 13)  # 12.5% rounds half up
    assert split.rows[0] == ("Accepted", 10, 42)


def test_the_event_page_and_list_state_the_denominator(client_for: Callable[[str], Client]) -> None:
    event = SelectionEventFactory.create()
    _screen(event, Outcome.ACCEPTED, 10)
    _screen(event, Outcome.REFERRED, 6)
    _screen(event, Outcome.NOT_ACCEPTED, 8)
    client = client_for("staff")

    page = _text(client.get(event.get_absolute_url()))
    listing = _text(client.get(reverse("candidates:selection-list")))

    assert "Of 24 screened: 10 accepted (42%), 6 referred (25%), 8 not accepted (33%)" in page
    assert "Share of 24 screened" in page
    assert "share of the people screened" in listing
    assert '10 <span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">42%</span>' in listing


def test_an_event_nobody_attended_shows_no_shares(client_for: Callable[[str], Client]) -> None:
    event = SelectionEventFactory.create()

    assert "Nobody screened yet" in _text(client_for("staff").get(event.get_absolute_url()))


# --- referrals followed to their re-screening ---


def _events() -> tuple[SelectionEvent, SelectionEvent]:
    today = timezone.localdate()
    earlier = SelectionEventFactory.create(title="March selection day", held_on=today - timedelta(days=60))
    later = SelectionEventFactory.create(title="May selection day", held_on=today)
    return earlier, later


def _decide(
    result: SelectionResult, actor: User, outcome: str, referred_to: str = "", follow_up_on: date | None = None
) -> SelectionResult:
    data = ResultData(
        values_score=8,
        literacy_level="level_1",
        numeracy_level="level_1",
        interview="passed",
        outcome=outcome,
        referred_to=referred_to,
        follow_up_on=follow_up_on,
    )
    return selection_result_record(result=result, actor=actor, data=data)


def test_a_person_referred_and_screened_again_has_the_later_result_linked_to_the_referral(staff: User) -> None:
    earlier, later = _events()
    referral = SelectionResultFactory.create(event=earlier, outcome=Outcome.REFERRED, referred_to="college")
    other = CandidateFactory.create()

    added = selection_add_candidates(event=later, actor=staff, candidates=[referral.candidate, other])

    linked = {result.candidate_id: result.follows_referral_id for result in SelectionResult.objects.filter(event=later)}
    assert linked == {referral.candidate_id: referral.pk, other.pk: None}
    assert added[0].follows_referral == referral
    entry = AuditEntry.objects.get(action="selection.add", object_id=str(referral.candidate.pk))
    assert entry.data["follows_referral_at"] == str(earlier.public_id)


def test_only_an_open_referral_from_an_earlier_event_is_linked(staff: User) -> None:
    earlier, later = _events()
    accepted = SelectionResultFactory.create(event=earlier, outcome=Outcome.ACCEPTED)
    referral = SelectionResultFactory.create(event=earlier, outcome=Outcome.REFERRED, referred_to="college")
    selection_add_candidates(event=later, actor=staff, candidates=[accepted.candidate, referral.candidate])
    # A third event: the referral has been followed already, so nothing links to it again.
    third = SelectionEventFactory.create(held_on=timezone.localdate() + timedelta(days=30))
    selection_add_candidates(event=third, actor=staff, candidates=[referral.candidate])
    # An event before the referral does not follow it.
    before = SelectionEventFactory.create(held_on=earlier.held_on - timedelta(days=30))
    selection_add_candidates(event=before, actor=staff, candidates=[referral.candidate])

    assert SelectionResult.objects.get(event=later, candidate=accepted.candidate).follows_referral is None
    assert SelectionResult.objects.get(event=third).follows_referral is None
    assert SelectionResult.objects.get(event=before).follows_referral is None
    assert SelectionResult.objects.filter(follows_referral=referral).count() == 1


def test_a_referral_recorded_after_the_person_was_added_to_a_later_event_still_links(staff: User) -> None:
    earlier, later = _events()
    first = SelectionResultFactory.create(event=earlier)
    second = selection_add_candidates(event=later, actor=staff, candidates=[first.candidate])[0]
    assert second.follows_referral is None

    _decide(first, staff, Outcome.REFERRED, referred_to="college", follow_up_on=timezone.localdate())
    _decide(second, staff, Outcome.ACCEPTED)

    second.refresh_from_db()
    assert second.follows_referral == first


def test_the_event_page_shows_what_became_of_each_referral(
    staff: User, client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    earlier, later = _events()
    referrals = _screen(earlier, Outcome.REFERRED, 4)
    _screen(earlier, Outcome.ACCEPTED, 2)
    selection_add_candidates(event=later, actor=staff, candidates=[r.candidate for r in referrals[:3]])
    rescreened = {r.candidate_id: r for r in SelectionResult.objects.filter(event=later)}
    SelectionResult.objects.filter(pk=rescreened[referrals[0].candidate_id].pk).update(outcome=Outcome.ACCEPTED)
    SelectionResult.objects.filter(pk=rescreened[referrals[1].candidate_id].pk).update(outcome=Outcome.NOT_ACCEPTED)

    with django_assert_num_queries(2):
        detail = selection_event_detail(earlier)

    assert detail.referrals == ReferralFollowUp(referred=4, accepted=1, not_accepted=1, referred_again=0, undecided=1)
    assert detail.referrals.not_yet == 1
    page = _text(client_for("staff").get(earlier.get_absolute_url()))
    assert "Of the 4 people referred to build skills, 3 have been screened again" in page
    assert (
        "(1 accepted, 1 not accepted, 0 referred again, 1 not decided yet) and 1 has not been screened again yet"
        in page
    )
    assert page.count("Screened again at") == 3 and page.count("Not screened again yet") == 1
    assert "May selection day</a>" in page
    later_page = _text(client_for("staff").get(later.get_absolute_url()))
    assert later_page.count("Back after a referral at") == 3
