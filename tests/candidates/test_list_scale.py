"""The staff list at scale: search routed to one column, counts capped, pages from either end,
the stage sort read per stage, and the duplicate check and search served by indexes on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy.models import Academy, User
from candidates.models import Candidate, PipelineStage
from candidates.selectors import list_pages
from candidates.selectors.candidate_list import (
    SEARCH_EMAIL,
    SEARCH_NAME,
    SEARCH_PHONE,
    SEARCH_POSTCODE,
    CandidateListFilters,
    candidate_list_for_staff,
    candidate_search_kind,
)
from candidates.selectors.duplicates import candidate_duplicates, candidate_duplicates_for_many, person_details
from candidates.selectors.list_pages import CandidatePaginator, stage_sorted_ids
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/candidates/"


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


def listed(**filters: object) -> list[Candidate]:
    filters_ = CandidateListFilters(**filters)  # type: ignore[arg-type]
    return list(candidate_list_for_staff(candidates=Candidate.objects.current(), filters=filters_))


class TestSearchRouting:
    @pytest.mark.parametrize(
        ("term", "kind"),
        [
            ("07700 900123", SEARCH_PHONE),
            ("+44 (0)7700-900-123", SEARCH_PHONE),
            ("1234", SEARCH_PHONE),
            ("123", SEARCH_NAME),  # too few digits to be worth a phone search
            ("LS9", SEARCH_POSTCODE),
            ("ls9 8ab", SEARCH_POSTCODE),
            ("LS98AB", SEARCH_POSTCODE),
            ("ann@example.org", SEARCH_EMAIL),
            ("smith", SEARCH_NAME),
            ("jane smith", SEARCH_NAME),
        ],
    )
    def test_kind_of_term(self, term: str, kind: str) -> None:
        assert candidate_search_kind(term) == kind

    def test_a_phone_like_term_is_not_matched_against_names_or_email(self) -> None:
        by_phone = CandidateFactory.create(first_name="Phone", phone="07700 901234", email="p@example.org")
        CandidateFactory.create(first_name="Room1234", phone="0113 496 0000", email="room1234@example.org")
        assert listed(search="1234") == [by_phone]

    def test_a_postcode_like_term_is_matched_only_against_the_postcode(self) -> None:
        in_ls9 = CandidateFactory.create(first_name="Local", postcode="LS9 8AB", email="local@example.org")
        CandidateFactory.create(first_name="Ls9", postcode="BD1 1AA", email="ls9fan@example.org")
        assert listed(search="ls9") == [in_ls9]
        assert listed(search="ls98ab") == [in_ls9]
        assert listed(search="LS9 8AB") == [in_ls9]

    def test_an_email_like_term_is_matched_against_the_email(self) -> None:
        ann = CandidateFactory.create(first_name="Ann", email="Ann.Lee@Example.org")
        CandidateFactory.create(first_name="Other", email="other@example.org")
        assert listed(search="ann.lee@example.org") == [ann]


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(list_pages, "COUNT_CAP", 5)
    return 5


def newest_first(count: int) -> list[int]:
    """`count` candidates registered a day apart; their ids newest first (the list's default order)."""
    now = timezone.now()
    people = [CandidateFactory.create(first_name=f"P{i:02d}") for i in range(count)]
    for i, person in enumerate(people):
        Candidate.objects.filter(pk=person.pk).update(created_at=now - timedelta(days=i))
    return [person.pk for person in people]


class TestCappedPaginator:
    def paginator(self) -> CandidatePaginator:
        qs = candidate_list_for_staff(candidates=Candidate.objects.current(), filters=CandidateListFilters())
        return CandidatePaginator(qs, 3)

    def ids(self, page: object) -> list[int]:
        return [candidate.pk for candidate in page.object_list]  # type: ignore[attr-defined]

    def test_a_short_list_is_counted_and_paged_as_usual(self, small_cap: int) -> None:
        ids = newest_first(5)
        paginator = self.paginator()
        assert (paginator.count, paginator.is_capped, paginator.num_pages) == (5, False, 2)
        assert self.ids(paginator.get_page("last")) == ids[3:]

    def test_a_long_list_stops_counting_past_the_cap(self, small_cap: int) -> None:
        newest_first(12)
        paginator = self.paginator()
        assert paginator.count == small_cap + 1
        assert paginator.is_capped

    def test_pages_from_the_start_and_from_the_end(self, small_cap: int) -> None:
        ids = newest_first(11)
        paginator = self.paginator()
        first = paginator.get_page(1)
        assert self.ids(first) == ids[:3]
        assert (first.has_previous(), first.has_next(), first.next_page_number()) == (False, True, 2)
        fourth = paginator.get_page(4)
        assert self.ids(fourth) == ids[9:]
        assert (fourth.has_next(), fourth.is_last) == (False, True)  # type: ignore[attr-defined]
        last = paginator.get_page("last")
        assert self.ids(last) == ids[-3:]
        assert (last.number, last.has_next(), last.has_previous(), last.previous_page_number()) == (-1, False, True, -2)
        assert self.ids(paginator.get_page(-2)) == ids[-6:-3]
        assert self.ids(paginator.get_page(-4)) == ids[:2]  # what is left at the start
        assert not paginator.get_page(-4).has_previous()

    def test_a_page_beyond_either_end_shows_the_other_end(self, small_cap: int) -> None:
        ids = newest_first(8)
        paginator = self.paginator()
        assert self.ids(paginator.get_page(50)) == ids[-3:]
        assert self.ids(paginator.get_page(-50)) == ids[:3]
        assert self.ids(paginator.get_page("rubbish")) == ids[:3]

    def test_the_list_page_says_more_than_the_cap_and_links_the_last_page(
        self, staff_client: Client, small_cap: int, django_assert_num_queries
    ) -> None:
        ids = newest_first(30)
        staff_client.get(LIST_URL)  # the first request of a staff session writes its idle expiry once
        response = staff_client.get(LIST_URL)
        page = response.content.decode()
        assert "More than 5 candidates" in page
        assert 'href="?page=last"' in page
        # Session, user, MFA check, stages, owners, cohorts, COUNT, page ids, page rows: as for a short list.
        with django_assert_num_queries(9):
            response = staff_client.get(LIST_URL, {"page": "last"})
        assert [c.pk for c in response.context["candidates"]] == ids[-25:]
        assert "Candidates (last page)" in response.content.decode()


class TestStageSort:
    def test_sorted_by_stage_then_time_in_stage(self) -> None:
        stages = list(PipelineStage.objects.order_by("position", "name"))
        now = timezone.now()
        for i in range(12):
            person = CandidateFactory.create(stage=stages[i % 3])
            Candidate.objects.filter(pk=person.pk).update(stage_entered_at=now - timedelta(hours=i))
        qs = candidate_list_for_staff(
            candidates=Candidate.objects.current(), filters=CandidateListFilters(sort="stage")
        )
        expected = list(qs.values_list("pk", flat=True))
        for ordering_qs in (qs, qs.reverse()):
            ordering = [str(name) for name in ordering_qs.query.order_by]
            plain = list(ordering_qs.values_list("pk", flat=True))
            assert plain == (expected if ordering_qs is qs else expected[::-1])
            if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL: one query per page
                assert stage_sorted_ids(ordering_qs, ordering, 0, 5) == plain[:5]
                assert stage_sorted_ids(ordering_qs, ordering, 5, 12) == plain[5:12]


class TestDuplicatesByIndexedColumns:
    def test_email_in_another_case_phone_key_and_name_with_date_of_birth(self) -> None:
        by_email = CandidateFactory.create(first_name="Ann", email="Ann.Lee@Example.ORG", phone="")
        by_phone = CandidateFactory.create(first_name="Bea", email="", phone="07700 900555")
        by_name = CandidateFactory.create(first_name="Cy", last_name="Ray", email="", phone="", date_of_birth=None)
        Candidate.objects.filter(pk=by_name.pk).update(date_of_birth="1980-02-03")
        found = candidate_duplicates(
            email="ann.lee@example.org", phone="+44 7700 900555", first_name="CY", last_name="ray", date_of_birth=None
        )
        assert {match.candidate.pk for match in found} == {by_email.pk, by_phone.pk}
        found = candidate_duplicates(first_name="cy", last_name="RAY", date_of_birth=date(1980, 2, 3))
        assert [match.candidate.pk for match in found] == [by_name.pk]
        many = candidate_duplicates_for_many(
            [person_details(email="ANN.LEE@example.org"), person_details(phone="07700900555")]
        )
        assert [[m.candidate.pk for m in matches] for matches in many] == [[by_email.pk], [by_phone.pk]]


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few thousand rows: reading them all is still cheap
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.services
class TestPostgresqlIndexes:
    @pytest.fixture(autouse=True)
    def _postgresql(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL")
        # Enough rows, with statistics, for the planner to weigh one index against another.
        stage = PipelineStage.objects.order_by("position").first()
        academy = Academy.objects.order_by("pk").first()
        Candidate.objects.bulk_create(
            Candidate(
                first_name=f"Name{i}",
                last_name=f"Surname{i}",
                email=f"person{i}@example.org",
                phone_key=f"0113{i:07d}",
                postcode=f"BD{i % 20 + 1} {i % 9 + 1}AA",
                date_of_birth=date(1960, 1, 1) + timedelta(days=i),
                stage=stage,
                academy=academy,
            )
            for i in range(3000)
        )
        columns = [f.column for f in Candidate._meta.concrete_fields if f.column not in ("id", "public_id", "user_id")]
        with connection.cursor() as cursor:
            # Forty times as many, each copy with new name, email and phone digits (so still unlike the terms).
            listed = ", ".join(columns)
            copied = ", ".join(
                {
                    "first_name": "first_name || n",
                    "last_name": "last_name || n",
                    "email": "n || email",
                    "phone_key": "phone_key || n",
                }.get(column, column)
                for column in columns
            )
            cursor.execute(
                f"INSERT INTO candidates_candidate (public_id, {listed}) "  # noqa: S608 - the model's own columns
                f"SELECT gen_random_uuid(), {copied} FROM candidates_candidate, generate_series(1, 39) AS n"
            )
            cursor.execute("ANALYZE candidates_candidate")

    def test_search_and_duplicate_check_read_their_indexes(self) -> None:
        """One test, as the table each check needs takes a while to fill."""
        CandidateFactory.create_batch(3)
        qs = candidate_list_for_staff(
            candidates=Candidate.objects.current(), filters=CandidateListFilters(search="smith")
        )
        plan = _plan(*qs.order_by().values("pk").query.sql_with_params())
        assert "candidates_search_name_trgm" in plan
        assert "candidates_search_email_trgm" in plan
        assert "Seq Scan on candidates_candidate" not in plan

        # A phone-like term: the phone key's trigram index, and no name column at all.
        qs = candidate_list_for_staff(
            candidates=Candidate.objects.current(), filters=CandidateListFilters(search="07700 9")
        )
        plan = _plan(*qs.order_by().values("pk").query.sql_with_params())
        assert "candidates_search_phone_trgm" in plan
        assert "first_name" not in plan

        # A postcode-like term: the academy-led postcode pattern index.
        qs = candidate_list_for_staff(
            candidates=Candidate.objects.current(),
            filters=CandidateListFilters(search="LS9"),
            academy_id=Academy.objects.order_by("pk").values_list("pk", flat=True).first(),
        )
        plan = _plan(*qs.order_by().values("pk").query.sql_with_params())
        assert "candidates_search_postcode_idx" in plan

        # The duplicate check: a BitmapOr of the email, phone key and date of birth indexes.
        with CaptureQueriesContext(connection) as captured:
            candidate_duplicates(email="a@example.org", phone="07700 900123", first_name="A", last_name="B")
        plan = _plan(captured.captured_queries[0]["sql"], ())
        assert "candidates_dup_email_idx" in plan
        assert "Seq Scan on candidates_candidate" not in plan
