"""Outcome pages: the HTTP contract, forms that re-show with errors, and list query counts that do not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placements.models import FollowUp, Outcome
from placements.services.follow_ups import follow_ups_sweep
from tests.factories import CandidateFactory
from tests.placements.factories_outcomes import FundingStreamFactory, OutcomeFactory, attribute

pytestmark = pytest.mark.django_db


def _rows(count, provider):
    today = timezone.localdate()
    stream = FundingStreamFactory.create(start_date=today - dt.timedelta(days=400))
    for _ in range(count):
        outcome = OutcomeFactory.create(provider=provider, start_date=today - dt.timedelta(weeks=5))
        FollowUp.objects.create(outcome=outcome, stream=stream, week=4, due_on=today - dt.timedelta(weeks=1))


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("staff", "placements:outcome-list"),
        ("staff", "placements:follow-ups-due"),
        ("provider_user", "placements:follow-ups-due"),
        ("staff", "placements:retention"),
    ],
)
def test_list_query_counts_do_not_grow(client_for, provider_a, persona, name):
    client = client_for(persona)
    url = reverse(name)
    _rows(2, provider_a)
    _queries(client, url)  # the first request of a session writes it
    few = _queries(client, url)
    _rows(6, provider_a)
    assert _queries(client, url) == few


def test_recording_an_outcome_refused_re_shows_the_form_with_what_was_typed(client_for):
    person = CandidateFactory.create(first_name="Rita", last_name="Reyes")
    url = reverse("placements:outcome-create") + f"?candidate={person.public_id}"
    response = client_for("staff").post(
        url,
        {
            "kind": "paid_job_care",
            "employer_name": "Sunrise Homes",
            "start_date_0": "1",
            "start_date_1": "1",
            "start_date_2": "2001",
            "hours_per_week": "-3",
            "evidence": "payslip",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hours per week cannot be negative" in page
    assert "Sunrise Homes" in page
    assert not Outcome.objects.exists()


def test_staff_find_the_learner_then_record_the_outcome(client_for):
    person = CandidateFactory.create(first_name="Rita", last_name="Reyes")
    client = client_for("staff")
    search = client.get(reverse("placements:outcome-create"), {"q": "reyes"})
    assert f"?candidate={person.public_id}" in search.content.decode()
    today = timezone.localdate()
    response = client.post(
        reverse("placements:outcome-create") + f"?candidate={person.public_id}",
        {
            "kind": "volunteering",
            "employer_name": "Food bank",
            "start_date_0": today.day,
            "start_date_1": today.month,
            "start_date_2": today.year,
            "evidence": "learner_statement",
        },
    )
    outcome = Outcome.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("placements:outcome-detail", kwargs={"public_id": outcome.public_id})
    assert "Food bank" in client.get(response["Location"]).content.decode()


def test_a_second_answer_on_the_page_is_refused_clearly(client_for, provider_a):
    _rows(1, provider_a)
    follow_up = FollowUp.objects.get()
    client = client_for("provider_user")
    url = reverse("placements:follow-up-answer", kwargs={"public_id": follow_up.public_id})
    assert client.post(url, {"still_employed": "1"}).status_code == 302
    again = client.post(url, {"still_employed": "1"}, follow=True)
    assert "cannot be answered twice" in again.content.decode()
    assert FollowUp.objects.get().result == "still_employed"


def test_the_left_answer_needs_a_date_and_reason(client_for, provider_a):
    _rows(1, provider_a)
    follow_up = FollowUp.objects.get()
    url = reverse("placements:follow-up-answer", kwargs={"public_id": follow_up.public_id})
    response = client_for("provider_user").post(url, {"leaving_reason": "resigned"})
    assert response.status_code == 200
    assert "Enter the date they left" in response.content.decode()
    assert FollowUp.objects.get().result == "pending"


def test_the_learner_sees_their_own_outcomes(client_for, candidate):
    OutcomeFactory.create(candidate=candidate, employer_name="Meadow View Care")
    OutcomeFactory.create(employer_name="Someone Else Ltd")
    page = client_for("learner").get(reverse("placements:my-outcomes")).content.decode()
    assert "Meadow View Care" in page
    assert "Someone Else Ltd" not in page


def test_staff_add_an_apprenticeships_levy_terms_later(client_for, provider_a):
    outcome = OutcomeFactory.create(kind="apprenticeship", provider=provider_a, employer_name="")
    url = reverse("placements:outcome-edit", kwargs={"public_id": outcome.public_id})
    client = client_for("staff")
    assert client.get(url).status_code == 200
    form = {
        "provider": str(provider_a.public_id),
        "role": "Apprentice care worker",
        "hours_per_week": "30",
        "contract_type": "apprenticeship",
        "evidence": "provider_confirmation",
        "levy_status": "non_levy",
    }
    refused = client.post(url, form)
    assert "co-investment share" in refused.content.decode()
    assert client.post(url, {**form, "co_investment_percent": "5"}).status_code == 302
    outcome.refresh_from_db()
    assert (outcome.levy_status, str(outcome.co_investment_percent)) == ("non_levy", "5.00")


def test_the_detail_page_shows_each_streams_follow_ups_and_the_reminders_sent(client_for, provider_a, staff):
    today = timezone.localdate()
    stream = FundingStreamFactory.create(name="Pathway North", start_date=today - dt.timedelta(days=400))
    person = CandidateFactory.create(owner=staff)
    attribute(person, stream)
    outcome = OutcomeFactory.create(candidate=person, provider=provider_a, start_date=today - dt.timedelta(weeks=5))
    FollowUp.objects.create(outcome=outcome, stream=stream, week=4, due_on=today - dt.timedelta(weeks=1))
    follow_ups_sweep(today=today)
    page = client_for("staff").get(reverse("placements:outcome-detail", kwargs={"public_id": outcome.public_id}))
    text = page.content.decode()
    assert "Pathway North" in text
    assert "round 1 to academy staff" in text
    assert reverse("placements:follow-up-answer", kwargs={"public_id": FollowUp.objects.get().public_id}) in text


def test_the_due_list_asks_once_per_person_and_date_across_streams(client_for, provider_a):
    today = timezone.localdate()
    first = FundingStreamFactory.create(name="Stream One", start_date=today - dt.timedelta(days=400))
    second = FundingStreamFactory.create(name="Stream Two", start_date=today - dt.timedelta(days=400))
    outcome = OutcomeFactory.create(provider=provider_a, start_date=today - dt.timedelta(weeks=5))
    for stream in (first, second):
        FollowUp.objects.create(outcome=outcome, stream=stream, week=4, due_on=today - dt.timedelta(weeks=1))
    page = client_for("staff").get(reverse("placements:follow-ups-due")).content.decode()
    assert "1 follow-up waiting" in page
    assert "and 1 more" in page
    only_second = client_for("staff").get(reverse("placements:follow-ups-due"), {"stream": second.public_id})
    assert "Stream Two" in only_second.content.decode()
