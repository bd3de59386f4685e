"""Provider engagement: contacts and support, who has not been contacted, weak CQC ratings, the open places
placements report, and the quarterly survey (one answer per provider and quarter) with its figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from academy.periods import add_months, quarter_label, quarter_of
from providers.models import Provider, ProviderContact, ProviderSurvey
from providers.selectors import (
    provider_engagement_list,
    survey_figures,
    survey_figures_by_provider,
)
from providers.services import provider_contact_record, provider_survey_answer
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"readiness": 4, "values": 5, "retention": 3, "support": 4, "turnover_percent": Decimal("23.5")}


def test_quarters() -> None:
    assert quarter_of(date(2026, 5, 17)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter_of(date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_label(date(2026, 4, 1)) == "April to June 2026"
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_engagement_list_finds_who_needs_a_call_and_who_needs_help(staff: User) -> None:
    today = timezone.localdate()
    recent = ProviderFactory.create(name="Recently called", cqc_rating=Provider.CqcRating.GOOD)
    stale = ProviderFactory.create(name="Called long ago", cqc_rating=Provider.CqcRating.REQUIRES_IMPROVEMENT)
    ProviderFactory.create(name="Never called", cqc_rating=Provider.CqcRating.INADEQUATE)
    ProviderFactory.create(name="Outstanding and never called", cqc_rating=Provider.CqcRating.OUTSTANDING)
    provider_contact_record(provider=recent, actor=staff, kind="call", occurred_on=today - timedelta(days=10))
    provider_contact_record(provider=stale, actor=staff, kind="visit", occurred_on=add_months(today, -7))

    def names(*, not_contacted_months: int | None = None, weak_rating_only: bool = False) -> list[str]:
        rows = provider_engagement_list(
            providers=Provider.objects.all(),
            today=today,
            not_contacted_months=not_contacted_months,
            weak_rating_only=weak_rating_only,
        )
        return [p.name for p in rows]

    assert names(not_contacted_months=6) == ["Never called", "Outstanding and never called", "Called long ago"]
    assert names(weak_rating_only=True) == ["Never called", "Called long ago"]
    assert names(not_contacted_months=6, weak_rating_only=True) == ["Never called", "Called long ago"]
    row = next(p for p in provider_engagement_list(providers=Provider.objects.all(), today=today) if p == recent)
    assert getattr(row, "last_contact_on") == today - timedelta(days=10)  # noqa: B009 - an annotation
    assert getattr(row, "contacts_last_year") == 1  # noqa: B009


def test_a_contact_cannot_be_in_the_future(staff: User, provider_a: Provider) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        provider_contact_record(
            provider=provider_a, actor=staff, kind="call", occurred_on=timezone.localdate() + timedelta(days=1)
        )


def test_staff_record_contacts_and_support_on_the_engagement_page(
    client_for: Callable[[str], Client], provider_a: Provider
) -> None:
    client = client_for("staff")
    today = timezone.localdate()
    date_fields = {"_0": today.day, "_1": today.month, "_2": today.year}
    url = reverse("providers:contact-create", kwargs={"public_id": provider_a.public_id})
    response = client.post(
        url,
        {
            "kind": "visit",
            "summary": "Talked about night shifts",
            **{f"occurred_on{k}": v for k, v in date_fields.items()},
        },
    )
    assert response.status_code == 302
    url = reverse("providers:support-create", kwargs={"public_id": provider_a.public_id})
    response = client.post(
        url,
        {"kind": "training", "details": "Moving and handling", **{f"offered_on{k}": v for k, v in date_fields.items()}},
    )
    assert response.status_code == 302
    page = client.get(reverse("providers:provider-engagement", kwargs={"public_id": provider_a.public_id}))
    html = page.content.decode()
    assert "Talked about night shifts" in html and "Moving and handling" in html
    assert "Not reported" in html  # no turnover yet
    listing = client.get(reverse("providers:engagement-list")).content.decode()
    assert provider_a.name in listing


def test_open_places_come_from_published_vacancies(client_for: Callable[[str], Client], provider_a: Provider) -> None:
    from placements.models import Vacancy

    Vacancy.objects.create(
        provider=provider_a,
        title="Care assistant",
        job_role="care_worker",
        description="Days",
        hours_per_week=Decimal("30"),
        contract_type="permanent",
        place="Leeds",
        postcode="LS1 1AA",
        places=5,
        places_filled=2,
        closing_date=timezone.localdate() + timedelta(days=30),
        status=Vacancy.Status.PUBLISHED,
    )
    Vacancy.objects.create(
        provider=provider_a,
        title="Draft job",
        job_role="care_worker",
        description="Nights",
        hours_per_week=Decimal("30"),
        contract_type="permanent",
        place="Leeds",
        postcode="LS1 1AA",
        places=4,
        closing_date=timezone.localdate() + timedelta(days=30),
        status=Vacancy.Status.DRAFT,
    )
    page = client_for("staff").get(reverse("providers:provider-engagement", kwargs={"public_id": provider_a.public_id}))
    assert "3 unfilled places in published job and apprenticeship vacancies" in page.content.decode()


def test_one_survey_answer_per_provider_and_quarter(provider_user: User, provider_a: Provider) -> None:
    today = timezone.localdate()
    first = provider_survey_answer(provider=provider_a, actor=provider_user, data=ANSWERS, today=today)
    changed = provider_survey_answer(
        provider=provider_a, actor=provider_user, data={**ANSWERS, "support": 2}, today=today
    )
    assert first.pk == changed.pk and changed.support == 2
    assert ProviderSurvey.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ProviderSurvey.objects.create(provider=provider_a, quarter_start=quarter_of(today)[0], **ANSWERS)
    next_quarter = quarter_of(today)[1] + timedelta(days=1)
    provider_survey_answer(provider=provider_a, actor=provider_user, data=ANSWERS, today=next_quarter)
    assert ProviderSurvey.objects.count() == 2


def test_a_provider_user_answers_for_their_own_provider_only(
    client_for: Callable[[str], Client], provider_a: Provider, provider_b: Provider
) -> None:
    client = client_for("provider_user")
    url = reverse("providers:survey-answer")
    page = client.get(url).content.decode()
    assert provider_a.name in page and provider_b.name not in page
    response = client.post(url, {**ANSWERS, "comments": "Good recruits", "provider": provider_b.pk})
    assert response.status_code == 302
    answer = ProviderSurvey.objects.get()
    assert answer.provider == provider_a and answer.turnover_percent == Decimal("23.5")
    assert "You can change the answers" in client.get(url).content.decode()
    missing = client.post(url, {"readiness": 4})
    assert "Choose a score for their values and attitude" in missing.content.decode()


def test_survey_figures_for_a_period_and_by_provider(provider_a: Provider, provider_b: Provider) -> None:
    q1, q2 = date(2026, 1, 1), date(2026, 4, 1)
    ProviderSurvey.objects.create(provider=provider_a, quarter_start=q1, readiness=4, values=5, retention=3, support=4)
    ProviderSurvey.objects.create(provider=provider_a, quarter_start=q2, readiness=2, values=4, retention=3, support=5)
    ProviderSurvey.objects.create(provider=provider_b, quarter_start=q2, readiness=5, values=5, retention=5, support=5)

    both = survey_figures(start=q1, end=q2)
    assert (both.responses, both.providers) == (3, 2)
    assert both.readiness == Decimal("3.7") and both.support == Decimal("4.7")
    spring = survey_figures(start=q2, end=q2, provider=provider_a)
    assert (spring.responses, spring.readiness) == (1, Decimal("2.0"))
    assert survey_figures(start=date(2025, 1, 1), end=date(2025, 12, 31)).readiness is None

    per_provider = {row.provider_name: row.figures for row in survey_figures_by_provider(start=q1, end=q2)}
    assert per_provider[provider_a.name].responses == 2 and per_provider[provider_a.name].readiness == Decimal("3.0")
    assert per_provider[provider_b.name].retention == Decimal("5.0")


def test_staff_read_the_answers_with_averages(
    client_for: Callable[[str], Client], provider_a: Provider, provider_user: User
) -> None:
    provider_survey_answer(provider=provider_a, actor=provider_user, data=ANSWERS, today=timezone.localdate())
    html = client_for("staff").get(reverse("providers:survey-list")).content.decode()
    assert "1 answer from 1 provider" in html and provider_a.name in html


@pytest.mark.parametrize("rows", [1, 10])
def test_engagement_lists_keep_a_constant_number_of_queries(
    rows: int, client_for: Callable[[str], Client], staff: User, django_assert_num_queries
) -> None:
    today = timezone.localdate()
    for n in range(rows):
        provider = ProviderFactory.create(name=f"Provider {n:02d}")
        ProviderContact.objects.create(provider=provider, kind="call", occurred_on=today)
        ProviderSurvey.objects.create(
            provider=provider, quarter_start=quarter_of(today)[0], readiness=3, values=3, retention=3, support=3
        )
    client = client_for("staff")
    client.get(reverse("providers:engagement-list"))
    with django_assert_num_queries(ENGAGEMENT_LIST_QUERIES):
        assert client.get(reverse("providers:engagement-list")).status_code == 200
    with django_assert_num_queries(SURVEY_LIST_QUERIES):
        assert client.get(reverse("providers:survey-list")).status_code == 200


ENGAGEMENT_LIST_QUERIES = 6
SURVEY_LIST_QUERIES = 6


def test_the_engagement_page_filters_by_months_and_rating(client_for: Callable[[str], Client], staff: User) -> None:
    today = timezone.localdate()
    called = ProviderFactory.create(name="Called this week", cqc_rating=Provider.CqcRating.INADEQUATE)
    ProviderFactory.create(name="Good and never called", cqc_rating=Provider.CqcRating.GOOD)
    ProviderFactory.create(name="Weak and never called", cqc_rating=Provider.CqcRating.REQUIRES_IMPROVEMENT)
    provider_contact_record(provider=called, actor=staff, kind="call", occurred_on=today)
    client = client_for("staff")
    html = client.get(reverse("providers:engagement-list"), {"not_contacted": "6", "rating": "weak"}).content.decode()
    assert "Weak and never called" in html
    assert "Good and never called" not in html and "Called this week" not in html
    empty = client.get(reverse("providers:engagement-list"), {"q": "nobody by this name"}).content.decode()
    assert "No providers match these filters" in empty
