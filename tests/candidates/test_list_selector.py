"""The staff candidate list selector: search, every filter and every sort."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from academy.models import Role, User
from candidates.models import Candidate, CandidateBarrier, EqualityMonitoring, PipelineStage
from candidates.selectors.candidate_list import (
    CandidateListFilters,
    candidate_list_for_staff,
    underrepresented_group_q,
)
from candidates.services.pipeline import candidate_move_stage
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed(**filters: Any) -> list[Candidate]:
    qs = candidate_list_for_staff(candidates=Candidate.objects.current(), filters=CandidateListFilters(**filters))
    return list(qs)


def stage(slug: str) -> PipelineStage:
    return PipelineStage.objects.get(slug=slug)


class TestSearch:
    @pytest.fixture
    def people(self) -> dict[str, Candidate]:
        return {
            "jane": CandidateFactory.create(
                first_name="Jane",
                last_name="Smith",
                email="jane.smith@example.org",
                phone="07700 900123",
                postcode="LS1 1AA",
            ),
            "john": CandidateFactory.create(
                first_name="John",
                last_name="Goldsmith",
                email="jg@example.net",
                phone="0113 496 0000",
                postcode="LS12 3AB",
            ),
            "amir": CandidateFactory.create(
                first_name="Amir",
                last_name="Khan",
                email="amir@example.com",
                phone="+44 7700 900999",
                postcode="BD1 1AA",
            ),
        }

    @pytest.mark.parametrize(
        ("term", "expected"),
        [
            ("smith", {"jane", "john"}),
            ("SMITH", {"jane", "john"}),
            ("jane smith", {"jane"}),
            ("smith jane", {"jane"}),
            ("  jane   smith ", {"jane"}),
            ("jg@example.net", {"john"}),
            ("example.com", {"amir"}),
        ],
    )
    def test_name_and_email(self, people: dict[str, Candidate], term: str, expected: set[str]) -> None:
        assert {p.first_name.lower() for p in listed(search=term)} == expected

    @pytest.mark.parametrize(
        ("term", "expected"),
        [
            ("07700 900 123", {"jane"}),
            ("07700900123", {"jane"}),
            ("+44 7700 900123", {"jane"}),
            ("+44 (0)7700-900-123", set()),  # the (0) is a digit too: not the same number
            ("900123", {"jane"}),
            ("07700 900999", {"amir"}),
            ("0113 4960000", {"john"}),
            ("07700", {"jane", "amir"}),
        ],
    )
    def test_phone_in_any_format(self, people: dict[str, Candidate], term: str, expected: set[str]) -> None:
        assert {p.first_name.lower() for p in listed(search=term)} == expected

    @pytest.mark.parametrize(
        ("term", "expected"),
        [
            ("LS1 1AA", {"jane"}),
            ("ls11aa", {"jane"}),
            ("LS12", {"john"}),
            ("ls12 3ab", {"john"}),
            ("LS1", {"jane", "john"}),  # a partial postcode matches by its start
            ("BD1 1AA", {"amir"}),
        ],
    )
    def test_postcode_with_or_without_space(self, people: dict[str, Candidate], term: str, expected: set[str]) -> None:
        assert {p.first_name.lower() for p in listed(search=term)} == expected

    def test_short_digit_strings_do_not_search_phones(self, people: dict[str, Candidate]) -> None:
        assert listed(search="123") == []


class TestFilters:
    def test_stage_and_open_stages(self) -> None:
        enquiry = CandidateFactory.create()
        screening = CandidateFactory.create(stage=stage("screening"))
        closed = CandidateFactory.create(stage=stage("closed"))
        assert listed(stage_ids=(stage("screening").pk,)) == [screening]
        assert set(listed(stage_ids=(stage("enquiry").pk, stage("screening").pk))) == {enquiry, screening}
        assert closed in listed()

    def test_source(self) -> None:
        website = CandidateFactory.create(source="website")
        CandidateFactory.create(source="jobcentre")
        assert listed(source="website") == [website]

    def test_barrier_without_duplicates(self) -> None:
        both = CandidateFactory.create()
        CandidateBarrier.objects.create(candidate=both, barrier="transport")
        CandidateBarrier.objects.create(candidate=both, barrier="childcare")
        childcare = CandidateFactory.create()
        CandidateBarrier.objects.create(candidate=childcare, barrier="childcare")
        CandidateFactory.create()
        assert listed(barrier="transport") == [both]
        assert sorted(c.pk for c in listed(barrier="childcare")) == sorted([both.pk, childcare.pk])

    def test_registered_dates_are_inclusive_local_days(self) -> None:
        def registered(day: date, hour: int) -> Candidate:
            candidate = CandidateFactory.create()
            moment = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())
            Candidate.objects.filter(pk=candidate.pk).update(created_at=moment)
            return candidate

        before = registered(date(2026, 3, 31), 23)
        first = registered(date(2026, 4, 1), 0)
        last = registered(date(2026, 4, 30), 23)
        after = registered(date(2026, 5, 1), 0)
        result = listed(registered_from=date(2026, 4, 1), registered_to=date(2026, 4, 30))
        assert {c.pk for c in result} == {first.pk, last.pk}
        assert {c.pk for c in listed(registered_from=date(2026, 5, 1))} == {after.pk}
        assert {c.pk for c in listed(registered_to=date(2026, 3, 31))} == {before.pk}

    def test_owner_and_unassigned(self, staff: User) -> None:
        colleague = UserFactory.create(role=Role.STAFF)
        mine = CandidateFactory.create(owner=staff)
        theirs = CandidateFactory.create(owner=colleague)
        nobody = CandidateFactory.create()
        assert listed(owner_id=staff.pk) == [mine]
        assert listed(owner_id=colleague.pk) == [theirs]
        assert listed(unassigned=True) == [nobody]

    def test_merged_and_anonymised_records_are_left_out(self) -> None:
        kept = CandidateFactory.create()
        merged = CandidateFactory.create()
        Candidate.objects.filter(pk=merged.pk).update(merged_into=kept)
        anonymised = CandidateFactory.create()
        Candidate.objects.filter(pk=anonymised.pk).update(anonymised_at=timezone.now())
        assert listed() == [kept]

    def test_filters_combine(self, staff: User) -> None:
        match = CandidateFactory.create(first_name="Ada", source="website", owner=staff, stage=stage("screening"))
        CandidateFactory.create(first_name="Ada", source="website", owner=staff)
        CandidateFactory.create(first_name="Ada", source="jobcentre", owner=staff, stage=stage("screening"))
        assert listed(search="ada", source="website", owner_id=staff.pk, stage_ids=(stage("screening").pk,)) == [match]


class TestUnderrepresentedGroups:
    @pytest.mark.parametrize(
        ("group", "answers", "expected"),
        [
            ("men", {"sex": "male"}, True),
            ("men", {"sex": "female"}, False),
            ("men", {"sex": "prefer_not"}, False),
            ("ethnic_minority", {"ethnicity": "black_african"}, True),
            ("ethnic_minority", {"ethnicity": "white_irish"}, True),
            ("ethnic_minority", {"ethnicity": "white_british"}, False),
            ("ethnic_minority", {"ethnicity": "prefer_not"}, False),
            ("ethnic_minority", {"ethnicity": ""}, False),
            ("disabled", {"disability": "yes"}, True),
            ("disabled", {"disability": "prefer_not"}, False),
            ("care_leaver", {"care_leaver": "yes"}, True),
            ("care_leaver", {"care_leaver": "no"}, False),
            ("refugee", {"refugee": "yes"}, True),
            ("armed_forces", {"armed_forces": "yes"}, True),
            ("career_returner", {"career_returner": "yes"}, True),
            ("career_returner", {"career_returner": "no"}, False),
        ],
    )
    def test_group_from_equality_answers(self, group: str, answers: dict[str, str], expected: bool) -> None:
        candidate = CandidateFactory.create()
        EqualityMonitoring.objects.create(candidate=candidate, **answers)
        CandidateFactory.create()  # no answers at all: never in a group
        assert listed(groups=(group,)) == ([candidate] if expected else [])

    @time_machine.travel(date(2026, 6, 15))
    def test_over_50_from_date_of_birth(self) -> None:
        fifty_today = CandidateFactory.create(date_of_birth=date(1976, 6, 15))
        CandidateFactory.create(date_of_birth=date(1976, 6, 16))  # 50 tomorrow
        CandidateFactory.create(date_of_birth=None)
        assert listed(groups=("over_50",)) == [fifty_today]

    def test_over_50_on_a_leap_day(self) -> None:
        # 29 February 2028 minus 50 years has no 29 February: born on 28 February 1978 counts.
        assert underrepresented_group_q(["over_50"], date(2028, 2, 29)).children == [
            ("date_of_birth__lte", date(1978, 2, 28))
        ]

    def test_several_groups_match_any(self) -> None:
        man = CandidateFactory.create(date_of_birth=date(1990, 1, 1))
        EqualityMonitoring.objects.create(candidate=man, sex="male")
        care_leaver = CandidateFactory.create(date_of_birth=date(1990, 1, 1))
        EqualityMonitoring.objects.create(candidate=care_leaver, sex="female", care_leaver="yes")
        older = CandidateFactory.create(date_of_birth=date(1950, 1, 1))
        CandidateFactory.create(date_of_birth=date(1990, 1, 1))
        result = listed(groups=("men", "care_leaver", "over_50"), sort="name")
        assert {c.pk for c in result} == {man.pk, care_leaver.pk, older.pk}
        assert len(result) == 3  # one row each, even when someone is in two groups


class TestSorting:
    @pytest.fixture
    def people(self) -> list[Candidate]:
        now = timezone.now()
        people = []
        for days_ago, (first, last, slug) in enumerate(
            [("Cara", "Adams", "dbs"), ("Ann", "Brown", "enquiry"), ("Bea", "Adams", "screening")]
        ):
            person = CandidateFactory.create(first_name=first, last_name=last)
            candidate_move_stage(candidate=person, actor=None, stage=stage(slug))  # type: ignore[arg-type]
            Candidate.objects.filter(pk=person.pk).update(
                created_at=now - timedelta(days=days_ago * 10), stage_entered_at=now - timedelta(days=days_ago)
            )
            people.append(person)
        return people

    def names(self, sort: str) -> list[str]:
        return [c.first_name for c in listed(sort=sort)]

    def test_by_name(self, people: list[Candidate]) -> None:
        assert self.names("name") == ["Bea", "Cara", "Ann"]
        assert self.names("-name") == ["Ann", "Cara", "Bea"]

    def test_by_registered(self, people: list[Candidate]) -> None:
        assert self.names("-registered") == ["Cara", "Ann", "Bea"]
        assert self.names("registered") == ["Bea", "Ann", "Cara"]

    def test_by_stage_position(self, people: list[Candidate]) -> None:
        assert self.names("stage") == ["Ann", "Bea", "Cara"]
        assert self.names("-stage") == ["Cara", "Bea", "Ann"]

    def test_by_time_in_stage(self, people: list[Candidate]) -> None:
        assert self.names("time_in_stage") == ["Cara", "Ann", "Bea"]
        assert self.names("-time_in_stage") == ["Bea", "Ann", "Cara"]

    def test_default_is_newest_first_and_unknown_sorts_fall_back(self, people: list[Candidate]) -> None:
        assert self.names(CandidateListFilters().sort) == ["Cara", "Ann", "Bea"]
        assert self.names("nonsense") == ["Cara", "Ann", "Bea"]

    def test_ties_are_broken_by_id_so_pages_never_overlap(self) -> None:
        for _ in range(5):
            CandidateFactory.create(first_name="Sam", last_name="Same")
        ids = [c.pk for c in listed(sort="name")]
        assert ids == sorted(ids)
