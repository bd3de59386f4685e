"""Vacancy pages: posting through the form, the postcode warning, approval from the queue, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape

from academy.models import User
from placements.home import home_context
from placements.models import Vacancy
from providers.models import Provider
from tests.courses.factories import CohortFactory
from tests.factories import ProviderFactory
from tests.placements.factories_vacancies import VacancyFactory, postcode_centroids  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postcode_centroids")]


def form_data(**overrides: str) -> dict[str, str]:
    closing = timezone.localdate() + dt.timedelta(days=14)
    data = {
        "kind": "job",
        "title": "Home care worker",
        "job_role": "care_worker",
        "description": "Supporting people at home.",
        "hours_per_week": "30",
        "contract_type": "permanent",
        "pay_amount": "£12.60",
        "pay_period": "hour",
        "place": "Harehills, Leeds",
        "postcode": "LS9 8AB",
        "places": "2",
        "closing_date_0": str(closing.day),
        "closing_date_1": str(closing.month),
        "closing_date_2": str(closing.year),
        "start_date_0": "",
        "start_date_1": "",
        "start_date_2": "",
        "ring_fenced_cohort": "",
    }
    data.update(overrides)
    return data


def test_posting_saves_a_draft_and_an_unknown_postcode_warns(client_for: Callable[[str], Client]) -> None:
    client = client_for("provider_user")
    response = client.post(reverse("placements:vacancy-create"), form_data(postcode="ZZ9 9ZZ"), follow=True)
    vacancy = Vacancy.objects.get()
    assert vacancy.status == Vacancy.Status.DRAFT and vacancy.easting is None
    assert "the job board finds it by its town (Harehills, Leeds)" in response.content.decode()


def test_bad_hours_and_dates_reshow_the_form_keeping_the_input(client_for: Callable[[str], Client]) -> None:
    client = client_for("provider_user")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = form_data(
        hours_per_week="0",
        closing_date_0=str(yesterday.day),
        closing_date_1=str(yesterday.month),
        closing_date_2=str(yesterday.year),
        postcode="not a postcode",
    )
    page = client.post(reverse("placements:vacancy-create"), data).content.decode()
    assert "Hours per week must be more than 0" in page
    assert "Closing date must be today" in page
    assert "Enter a real postcode, like LS9 8AB" in page
    assert 'value="Home care worker"' in page
    assert not Vacancy.objects.exists()


def test_ring_fence_offers_running_and_recently_finished_cohorts(client_for: Callable[[str], Client]) -> None:
    today = timezone.localdate()
    running = CohortFactory.create(name="Running cohort", status="running", start_date=today - dt.timedelta(days=3))
    CohortFactory.create(name="Old cohort", status="finished", start_date=today - dt.timedelta(days=200))
    CohortFactory.create(name="Future cohort")
    page = client_for("provider_user").get(reverse("placements:vacancy-create")).content.decode()
    assert "Running cohort" in page and "Old cohort" not in page and "Future cohort" not in page
    response = client_for("provider_user").post(
        reverse("placements:vacancy-create"), form_data(ring_fenced_cohort=str(running.public_id))
    )
    assert response.status_code == 302
    assert Vacancy.objects.get().ring_fenced_cohort == running


def test_staff_approve_from_the_queue_and_the_provider_sees_changes_needed(
    client_for: Callable[[str], Client], provider_a: Provider
) -> None:
    one = VacancyFactory.create(provider=provider_a, status=Vacancy.Status.SUBMITTED, title="First")
    two = VacancyFactory.create(provider=provider_a, status=Vacancy.Status.SUBMITTED, title="Second")
    staff = client_for("staff")
    assert "First" in staff.get(reverse("placements:vacancy-approval-queue")).content.decode()
    staff.post(reverse("placements:vacancy-approve", kwargs={"public_id": one.public_id}))
    staff.post(
        reverse("placements:vacancy-request-changes", kwargs={"public_id": two.public_id}),
        {"reason": "Say which shifts."},
    )
    assert Vacancy.objects.get(pk=one.pk).status == Vacancy.Status.PUBLISHED
    page = client_for("provider_user").get(reverse("placements:vacancy-detail", kwargs={"public_id": two.public_id}))
    assert "Say which shifts." in page.content.decode() and "Changes needed" in page.content.decode()


def test_home_counts_vacancies_waiting_for_approval(staff: User, provider_user: User) -> None:
    VacancyFactory.create_batch(2, status=Vacancy.Status.SUBMITTED)
    VacancyFactory.create(status=Vacancy.Status.DRAFT)
    context = home_context(staff)
    assert context["vacancies_awaiting_approval"] == 2
    assert "2 waiting" in render_to_string("placements/_home_staff_vacancies.html", context)
    assert "vacancies_awaiting_approval" not in home_context(provider_user)


@pytest.mark.parametrize(
    ("persona", "url_name", "params"),
    [
        ("staff", "placements:vacancy-list", {"q": "care", "status": "published"}),
        ("staff", "placements:vacancy-approval-queue", {}),
        ("provider_user", "placements:provider-vacancy-list", {}),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    client_for: Callable[[str], Client],
    django_assert_max_num_queries,
    provider_a: Provider,
    provider_user: User,
    persona: str,
    url_name: str,
    params: dict[str, str],
) -> None:
    client = client_for(persona)
    url = reverse(url_name)
    status = Vacancy.Status.SUBMITTED if "approval" in url_name else Vacancy.Status.PUBLISHED
    VacancyFactory.create(provider=provider_a, status=status)
    client.get(url, params)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    VacancyFactory.create_batch(12, provider=provider_a, status=status)
    VacancyFactory.create_batch(12, provider=ProviderFactory.create(), status=status)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url, params).status_code == 200


def test_closing_asks_first_then_closes_with_the_reason(
    client_for: Callable[[str], Client], provider_a: Provider
) -> None:
    vacancy = VacancyFactory.create(provider=provider_a, title="Night care worker")
    url = reverse("placements:vacancy-close", kwargs={"public_id": vacancy.public_id})
    client = client_for("provider_user")
    assert "Close Night care worker?" in client.get(url).content.decode()
    assert Vacancy.objects.get().status == Vacancy.Status.PUBLISHED
    client.post(url, {"reason": "We filled it ourselves."})
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.status_reason) == (Vacancy.Status.CLOSED, "We filled it ourselves.")
    assert "cannot be closed" in client.get(url).content.decode()


def test_asking_for_changes_without_a_reason_reshows_the_form(
    client_for: Callable[[str], Client], provider_a: Provider
) -> None:
    vacancy = VacancyFactory.create(provider=provider_a, status=Vacancy.Status.SUBMITTED)
    url = reverse("placements:vacancy-request-changes", kwargs={"public_id": vacancy.public_id})
    page = client_for("staff").post(url, {"reason": ""}).content.decode()
    assert "Enter what the provider needs to change" in page
    assert Vacancy.objects.get().status == Vacancy.Status.SUBMITTED


def test_submitting_after_the_closing_date_says_to_change_it(
    client_for: Callable[[str], Client], provider_a: Provider
) -> None:
    vacancy = VacancyFactory.create(
        provider=provider_a, status=Vacancy.Status.DRAFT, closing_date=timezone.localdate() - dt.timedelta(days=1)
    )
    url = reverse("placements:vacancy-submit", kwargs={"public_id": vacancy.public_id})
    page = client_for("provider_user").post(url, follow=True).content.decode()
    assert "has passed. Change it before you submit the vacancy." in page
    assert Vacancy.objects.get().status == Vacancy.Status.DRAFT


def test_a_published_vacancy_cannot_be_edited_from_its_page(
    client_for: Callable[[str], Client], provider_a: Provider
) -> None:
    vacancy = VacancyFactory.create(provider=provider_a)
    url = reverse("placements:vacancy-update", kwargs={"public_id": vacancy.public_id})
    response = client_for("provider_user").post(url, form_data(title="Changed"), follow=True)
    assert "so it cannot be changed" in response.content.decode()
    assert Vacancy.objects.get().title == vacancy.title


def test_staff_list_filters_by_search_status_provider_and_kind(
    client_for: Callable[[str], Client], provider_a: Provider
) -> None:
    other = ProviderFactory.create(name="Sunrise Care")
    VacancyFactory.create(provider=provider_a, title="Alpha support worker", status=Vacancy.Status.DRAFT)
    VacancyFactory.create(provider=other, title="Beta care worker", kind="volunteering")
    VacancyFactory.create(provider=other, title="Gamma care worker")
    client = client_for("staff")
    url = reverse("placements:vacancy-list")

    def titles(params: dict[str, str]) -> list[str]:
        return [v.title for v in client.get(url, params).context["vacancies"]]

    assert titles({"q": "sunrise"}) == ["Gamma care worker", "Beta care worker"]
    assert titles({"status": "draft"}) == ["Alpha support worker"]
    assert titles({"provider": str(other.public_id), "kind": "volunteering"}) == ["Beta care worker"]


def test_apply_goes_to_sign_in_until_the_applications_page_exists(client: Client) -> None:
    vacancy = VacancyFactory.create()
    page = client.get(reverse("placements:job-detail", kwargs={"public_id": vacancy.public_id})).content.decode()
    try:
        expected = reverse("placements:job-apply", kwargs={"public_id": vacancy.public_id})
    except NoReverseMatch:
        expected = (
            reverse("account_login")
            + "?next="
            + quote(reverse("placements:job-detail", kwargs={"public_id": vacancy.public_id}), safe="")
        )
    assert f'href="{escape(expected)}"' in page
