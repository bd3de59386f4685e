"""Possible duplicates: same email, same phone, or same name and date of birth, among current records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from candidates.models import Candidate
from candidates.selectors.duplicates import (
    SAME_EMAIL,
    SAME_NAME_AND_DOB,
    SAME_PHONE,
    DuplicateMatch,
    candidate_duplicates,
    candidate_duplicates_for_many,
    candidate_duplicates_of,
    person_details,
)
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db
DOB = date(1985, 3, 27)


@pytest.fixture
def ann() -> Candidate:
    return CandidateFactory.create(
        first_name="Ann", last_name="Smith", email="ann@example.org", phone="07700 900123", date_of_birth=DOB
    )


def reasons(matches: list[DuplicateMatch]) -> dict[str, list[str]]:
    return {m.candidate.email: m.reasons for m in matches}


def test_same_email_in_any_case(ann: Candidate, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        matches = candidate_duplicates(email=" ANN@Example.org ")
    assert matches == [DuplicateMatch(candidate=ann, reasons=[SAME_EMAIL])]


@pytest.mark.parametrize("phone", ["07700900123", "+44 7700 900123", "(07700) 900-123"])
def test_same_phone_however_written(ann: Candidate, phone: str) -> None:
    assert reasons(candidate_duplicates(phone=phone)) == {"ann@example.org": [SAME_PHONE]}


def test_same_name_and_date_of_birth(ann: Candidate) -> None:
    assert reasons(candidate_duplicates(first_name="ann", last_name="SMITH", date_of_birth=DOB)) == {
        "ann@example.org": [SAME_NAME_AND_DOB]
    }
    # A name alone, or a name with another date of birth, is not enough.
    assert candidate_duplicates(first_name="Ann", last_name="Smith") == []
    assert candidate_duplicates(first_name="Ann", last_name="Smith", date_of_birth=date(1985, 3, 28)) == []


def test_every_reason_is_given(ann: Candidate) -> None:
    matches = candidate_duplicates(
        email="ann@example.org", phone="07700900123", first_name="Ann", last_name="Smith", date_of_birth=DOB
    )
    assert reasons(matches) == {"ann@example.org": [SAME_EMAIL, SAME_PHONE, SAME_NAME_AND_DOB]}


def test_several_matches_each_with_its_reason(ann: Candidate) -> None:
    CandidateFactory.create(first_name="Bob", last_name="Other", email="bob@example.org", phone="0113 496 0000")
    assert reasons(candidate_duplicates(email="ann@example.org", phone="01134960000")) == {
        "ann@example.org": [SAME_EMAIL],
        "bob@example.org": [SAME_PHONE],
    }


def test_merged_and_anonymised_records_are_not_duplicates(ann: Candidate) -> None:
    survivor = CandidateFactory.create(email="someone@example.org")
    Candidate.objects.filter(pk=ann.pk).update(merged_into=survivor)
    assert candidate_duplicates(email="ann@example.org") == []
    Candidate.objects.filter(pk=ann.pk).update(merged_into=None, anonymised_at=timezone.now())
    assert candidate_duplicates(email="ann@example.org") == []


def test_nothing_identifying_means_no_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert candidate_duplicates(first_name="Ann", last_name="Smith") == []


def test_duplicates_of_a_record_exclude_itself(ann: Candidate) -> None:
    twin = CandidateFactory.create(first_name="ANN", last_name="smith", email="ann.s@example.org", date_of_birth=DOB)
    assert candidate_duplicates_of(ann) == [DuplicateMatch(candidate=twin, reasons=[SAME_NAME_AND_DOB])]
    assert candidate_duplicates_of(twin) == [DuplicateMatch(candidate=ann, reasons=[SAME_NAME_AND_DOB])]
    Candidate.objects.filter(pk=twin.pk).update(merged_into=ann)
    twin.refresh_from_db()
    assert candidate_duplicates_of(twin) == []


def test_many_people_at_once_agree_with_one_at_a_time(ann: Candidate, django_assert_num_queries) -> None:
    CandidateFactory.create(first_name="Bob", last_name="Jones", email="bob@example.org", phone="0113 496 0000")
    asked: list[dict[str, Any]] = [
        {"email": "ANN@example.org"},
        {"phone": "+44 113 496 0000"},
        {"first_name": "Ann", "last_name": "Smith", "date_of_birth": DOB},
        {"first_name": "Ann", "last_name": "Smith", "date_of_birth": date(1990, 1, 1)},
        {"email": "nobody@example.org", "phone": "07700 900123"},
    ]
    people = [person_details(**details) for details in asked]
    with django_assert_num_queries(1):
        many = candidate_duplicates_for_many(people)
    assert [reasons(matches) for matches in many] == [reasons(candidate_duplicates(**details)) for details in asked]
    assert [reasons(matches) for matches in many] == [
        {"ann@example.org": [SAME_EMAIL]},
        {"bob@example.org": [SAME_PHONE]},
        {"ann@example.org": [SAME_NAME_AND_DOB]},
        {},
        {"ann@example.org": [SAME_PHONE]},
    ]


def test_many_people_cost_one_query_per_batch(ann: Candidate, django_assert_num_queries, monkeypatch) -> None:
    monkeypatch.setattr("candidates.selectors.duplicates.BATCH_SIZE", 10)
    people = [person_details(email=f"person{i}@example.org", phone=f"07700 8{i:05d}") for i in range(25)]
    with django_assert_num_queries(3):
        assert candidate_duplicates_for_many(people) == [[] for _ in people]
    with django_assert_num_queries(0):
        assert candidate_duplicates_for_many([person_details(first_name="Ann")]) == [[]]
