"""Offers of a vacancy's place: made by the provider or staff, accepted or declined by the learner.

Places are counted inside the transaction that makes the offer, under a row lock on the vacancy
(SELECT ... FOR UPDATE): two providers' users, or a provider and staff, offering the last place at
the same moment are served one after the other, and the second sees no place left. Services that
take or free a place lock the vacancy first and the application second, always in that order.
An offer releases the personnel folder to the provider when the learner agreed to it on this
application (placements.services.folders.folder_release).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from placements.models import JobApplication, Vacancy
from placements.services import vacancies
from placements.services.folders import folder_release
from placements.services.job_applications import job_application_move
from placements.services.starts_notify import learner_send, provider_emails, send

Status = JobApplication.Status

# Applications a place can be offered to.
OFFERABLE = (Status.APPLIED, Status.REFERRED, Status.SHORTLISTED, Status.INTERVIEW)
# Vacancies whose places can still be offered: published, or closed to applications but not yet filled.
TAKES_OFFERS = (Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED)
# Offers that count against the vacancy's places once accepted (the last acceptance fills it).
ACCEPTED = (Status.ACCEPTED, Status.STARTED)


def lock_vacancy(vacancy: Vacancy) -> Vacancy:
    """Lock the vacancy row until the transaction ends; everyone counting its places waits here."""
    return Vacancy.objects.select_for_update(of=("self",)).select_related("provider").get(pk=vacancy.pk)


def lock_application(application: JobApplication, vacancy: Vacancy) -> JobApplication:
    locked = (
        JobApplication.objects.select_for_update(of=("self",)).select_related("candidate__user").get(pk=application.pk)
    )
    locked.vacancy = vacancy
    return locked


def vacancy_places_held(vacancy: Vacancy) -> int:
    """Places held by offers made, accepted or started (JobApplication.HOLDS_PLACE)."""
    return vacancy.applications.filter(status__in=JobApplication.HOLDS_PLACE).count()


@transaction.atomic
def offer_make(
    *, application: JobApplication, actor: User, start_date: dt.date, now: dt.datetime | None = None
) -> JobApplication:
    """Offer the vacancy's place with a proposed start date; emails the learner; releases the folder if agreed.

    Refused when the application cannot be offered, the vacancy takes no offers, no place is left
    (counted under the vacancy's row lock) or the start date is before the offer.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    vacancy = lock_vacancy(application.vacancy)
    application = lock_application(application, vacancy)
    if application.status not in OFFERABLE:
        raise ValidationError(
            f"A place cannot be offered: this application is {application.get_status_display().lower()}."
        )
    if vacancy.status not in TAKES_OFFERS:
        raise ValidationError(
            f"{vacancy.title} is {vacancy.get_status_display().lower()}, so its places cannot be offered."
        )
    if start_date < today:
        raise ValidationError({"start_date": "The start date cannot be before the offer: enter today or a later date"})
    held = vacancy_places_held(vacancy)
    if held >= vacancy.places:
        raise ValidationError(
            f"There are no places left on {vacancy.title}: "
            f"{'the place has' if vacancy.places == 1 else f'all {vacancy.places} places have'} "
            "already been offered or filled."
        )
    application.offered_at = now
    application.offer_start_date = start_date
    application.save(update_fields=["offered_at", "offer_start_date", "updated_at"])
    job_application_move(application, Status.OFFERED, actor=actor, at=now, notify=False)
    if application.folder_release_consented:
        folder_release(application=application, actor=actor, now=now)
    learner_send(
        "offer_made",
        application.candidate,
        {
            "application": application,
            "vacancy": vacancy,
            "provider": vacancy.provider,
            "candidate": application.candidate,
            "respond_path": reverse("placements:offer-respond", kwargs={"public_id": application.public_id}),
        },
    )
    return application


@transaction.atomic
def offer_accept(*, application: JobApplication, actor: User, now: dt.datetime | None = None) -> JobApplication:
    """The learner accepts; the provider is told. The last place accepted fills the vacancy."""
    now = now or timezone.now()
    vacancy = lock_vacancy(application.vacancy)
    application = lock_application(application, vacancy)
    if application.status != Status.OFFERED:
        raise ValidationError(
            f"There is no offer to accept: this application is {application.get_status_display().lower()}."
        )
    application.accepted_at = now
    application.save(update_fields=["accepted_at", "updated_at"])
    job_application_move(application, Status.ACCEPTED, actor=actor, at=now, notify=False)
    if vacancy.applications.filter(status__in=ACCEPTED).count() >= vacancy.places:
        vacancies.vacancy_mark_filled(vacancy, actor=actor, reason="Every place has been accepted.")
    _tell_provider(application, "offer_accepted")
    return application


@transaction.atomic
def offer_decline(*, application: JobApplication, actor: User, now: dt.datetime | None = None) -> JobApplication:
    """The learner turns the offer down: not progressed (offer declined); the place is free again."""
    now = now or timezone.now()
    vacancy = lock_vacancy(application.vacancy)
    application = lock_application(application, vacancy)
    if application.status != Status.OFFERED:
        raise ValidationError(
            f"There is no offer to decline: this application is {application.get_status_display().lower()}."
        )
    job_application_move(
        application,
        Status.NOT_PROGRESSED,
        actor=actor,
        not_progressed_reason=JobApplication.NotProgressedReason.OFFER_DECLINED,
        at=now,
        notify=False,
    )
    _tell_provider(application, "offer_declined")
    return application


def _tell_provider(application: JobApplication, template: str) -> None:
    send(
        template,
        provider_emails(application.vacancy.provider),
        {
            "application": application,
            "vacancy": application.vacancy,
            "candidate": application.candidate,
            "checklist_path": reverse("placements:checklist", kwargs={"public_id": application.public_id}),
        },
    )
