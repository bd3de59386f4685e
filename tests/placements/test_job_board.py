"""The public job board: filters, distance order and radius, the postcode fallbacks, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from placements.models import Vacancy, VacancyKind
from placements.selectors.board import BoardSearch, job_board_search
from tests.placements.factories_vacancies import VacancyFactory, postcode_centroids  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postcode_centroids")]
BOARD = reverse("placements:job-board")


def titles(search: BoardSearch) -> list[str]:
    return [v.title for v in job_board_search(search).vacancies]


@pytest.fixture
def spread() -> dict[str, Vacancy]:
    """Published vacancies in Seacroft (Leeds), Beeston (Leeds) and Plymouth, one draft and one past its date."""
    return {
        "seacroft": VacancyFactory.create(
            title="Seacroft", place="Seacroft, Leeds", postcode="LS14 2EN", easting=436400, northing=436500
        ),
        "beeston": VacancyFactory.create(
            title="Beeston",
            place="Beeston, Leeds",
            postcode="LS11 5DT",
            easting=429600,
            northing=431500,
            hours_per_week=Decimal("16"),
        ),
        "plymouth": VacancyFactory.create(
            title="Plymouth",
            place="Plymouth",
            postcode="PL4 6QT",
            easting=249600,
            northing=55200,
            kind=VacancyKind.VOLUNTEERING,
        ),
        "nowhere": VacancyFactory.create(
            title="Unplaced", place="Otley", postcode="ZZ9 9ZZ", easting=None, northing=None
        ),
        "draft": VacancyFactory.create(title="Draft", status=Vacancy.Status.DRAFT),
        "past": VacancyFactory.create(title="Past", closing_date=timezone.localdate() - dt.timedelta(days=1)),
    }


def test_nearest_first_from_a_postcode_with_unplaced_vacancies_last(spread: dict[str, Vacancy]) -> None:
    assert titles(BoardSearch(where="LS11 5DT")) == ["Beeston", "Seacroft", "Plymouth", "Unplaced"]
    assert titles(BoardSearch(where="pl4 6qt")) == ["Plymouth", "Beeston", "Seacroft", "Unplaced"]


def test_radius_keeps_only_vacancies_within_it(spread: dict[str, Vacancy]) -> None:
    # Beeston to Seacroft is about 5.2 miles.
    assert titles(BoardSearch(where="LS11 5DT", radius_miles=5)) == ["Beeston"]
    assert titles(BoardSearch(where="LS11 5DT", radius_miles=10)) == ["Beeston", "Seacroft"]


def test_filters_by_kind_hours_role_and_text(spread: dict[str, Vacancy]) -> None:
    assert titles(BoardSearch(kind=VacancyKind.VOLUNTEERING)) == ["Plymouth"]
    assert titles(BoardSearch(hours="part_time")) == ["Beeston"]
    assert "Beeston" not in titles(BoardSearch(hours="full_time"))
    assert titles(BoardSearch(text="seacroft", job_role="care_worker")) == ["Seacroft"]
    assert not {"Draft", "Past"} & set(titles(BoardSearch()))


def test_an_unknown_postcode_uses_its_district_then_the_town_text(spread: dict[str, Vacancy]) -> None:
    district = job_board_search(BoardSearch(where="LS14 9QQ"))
    assert district.where_mode == "district" and next(v.title for v in district.vacancies) == "Seacroft"
    text = job_board_search(BoardSearch(where="ZZ9 1AA"))
    assert text.where_mode == "text" and [v.title for v in text.vacancies] == ["Unplaced"]
    town = job_board_search(BoardSearch(where="Otley"))
    assert town.where_mode == "text" and [v.title for v in town.vacancies] == ["Unplaced"]


def test_the_page_shows_miles_and_says_when_it_fell_back(client: Client, spread: dict[str, Vacancy]) -> None:
    page = client.get(BOARD, {"where": "LS11 5DT"}).content.decode()
    assert "(0 miles away)" in page or "(0.0 miles away)" in page
    assert "(5.2 miles away)" in page.split("Seacroft, Leeds", 1)[1]
    page = client.get(BOARD, {"where": "LS14 9QQ"}).content.decode()
    assert "We could not find the postcode LS14 9QQ, so distances are from the middle of the LS14 area" in page
    page = client.get(BOARD, {"where": "Otley"}).content.decode()
    assert "We could not find “Otley” in our postcode list" in page


def test_a_radius_without_a_place_is_explained(client: Client, spread: dict[str, Vacancy]) -> None:
    page = client.get(BOARD, {"radius": "5"}).content.decode()
    assert "Enter a postcode or town to search within a distance" in page


def test_job_page_is_public_only_while_published(client: Client, spread: dict[str, Vacancy]) -> None:
    ok = client.get(reverse("placements:job-detail", kwargs={"public_id": spread["seacroft"].public_id}))
    assert ok.status_code == 200 and b"Apply" in ok.content
    for name in ("draft", "past"):
        response = client.get(reverse("placements:job-detail", kwargs={"public_id": spread[name].public_id}))
        assert response.status_code == 404


def test_board_queries_do_not_grow_with_rows(client: Client, django_assert_num_queries) -> None:
    VacancyFactory.create_batch(3)
    # The postcode, the count, the page's ids in distance order, those rows with their joins.
    with django_assert_num_queries(4):
        assert client.get(BOARD, {"where": "LS9 8AB", "radius": "20"}).status_code == 200
    VacancyFactory.create_batch(30)
    with django_assert_num_queries(4):
        assert client.get(BOARD, {"where": "LS9 8AB", "radius": "20", "page": "2"}).status_code == 200
    # A postcode missing from the table: the postcode, its district, then the same three.
    with django_assert_num_queries(5):
        assert client.get(BOARD, {"where": "LS9 9QQ"}).status_code == 200
