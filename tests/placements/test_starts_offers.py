"""Offers: places counted, the start date, the folder released with consent (and the DBS outcome shared), answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, OutboxMessage, User
from candidates.models import Candidate, DbsCheck, DbsShare
from placements.models import FolderRelease, JobApplication, Vacancy
from placements.services import offers
from providers.models import Provider
from tests.candidates.factories_dbs_records import at_status, consent_to_sharing
from tests.placements.factories_starts import JobApplicationFactory, application_for, offered

Status = JobApplication.Status
pytestmark = pytest.mark.django_db


def _next_week() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


def test_an_offer_holds_a_place_and_emails_the_learner(
    provider_user: User, provider_a: Provider, walk_in: Candidate
) -> None:
    application = application_for(provider_a, walk_in, status=Status.INTERVIEW)
    offers.offer_make(application=application, actor=provider_user, start_date=_next_week())
    application.refresh_from_db()
    assert application.status == Status.OFFERED
    assert application.offer_start_date == _next_week() and application.offered_at is not None
    assert offers.vacancy_places_held(application.vacancy) == 1
    (email,) = OutboxMessage.objects.filter(kind="placements/email/offer_made")
    assert email.to == ["wendy@example.org"]
    assert str(application.public_id) in email.body


def test_the_last_place_cannot_be_offered_twice(provider_user: User, provider_a: Provider) -> None:
    first = application_for(provider_a, places=1)
    second = JobApplicationFactory.create(vacancy=first.vacancy)
    offers.offer_make(application=first, actor=provider_user, start_date=_next_week())
    with pytest.raises(ValidationError, match="no places left"):
        offers.offer_make(application=second, actor=provider_user, start_date=_next_week())
    second.refresh_from_db()
    assert second.status == Status.SHORTLISTED


def test_a_start_before_the_offer_is_refused(staff: User, provider_a: Provider) -> None:
    application = application_for(provider_a)
    with pytest.raises(ValidationError) as error:
        offers.offer_make(application=application, actor=staff, start_date=timezone.localdate() - dt.timedelta(days=1))
    assert "before the offer" in str(error.value)
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED and application.offered_at is None


@pytest.mark.parametrize("status", [Vacancy.Status.FILLED, Vacancy.Status.DRAFT])
def test_a_vacancy_that_takes_no_offers(staff: User, provider_a: Provider, status: str) -> None:
    application = application_for(provider_a)
    Vacancy.objects.filter(pk=application.vacancy_id).update(status=status)
    with pytest.raises(ValidationError, match="cannot be offered"):
        offers.offer_make(application=application, actor=staff, start_date=_next_week())


def test_with_consent_the_offer_releases_the_folder_and_shares_a_clear_dbs(
    provider_user: User, provider_a: Provider, walk_in: Candidate, staff: User
) -> None:
    consent_to_sharing(walk_in)
    check = at_status(DbsCheck.Status.CLEARED, candidate=walk_in, staff=staff)
    application = application_for(provider_a, walk_in, folder_release_consented=True)
    offers.offer_make(application=application, actor=provider_user, start_date=_next_week())
    release = FolderRelease.objects.get(application=application)
    assert release.released_by == provider_user
    assert DbsShare.objects.filter(dbs_check=check, provider=provider_a, revoked_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="folder.release")
    assert entry.data["dbs_shared"] is True and entry.object_id == str(application.pk)


def test_with_consent_but_no_clear_dbs_the_folder_goes_without_a_dbs_outcome(
    provider_user: User, provider_a: Provider, walk_in: Candidate
) -> None:
    consent_to_sharing(walk_in)
    at_status(DbsCheck.Status.SUBMITTED, candidate=walk_in)
    application = application_for(provider_a, walk_in, folder_release_consented=True)
    offers.offer_make(application=application, actor=provider_user, start_date=_next_week())
    assert FolderRelease.objects.filter(application=application).exists()
    assert not DbsShare.objects.exists()


def test_without_consent_nothing_is_released(
    provider_user: User, provider_a: Provider, walk_in: Candidate, staff: User
) -> None:
    consent_to_sharing(walk_in)
    at_status(DbsCheck.Status.CLEARED, candidate=walk_in, staff=staff)
    application = application_for(provider_a, walk_in, folder_release_consented=False)
    offers.offer_make(application=application, actor=provider_user, start_date=_next_week())
    assert not FolderRelease.objects.exists()
    assert not DbsShare.objects.exists()
    assert not AuditEntry.objects.filter(action="folder.release").exists()


def test_accepting_the_last_place_fills_the_vacancy(
    learner: User, candidate: Candidate, provider_a: Provider, provider_user: User
) -> None:
    application = offered(provider_a, candidate)
    offers.offer_accept(application=application, actor=learner)
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.accepted_at is not None
    assert Vacancy.objects.get(pk=application.vacancy_id).status == Vacancy.Status.FILLED
    assert OutboxMessage.objects.filter(kind="placements/email/offer_accepted", to=["provider.a@example.org"]).exists()


def test_accepting_one_of_two_places_leaves_the_vacancy_open(
    learner: User, candidate: Candidate, provider_a: Provider
) -> None:
    application = offered(provider_a, candidate, places=2)
    offers.offer_accept(application=application, actor=learner)
    assert Vacancy.objects.get(pk=application.vacancy_id).status == Vacancy.Status.PUBLISHED


def test_declining_frees_the_place(learner: User, candidate: Candidate, provider_a: Provider, staff: User) -> None:
    application = offered(provider_a, candidate)
    other = JobApplicationFactory.create(vacancy=application.vacancy)
    offers.offer_decline(application=application, actor=learner)
    application.refresh_from_db()
    assert application.status == Status.NOT_PROGRESSED
    assert application.not_progressed_reason == JobApplication.NotProgressedReason.OFFER_DECLINED
    offers.offer_make(application=other, actor=staff, start_date=_next_week())  # the place is free again
    with pytest.raises(ValidationError, match="no offer to accept"):
        offers.offer_accept(application=application, actor=learner)
