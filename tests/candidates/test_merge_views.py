"""The merge screen: side by side on GET, merge on POST; scope, errors and query count."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from academy.models import Role, User
from candidates.models import Candidate, ContactLog, EqualityMonitoring
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def merge_url(first: Candidate, second: Candidate) -> str:
    return reverse("candidates:candidate-merge", kwargs={"public_id": first.public_id, "other_id": second.public_id})


@pytest.fixture
def pair() -> tuple[Candidate, Candidate]:
    same = {"last_name": "Smith", "date_of_birth": None}
    first = CandidateFactory.create(first_name="Ann", email="ann@example.org", phone="0113 496 0000", **same)
    second = CandidateFactory.create(first_name="Anne", email="ANN@example.org", phone="07700 900123", **same)
    return first, second


@pytest.fixture
def client(client_for: Callable[[str], Client]) -> Client:
    client = client_for("staff")
    client.get(reverse("candidates:import-create"))  # the first request of a staff session writes its idle expiry
    return client


def test_side_by_side_without_equality_answers(client: Client, pair: tuple[Candidate, Candidate]) -> None:
    first, second = pair
    EqualityMonitoring.objects.create(candidate=second, ethnicity="asian_indian", religion="muslim")
    response = client.get(merge_url(first, second))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Why they look like one person: same email." in content
    assert "0113 496 0000" in content and "07700 900123" in content
    assert "Equality monitoring answers" in content and "Given" in content
    assert "Indian" not in content and "Muslim" not in content
    assert 'name="keep_first_name"' in content and 'name="keep_phone"' in content
    assert 'name="keep_last_name"' not in content  # the same on both: nothing to choose


def test_post_merges_and_goes_to_the_kept_record(client: Client, pair: tuple[Candidate, Candidate]) -> None:
    first, second = pair
    ContactLog.objects.create(candidate=second, kind=ContactLog.Kind.NOTE, summary="From the duplicate")
    response = client.post(
        merge_url(first, second),
        {
            "survivor": str(second.public_id),
            "keep_first_name": str(first.public_id),
            "keep_phone": str(second.public_id),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == second.get_absolute_url()
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.first_name, second.phone, first.merged_into) == ("Ann", "07700 900123", second)
    assert ContactLog.objects.get().candidate == second
    # The merged record is out of every list and screen now.
    assert client.get(merge_url(first, second)).status_code == 404
    assert client.get(merge_url(second, first)).status_code == 404


def test_choices_are_required(client: Client, pair: tuple[Candidate, Candidate]) -> None:
    first, second = pair
    response = client.post(merge_url(first, second), {"survivor": str(first.public_id)})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content and "Choose which first name to keep" in content
    assert Candidate.objects.current().count() == 2


def test_service_refusals_are_shown_on_the_form(client: Client, pair: tuple[Candidate, Candidate]) -> None:
    first, second = pair
    for candidate in pair:
        Candidate.objects.filter(pk=candidate.pk).update(user=UserFactory.create(role=Role.LEARNER))
    data = {
        "survivor": str(first.public_id),
        "keep_first_name": str(first.public_id),
        "keep_phone": str(first.public_id),
    }
    response = client.post(merge_url(first, second), data)
    assert response.status_code == 200
    assert "Both records have their own portal account" in response.content.decode()
    assert Candidate.objects.current().count() == 2


def test_a_record_cannot_be_compared_with_itself(client: Client, pair: tuple[Candidate, Candidate]) -> None:
    assert client.get(merge_url(pair[0], pair[0])).status_code == 404


def test_both_records_must_be_in_scope_before_rights_are_checked(
    client_for: Callable[[str], Client], candidate: Candidate, walk_in: Candidate
) -> None:
    learner = client_for("learner")
    assert learner.get(merge_url(candidate, walk_in)).status_code == 404  # their own record, but not the other
    assert learner.post(merge_url(walk_in, candidate)).status_code == 404


def test_query_count_is_fixed(
    client: Client, pair: tuple[Candidate, Candidate], staff: User, django_assert_num_queries
):
    first, second = pair
    with django_assert_num_queries(6):
        client.get(merge_url(first, second))
    for candidate in pair:
        for i in range(10):
            ContactLog.objects.create(candidate=candidate, kind=ContactLog.Kind.CALL, summary=f"{i}", created_by=staff)
    with django_assert_num_queries(6):
        client.get(merge_url(first, second))


def test_the_record_with_an_account_is_suggested_as_the_one_to_keep(
    client: Client, pair: tuple[Candidate, Candidate]
) -> None:
    first, second = pair
    Candidate.objects.filter(pk=second.pk).update(user=UserFactory.create(role=Role.LEARNER))
    content = client.get(merge_url(first, second)).content.decode()
    html = " ".join(content.split())
    assert f'value="{second.public_id}" checked="checked"' in html
    assert f'value="{first.public_id}" checked="checked"' not in html.split('name="keep_')[0]
