"""Vacancy services: posting, the rules on hours and dates, approval, closing by date and filling places."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, OutboxMessage, User
from placements.models import ContractType, JobRole, PayPeriod, Vacancy, VacancyKind, VacancyStatusChange
from placements.services import vacancies as services
from placements.tasks import vacancies_close_expired_task
from providers.models import Provider
from tests.placements.factories_vacancies import VacancyFactory, postcode_centroids  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Vacancy.Status


def details(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "kind": VacancyKind.JOB,
        "title": "Home care worker",
        "job_role": JobRole.CARE_WORKER,
        "description": "Supporting people at home.",
        "hours_per_week": Decimal("30"),
        "contract_type": ContractType.PERMANENT,
        "pay_amount": Decimal("12.60"),
        "pay_period": PayPeriod.HOUR,
        "place": "Harehills, Leeds",
        "postcode": "ls9 8ab",
        "places": 2,
        "start_date": today + dt.timedelta(days=30),
        "closing_date": today + dt.timedelta(days=14),
        "guaranteed_interview": False,
        "ring_fenced_cohort": None,
    }
    data.update(overrides)
    return data


def statuses(vacancy: Vacancy) -> list[tuple[str, str]]:
    return list(
        VacancyStatusChange.objects.filter(vacancy=vacancy)
        .order_by("changed_at", "id")
        .values_list("from_status", "to_status")
    )


@pytest.mark.usefixtures("postcode_centroids")
def test_a_provider_posts_a_draft_placed_on_the_grid(provider_user: User, provider_a: Provider) -> None:
    vacancy = services.vacancy_create(provider=provider_a, actor=provider_user, data=details())
    assert (vacancy.status, vacancy.postcode, vacancy.easting, vacancy.northing) == (
        Status.DRAFT,
        "LS9 8AB",
        432300,
        433400,
    )
    assert statuses(vacancy) == [("", Status.DRAFT)]
    assert AuditEntry.objects.filter(action="vacancy.create", object_id=str(vacancy.pk)).exists()


@pytest.mark.usefixtures("postcode_centroids")
def test_an_unknown_postcode_is_saved_without_coordinates_and_a_known_district_gets_its_centre(
    provider_user: User, provider_a: Provider
) -> None:
    unknown = services.vacancy_create(provider=provider_a, actor=provider_user, data=details(postcode="ZZ9 9ZZ"))
    assert (unknown.easting, unknown.northing) == (None, None)
    district = services.vacancy_create(provider=provider_a, actor=provider_user, data=details(postcode="LS9 1XX"))
    assert district.easting is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours_per_week": Decimal("0")}, "hours_per_week"),
        ({"hours_per_week": Decimal("-4")}, "hours_per_week"),
        ({"hours_per_week": Decimal("61")}, "hours_per_week"),
        ({"closing_date": timezone.localdate() - dt.timedelta(days=1)}, "closing_date"),
        ({"start_date": timezone.localdate() + dt.timedelta(days=13)}, "start_date"),
        ({"pay_amount": None}, "pay_amount"),
        ({"pay_period": PayPeriod.UNPAID}, "pay_amount"),
    ],
)
def test_bad_details_are_refused_and_nothing_saved(
    provider_user: User, provider_a: Provider, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.vacancy_create(provider=provider_a, actor=provider_user, data=details(**overrides))
    assert field in caught.value.message_dict
    assert not Vacancy.objects.exists()


def test_a_flexible_start_and_a_start_on_the_closing_date_are_accepted(
    provider_user: User, provider_a: Provider
) -> None:
    closing = timezone.localdate() + dt.timedelta(days=14)
    services.vacancy_create(provider=provider_a, actor=provider_user, data=details(start_date=None))
    services.vacancy_create(provider=provider_a, actor=provider_user, data=details(start_date=closing))
    assert Vacancy.objects.count() == 2


def test_submit_approve_publishes_and_emails_the_provider(
    provider_user: User, provider_a: Provider, staff: User
) -> None:
    vacancy = services.vacancy_create(provider=provider_a, actor=provider_user, data=details())
    services.vacancy_submit(vacancy=vacancy, actor=provider_user)
    services.vacancy_approve(vacancy=vacancy, actor=staff)
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED and vacancy.published_at is not None
    assert statuses(vacancy) == [("", "draft"), ("draft", "submitted"), ("submitted", "published")]
    message = OutboxMessage.objects.get()
    assert message.to == [provider_user.email] and "on the job board" in message.subject
    with pytest.raises(ValidationError, match="published, so it cannot be approved"):
        services.vacancy_approve(vacancy=vacancy, actor=staff)


def test_changes_needed_goes_back_to_the_provider_who_edits_and_resubmits(
    provider_user: User, provider_a: Provider, staff: User
) -> None:
    vacancy = services.vacancy_create(provider=provider_a, actor=provider_user, data=details())
    services.vacancy_submit(vacancy=vacancy, actor=provider_user)
    with pytest.raises(ValidationError):
        services.vacancy_request_changes(vacancy=vacancy, actor=staff, reason="  ")
    services.vacancy_request_changes(vacancy=vacancy, actor=staff, reason="Add the pay for weekends.")
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.status_reason) == (Status.REJECTED, "Add the pay for weekends.")
    assert "Add the pay for weekends." in OutboxMessage.objects.get().body
    services.vacancy_update(vacancy=vacancy, actor=provider_user, data=details(title="Home care worker, weekends"))
    services.vacancy_submit(vacancy=vacancy, actor=provider_user)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.title) == (Status.SUBMITTED, "Home care worker, weekends")


def test_a_published_vacancy_cannot_be_edited_but_can_be_closed(provider_user: User, provider_a: Provider) -> None:
    vacancy = VacancyFactory.create(provider=provider_a)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.vacancy_update(vacancy=vacancy, actor=provider_user, data=details())
    services.vacancy_close(vacancy=vacancy, actor=provider_user)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.status_reason) == (Status.CLOSED, "Closed by the provider.")


def test_staff_closing_a_vacancy_must_say_why(provider_a: Provider, staff: User) -> None:
    vacancy = VacancyFactory.create(provider=provider_a)
    with pytest.raises(ValidationError):
        services.vacancy_close(vacancy=vacancy, actor=staff)
    services.vacancy_close(vacancy=vacancy, actor=staff, reason="A complaint about the advert.")
    assert Vacancy.objects.get().status == Status.CLOSED


def test_the_daily_task_closes_past_closing_dates_once() -> None:
    today = timezone.localdate()
    past = VacancyFactory.create(closing_date=today - dt.timedelta(days=1))
    due_today = VacancyFactory.create(closing_date=today)
    draft = VacancyFactory.create(closing_date=today - dt.timedelta(days=3), status=Status.DRAFT)
    assert vacancies_close_expired_task.delay().get() == 1
    assert services.vacancies_close_expired() == 0
    past.refresh_from_db()
    assert past.status == Status.CLOSED and "closing date" in past.status_reason
    assert statuses(past) == [(Status.PUBLISHED, Status.CLOSED)]
    assert Vacancy.objects.get(pk=due_today.pk).status == Status.PUBLISHED
    assert Vacancy.objects.get(pk=draft.pk).status == Status.DRAFT


def test_filling_the_last_place_marks_it_filled_and_no_more_can_be_taken() -> None:
    vacancy = VacancyFactory.create(places=2)
    services.vacancy_fill_place(vacancy)
    assert Vacancy.objects.get().status == Status.PUBLISHED
    filled = services.vacancy_fill_place(vacancy)
    assert (filled.status, filled.places_filled) == (Status.FILLED, 2)
    with pytest.raises(services.NoPlacesLeft, match="All 2 places"):
        services.vacancy_fill_place(vacancy)
    # A place given back reopens it while the closing date has not passed.
    services.vacancy_release_place(vacancy)
    assert Vacancy.objects.get().status == Status.PUBLISHED


def test_places_can_be_filled_after_the_closing_date_but_not_on_a_draft() -> None:
    closed = VacancyFactory.create(status=Status.CLOSED)
    assert services.vacancy_fill_place(closed).status == Status.FILLED
    with pytest.raises(ValidationError, match="draft"):
        services.vacancy_fill_place(VacancyFactory.create(status=Status.DRAFT))
