"""The staff candidate list page: the HTTP contract, filters in the URL, sorting, paging, audit, query counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from academy.models import AuditEntry, User
from candidates.models import Candidate, CandidateBarrier, EqualityMonitoring, PipelineStage
from tests.candidates.factories_dbs_records import TODAY, DbsCheckFactory
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/candidates/"


def html(response: Any) -> str:
    return response.content.decode()


def hrefs(response: Any, text: str) -> list[str]:
    """The href of every link whose text contains `text`."""
    return [
        href.replace("&amp;", "&")
        for href, inner in re.findall(r'<a[^>]*href="([^"]*)"[^>]*>(.*?)</a>', html(response), re.S)
        if text in inner
    ]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


def test_url_names() -> None:
    assert reverse("candidates:candidate-list") == LIST_URL
    assert reverse("candidates:candidate-export") == "/candidates/export.csv"
    assert reverse("candidates:candidate-bulk") == "/candidates/bulk/"


def test_lists_candidates_with_count_and_links(staff_client: Client, walk_in: Candidate) -> None:
    CandidateFactory.create(first_name="Ben", last_name="Bloggs", owner=None)
    response = staff_client.get(LIST_URL)
    assert response.status_code == 200
    page = html(response)
    assert "2 candidates" in page
    assert walk_in.get_absolute_url() in page
    assert "Wendy Walkin" in page
    assert "Unassigned" in page
    assert reverse("candidates:candidate-create") in page
    assert f'value="{walk_in.public_id}"' in page  # its checkbox for bulk actions


def test_never_shows_equality_answers(staff_client: Client, walk_in: Candidate) -> None:
    EqualityMonitoring.objects.create(candidate=walk_in, sex="male", ethnicity="black_african", religion="muslim")
    page = html(staff_client.get(LIST_URL))
    for label in ("Black, Black British", "Muslim", "Male"):
        assert label not in page
    assert not AuditEntry.objects.filter(action__startswith="equality").exists()


def test_search_by_phone_in_another_format(staff_client: Client) -> None:
    CandidateFactory.create(first_name="Phoebe", phone="07700900123")
    CandidateFactory.create(first_name="Ozymandias", phone="07700 111222")
    page = html(staff_client.get(LIST_URL, {"q": "07700 900 123"}))
    assert "Phoebe" in page
    assert "Ozymandias" not in page
    assert "1 candidate found" in page


def test_filters_from_the_url_are_applied_and_shown(staff_client: Client, staff: User) -> None:
    screening = PipelineStage.objects.get(slug="screening")
    match = CandidateFactory.create(first_name="Match", stage=screening, source="website", owner=staff)
    CandidateBarrier.objects.create(candidate=match, barrier="transport")
    CandidateFactory.create(first_name="Nomatch", stage=screening, source="website", owner=staff)
    params = {"stage": "screening", "source": "website", "barrier": "transport", "owner": "me"}
    response = staff_client.get(LIST_URL, params)
    page = html(response)
    assert "Match" in page
    assert "Nomatch" not in page
    assert "Selected filters" in page
    # Each selected filter has a link that removes only that filter.
    remove_barrier = next(h for h in hrefs(response, "Remove") if "barrier" not in query_of(h))
    assert query_of(remove_barrier) == {"stage": ["screening"], "source": ["website"], "owner": ["me"]}


def test_open_stages_filter_leaves_out_closed_records(staff_client: Client) -> None:
    CandidateFactory.create(first_name="Opal")
    CandidateFactory.create(first_name="Clement", stage=PipelineStage.objects.get(slug="closed"))
    page = html(staff_client.get(LIST_URL, {"stage": "open"}))
    assert "Opal" in page
    assert "Clement" not in page
    assert "Stage: <strong>Any open stage (not closed)</strong>" in page


def test_bulk_actions_form_works_without_javascript(staff_client: Client, staff: User) -> None:
    CandidateFactory.create()
    page = html(staff_client.get(LIST_URL))
    assert '<form method="post" action="/candidates/bulk/" novalidate>' in page
    for value in ("stage", "owner", "email"):
        assert re.search(rf'type="radio"\s+value="{value}"', page)
        assert f'id="bulk-conditional-{value}"' in page
    assert 'name="reason"' in page
    assert 'name="subject"' in page


def test_unassigned_owner_filter(staff_client: Client, staff: User) -> None:
    CandidateFactory.create(first_name="Owned", owner=staff)
    CandidateFactory.create(first_name="Loose")
    page = html(staff_client.get(LIST_URL, {"owner": "unassigned"}))
    assert "Loose" in page
    assert "Owned" not in page


def test_owner_filter_by_public_id(staff_client: Client, manager: User) -> None:
    CandidateFactory.create(first_name="Managed", owner=manager)
    CandidateFactory.create(first_name="Loose")
    page = html(staff_client.get(LIST_URL, {"owner": str(manager.public_id)}))
    assert "Managed" in page
    assert "Loose" not in page


def test_date_registered_filter_errors_are_shown_and_other_filters_still_apply(staff_client: Client) -> None:
    CandidateFactory.create(first_name="Web", source="website")
    CandidateFactory.create(first_name="Centre", source="jobcentre")
    response = staff_client.get(
        LIST_URL, {"source": "website", "registered_from": "2026-05-01", "registered_to": "2026-04-01"}
    )
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Registered to must be the same as or after registered from" in page
    assert "<title>\n  Error: Candidates" in page or "Error: Candidates" in page
    response = staff_client.get(LIST_URL, {"source": "website", "registered_from": "not a date"})
    page = html(response)
    assert "Registered from must be a real date" in page
    assert "Web" in page
    assert "Centre" not in page


def test_unknown_choices_are_reported_not_crashing(staff_client: Client) -> None:
    response = staff_client.get(LIST_URL, {"stage": "nope", "owner": "nobody-i-know", "sort": "drop table"})
    assert response.status_code == 200
    assert "Choose a stage from the list" in html(response)
    assert "Choose a staff owner from the list" in html(response)


class TestEqualityFilter:
    def test_logged_once_per_request_with_the_groups(self, staff_client: Client, staff: User) -> None:
        man = CandidateFactory.create(first_name="Manuel")
        EqualityMonitoring.objects.create(candidate=man, sex="male")
        for _ in range(3):
            EqualityMonitoring.objects.create(candidate=CandidateFactory.create(), sex="male")
        CandidateFactory.create(first_name="Nadia")
        page = html(staff_client.get(LIST_URL, {"group": ["men", "refugee"]}))
        assert "Manuel" in page
        assert "Nadia" not in page
        entries = AuditEntry.objects.filter(action="equality.filter")
        assert entries.count() == 1
        entry = entries.get()
        assert entry.actor == staff
        assert entry.data["groups"] == ["men", "refugee"]

    def test_not_logged_without_a_group_filter(self, staff_client: Client) -> None:
        CandidateFactory.create()
        staff_client.get(LIST_URL, {"stage": "enquiry"})
        assert not AuditEntry.objects.filter(action="equality.filter").exists()

    def test_unknown_group_is_an_error_and_not_applied(self, staff_client: Client) -> None:
        response = staff_client.get(LIST_URL, {"group": "wizards"})
        assert "There is a problem" in html(response)
        assert not AuditEntry.objects.filter(action="equality.filter").exists()


class TestSortingLinks:
    def test_headers_carry_aria_sort_and_keep_filters(self, staff_client: Client) -> None:
        CandidateFactory.create(source="website")
        response = staff_client.get(LIST_URL, {"source": "website", "sort": "name", "page": "1"})
        page = html(response)
        assert re.search(r'aria-sort="ascending">\s*<a class="govuk-link" href="\?source=website&amp;sort=-name"', page)
        assert page.count('aria-sort="none"') == 3
        registered = hrefs(response, "Registered")[0]
        assert query_of(registered) == {"source": ["website"], "sort": ["-registered"]}  # newest first on first click

    def test_descending_sort_is_announced(self, staff_client: Client) -> None:
        CandidateFactory.create()
        page = html(staff_client.get(LIST_URL, {"sort": "-time_in_stage"}))
        assert re.search(r'aria-sort="descending">\s*<a class="govuk-link" href="\?sort=time_in_stage"', page)

    def test_default_sort_is_newest_registered(self, staff_client: Client) -> None:
        CandidateFactory.create()
        page = html(staff_client.get(LIST_URL))
        assert re.search(r'aria-sort="descending">\s*<a class="govuk-link" href="\?sort=registered"', page)

    def test_applying_filters_keeps_the_sort(self, staff_client: Client) -> None:
        CandidateFactory.create()
        page = html(staff_client.get(LIST_URL, {"sort": "stage"}))
        assert '<input type="hidden" name="sort" value="stage">' in page


class TestPagination:
    @pytest.fixture
    def thirty(self) -> None:
        for _ in range(30):
            CandidateFactory.create(source="website")
        CandidateFactory.create(source="jobcentre")

    def test_25_per_page_and_links_keep_filters_and_sort(self, staff_client: Client, thirty: None) -> None:
        response = staff_client.get(LIST_URL, {"source": "website", "sort": "name"})
        assert len(response.context["candidates"]) == 25
        assert "30 candidates found" in html(response)
        next_link = hrefs(response, "Next")[0]
        assert query_of(next_link) == {"source": ["website"], "sort": ["name"], "page": ["2"]}
        response = staff_client.get(LIST_URL + next_link)
        assert len(response.context["candidates"]) == 5
        assert "(page 2 of 2)" in html(response)

    def test_a_page_that_no_longer_exists_shows_the_last_one(self, staff_client: Client, thirty: None) -> None:
        response = staff_client.get(LIST_URL, {"page": "9"})
        assert response.status_code == 200
        assert response.context["page_obj"].number == 2
        assert staff_client.get(LIST_URL, {"page": "abc"}).context["page_obj"].number == 1

    def test_export_link_carries_the_filters(self, staff_client: Client, thirty: None) -> None:
        response = staff_client.get(LIST_URL, {"source": "website", "sort": "name", "page": "2", "select": "page"})
        export = hrefs(response, "as a spreadsheet")[0]
        assert export.startswith(reverse("candidates:candidate-export"))
        assert query_of(export) == {"source": ["website"], "sort": ["name"]}


class TestSelection:
    def test_select_all_on_this_page_ticks_every_box_without_javascript(self, staff_client: Client) -> None:
        for _ in range(3):
            CandidateFactory.create()
        response = staff_client.get(LIST_URL, {"source": "jobcentre"})
        select_link = hrefs(response, "Select all 3 on this page")[0]
        page = html(staff_client.get(LIST_URL + select_link))
        assert page.count('name="candidates"') == 3
        assert len(re.findall(r'name="candidates"[^>]*\n?[^>]*checked', page)) == 3
        assert "Clear the selection" in page

    def test_bulk_form_returns_to_this_page_of_the_list(self, staff_client: Client) -> None:
        CandidateFactory.create()
        page = html(staff_client.get(LIST_URL, {"source": "jobcentre", "select": "page"}))
        assert '<input type="hidden" name="return_to" value="source=jobcentre">' in page


class TestEmptyStates:
    def test_no_candidates_yet(self, staff_client: Client) -> None:
        page = html(staff_client.get(LIST_URL))
        assert "0 candidates" in page
        assert "There are no candidates yet" in page
        assert "Download" not in page

    def test_nothing_matches(self, staff_client: Client) -> None:
        CandidateFactory.create()
        page = html(staff_client.get(LIST_URL, {"q": "zzzz"}))
        assert "No candidates match your search and filters" in page
        assert "Clear all filters" in page


class TestQueryCount:
    """Session, user, MFA check, stages, owners, cohorts (courses' choices), COUNT, page ids, page rows.

    +1 audit entry for an equality or a DBS status filter; the course and cohort filters add none.
    """

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, 9),
            # A search counts its matches and reads the page's ids in one query (CandidatePaginator.search_page).
            ({"q": "a", "stage": "open", "barrier": "transport", "owner": "me", "sort": "stage"}, 8),
            ({"group": ["men", "over_50"], "registered_from": "2000-01-01", "sort": "-time_in_stage"}, 10),
            ({"course": "COURSE", "cohort": "COHORT", "dbs_status": "submitted"}, 10),
            ({"dbs_status": "none"}, 10),
        ],
    )
    def test_does_not_grow_with_rows(
        self, staff_client: Client, staff: User, params: dict[str, Any], expected: int, django_assert_num_queries
    ) -> None:
        def add(n: int) -> None:
            for _ in range(n):
                candidate = CandidateFactory.create(first_name="Anna", owner=staff)
                CandidateBarrier.objects.create(candidate=candidate, barrier="transport")
                EqualityMonitoring.objects.create(candidate=candidate, sex="male")
                EnrolmentFactory.create(cohort=cohort, candidate=candidate)
                if params.get("dbs_status") == "submitted":
                    DbsCheckFactory.create(candidate=candidate, status="submitted", submitted_on=TODAY)

        staff_client.get(LIST_URL)  # the first request of a staff session writes its idle expiry once
        cohort = CohortFactory.create()
        ids = {"COURSE": str(cohort.course.public_id), "COHORT": str(cohort.public_id)}
        params = {key: ids.get(value, value) if isinstance(value, str) else value for key, value in params.items()}
        add(2)
        with django_assert_num_queries(expected):
            response = staff_client.get(LIST_URL, params)
        assert len(response.context["candidates"]) == 2
        add(28)
        with django_assert_num_queries(expected):
            response = staff_client.get(LIST_URL, params)
        assert len(response.context["candidates"]) == 25
