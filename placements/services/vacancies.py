"""Vacancies: a provider posts and submits, staff approve or ask for changes, dates and filled places close them.

Lifecycle: draft -> submitted -> published -> closed or filled; staff may send a submitted vacancy
back as "changes needed", which the provider edits and submits again. Every move is written by
`_move`: the status, a VacancyStatusChange row and an audit entry in one transaction.

Places are counted under a row lock: `vacancy_fill_place` locks the vacancy (SELECT ... FOR UPDATE)
before it counts, so two providers' users or staff offering the last place at once are served one
after the other and the second is told none is left. A caller that also locks a job application
locks the vacancy first, then the application, as courses does with cohorts and applications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from academy.postcodes import Location, postcode_format, postcode_locate
from placements.models import Vacancy, VacancyStatusChange
from placements.models.choices import MAX_WEEKLY_HOURS, PayPeriod
from providers.models import Provider

Status = Vacancy.Status

# Statuses in which the provider may change the details and submit them.
EDITABLE = (Status.DRAFT, Status.REJECTED)
# Statuses from which a vacancy can be withdrawn or closed.
CLOSABLE = (Status.DRAFT, Status.SUBMITTED, Status.REJECTED, Status.PUBLISHED)
# Statuses in which an offer can take a place: open, or closed to applications by its date while the
# applicants who applied in time are still interviewed and offered.
FILLABLE = (Status.PUBLISHED, Status.CLOSED)

# The fields a provider fills in (the form and the service agree on these).
DETAIL_FIELDS = (
    "kind",
    "title",
    "job_role",
    "description",
    "hours_per_week",
    "contract_type",
    "pay_amount",
    "pay_period",
    "place",
    "postcode",
    "places",
    "start_date",
    "closing_date",
    "guaranteed_interview",
    "ring_fenced_cohort",
)


class NoPlacesLeft(ValidationError):
    """Every place on the vacancy is taken (raised by `vacancy_fill_place`)."""


# --- checks ---------------------------------------------------------------------------------


def vacancy_details_errors(data: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, str]:
    """The rules across fields, as {field: message}; empty when the details can be saved.

    - hours above 0 and at most MAX_WEEKLY_HOURS;
    - the closing date today or later;
    - a start date, if given, on or after the closing date: people are still applying until then, and a
      start before it would be a start before the offer. Blank means "flexible, as soon as the checks are done";
    - a pay amount unless the vacancy is unpaid, and none when it is.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    hours = data.get("hours_per_week")
    if hours is not None and hours <= 0:
        errors["hours_per_week"] = "Hours per week must be more than 0"
    elif hours is not None and hours > MAX_WEEKLY_HOURS:
        errors["hours_per_week"] = f"Hours per week must be {MAX_WEEKLY_HOURS} or fewer"
    closing = data.get("closing_date")
    if closing is not None and closing < today:
        errors["closing_date"] = f"Closing date must be today ({today:%-d %B %Y}) or later"
    start = data.get("start_date")
    if start is not None and closing is not None and start < closing:
        errors["start_date"] = (
            f"Start date must be on or after the closing date ({closing:%-d %B %Y}), when applications end. "
            "Leave it blank if the start is flexible"
        )
    period, amount = data.get("pay_period"), data.get("pay_amount")
    if period == PayPeriod.UNPAID and amount:
        errors["pay_amount"] = "Leave the pay blank for an unpaid vacancy, or choose per hour or per year"
    elif period in (PayPeriod.HOUR, PayPeriod.YEAR) and amount is None:
        errors["pay_amount"] = "Enter the pay, or choose unpaid"
    return errors


def vacancy_postcode_location(postcode: str) -> Location | None:
    """Where a vacancy's postcode is: its own centroid, else its district's, else None (searched by town)."""
    return postcode_locate(postcode)


# --- history --------------------------------------------------------------------------------


def _move(
    vacancy: Vacancy, *, to: str, actor: User | None, reason: str = "", action: str, data: dict[str, Any] | None = None
) -> Vacancy:
    """Set the status, write its history row and audit entry (the caller holds the transaction)."""
    previous = vacancy.status
    now = timezone.now()
    vacancy.status = to
    vacancy.status_reason = reason
    fields = ["status", "status_reason", "updated_at"]
    if to == Status.PUBLISHED:
        vacancy.published_at = now
        fields.append("published_at")
    vacancy.save(update_fields=fields)
    VacancyStatusChange.objects.create(
        vacancy=vacancy,
        from_status=previous,
        to_status=to,
        reason=reason,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now,
    )
    audit_log(
        actor=actor, action=action, obj=vacancy, data={"from": previous, "to": to, "reason": reason, **(data or {})}
    )
    return vacancy


def _lock(vacancy: Vacancy) -> Vacancy:
    """Lock the vacancy row until the transaction ends; everyone counting its places waits here."""
    return Vacancy.objects.select_for_update().get(pk=vacancy.pk)


def _refuse_unless(vacancy: Vacancy, allowed: tuple[str, ...], doing: str) -> None:
    if vacancy.status not in allowed:
        raise ValidationError(f"This vacancy is {vacancy.get_status_display().lower()}, so it cannot be {doing}.")


# --- provider: post, edit, submit, withdraw ---------------------------------------------------


def _apply_details(vacancy: Vacancy, data: Mapping[str, Any]) -> list[str]:
    """Copy the details onto `vacancy` and place its postcode; returns the names of the fields that changed."""
    changed = []
    for name in DETAIL_FIELDS:
        value = data.get(name)
        if name == "postcode":
            value = postcode_format(str(value or ""))
        if name in ("description", "title", "place"):
            value = str(value or "").strip()
        if name == "pay_amount" and data.get("pay_period") == PayPeriod.UNPAID:
            value = None
        if getattr(vacancy, name) != value:
            changed.append(name)
        setattr(vacancy, name, value)
    location = vacancy_postcode_location(vacancy.postcode)
    vacancy.easting = location.easting if location else None
    vacancy.northing = location.northing if location else None
    return changed


def _check_details(data: Mapping[str, Any]) -> None:
    errors = vacancy_details_errors(data)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def vacancy_create(*, provider: Provider, actor: User, data: Mapping[str, Any]) -> Vacancy:
    """Save a new vacancy as a draft for `provider`; it is not seen outside the provider and staff until approved."""
    _check_details(data)
    vacancy = Vacancy(provider=provider, created_by=actor, status=Status.DRAFT)
    _apply_details(vacancy, data)
    vacancy.full_clean(exclude=["ring_fenced_cohort", "created_by", "provider"])
    vacancy.save()
    VacancyStatusChange.objects.create(
        vacancy=vacancy, from_status="", to_status=Status.DRAFT, changed_by=actor, changed_at=vacancy.created_at
    )
    audit_log(actor=actor, action="vacancy.create", obj=vacancy, data={"provider": str(provider.public_id)})
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, actor: User, data: Mapping[str, Any]) -> Vacancy:
    """Change a draft's details, or those of a vacancy staff sent back for changes."""
    vacancy = _lock(vacancy)
    _refuse_unless(vacancy, EDITABLE, "changed: close it and post a new one instead")
    _check_details(data)
    changed = _apply_details(vacancy, data)
    vacancy.full_clean(exclude=["ring_fenced_cohort", "created_by", "provider"])
    vacancy.save()
    audit_log(actor=actor, action="vacancy.update", obj=vacancy, data={"changed": changed})
    return vacancy


@transaction.atomic
def vacancy_submit(*, vacancy: Vacancy, actor: User) -> Vacancy:
    """Send a draft (or a corrected vacancy) to staff for approval."""
    vacancy = _lock(vacancy)
    _refuse_unless(vacancy, EDITABLE, "submitted")
    today = timezone.localdate()
    if vacancy.closing_date < today:
        raise ValidationError(
            f"The closing date ({vacancy.closing_date:%-d %B %Y}) has passed. Change it before you submit the vacancy."
        )
    return _move(vacancy, to=Status.SUBMITTED, actor=actor, action="vacancy.submit")


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, actor: User, reason: str = "") -> Vacancy:
    """Withdraw a vacancy that is not published yet, or close a published one early; it leaves the job board."""
    vacancy = _lock(vacancy)
    _refuse_unless(vacancy, CLOSABLE, "closed")
    reason = reason.strip()
    if not reason and actor.is_provider_user:
        reason = "Closed by the provider."
    if not reason:
        raise ValidationError({"reason": "Enter why the vacancy is closing: the provider will see it."})
    return _move(vacancy, to=Status.CLOSED, actor=actor, reason=reason, action="vacancy.close")


# --- staff: approve or ask for changes --------------------------------------------------------


@transaction.atomic
def vacancy_approve(*, vacancy: Vacancy, actor: User) -> Vacancy:
    """Publish a submitted vacancy on the job board; emails the provider's users."""
    vacancy = _lock(vacancy)
    _refuse_unless(vacancy, (Status.SUBMITTED,), "approved")
    if vacancy.closing_date < timezone.localdate():
        raise ValidationError(
            f"The closing date ({vacancy.closing_date:%-d %B %Y}) has passed. Ask the provider for changes instead."
        )
    _move(vacancy, to=Status.PUBLISHED, actor=actor, action="vacancy.approve")
    _notify_provider(vacancy, "published")
    return vacancy


@transaction.atomic
def vacancy_request_changes(*, vacancy: Vacancy, actor: User, reason: str) -> Vacancy:
    """Send a submitted vacancy back to the provider with what to change; emails the provider's users."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter what the provider needs to change: they will see it."})
    vacancy = _lock(vacancy)
    _refuse_unless(vacancy, (Status.SUBMITTED,), "sent back for changes")
    _move(vacancy, to=Status.REJECTED, actor=actor, reason=reason, action="vacancy.request_changes")
    _notify_provider(vacancy, "changes_needed")
    return vacancy


# --- dates and places -----------------------------------------------------------------------


def vacancies_close_expired(*, today: dt.date | None = None) -> int:
    """Close published vacancies whose closing date has passed; returns how many. Safe to run again.

    One short transaction per vacancy, re-checked under its row lock, so a place filled at the same
    moment is not overwritten and a second run finds nothing to do.
    """
    today = today or timezone.localdate()
    closed = 0
    ids = list(Vacancy.objects.filter(status=Status.PUBLISHED, closing_date__lt=today).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            vacancy = Vacancy.objects.select_for_update().filter(pk=pk).first()
            if vacancy is None or vacancy.status != Status.PUBLISHED or vacancy.closing_date >= today:
                continue
            _move(
                vacancy,
                to=Status.CLOSED,
                actor=None,
                reason=f"The closing date ({vacancy.closing_date:%-d %B %Y}) passed.",
                action="vacancy.close_expired",
            )
            closed += 1
    return closed


@transaction.atomic
def vacancy_fill_place(vacancy: Vacancy, *, actor: User | None = None) -> Vacancy:
    """Take one place (a start confirmed: `places_filled` counts starts); the last moves it to "filled". Locks the row.

    Offers hold places without filling them (placements.services.offers counts offered and accepted
    applications under the same lock), and the last acceptance may already have marked the vacancy
    filled. Raises NoPlacesLeft when every place is taken, and ValidationError when the vacancy is not
    open to offers (a draft, waiting for approval, or sent back). Returns the locked, updated vacancy.
    """
    vacancy = _lock(vacancy)
    if vacancy.places_filled >= vacancy.places:
        raise NoPlacesLeft(
            f"All {vacancy.places} place{'s' if vacancy.places != 1 else ''} on {vacancy.title} "
            "are taken, so no more offers can be made on it."
        )
    _refuse_unless(vacancy, (*FILLABLE, Status.FILLED), "offered")
    vacancy.places_filled += 1
    vacancy.save(update_fields=["places_filled", "updated_at"])
    if vacancy.places_filled >= vacancy.places:
        vacancy_mark_filled(vacancy, actor=actor, reason="Every place is taken.")
    else:
        audit_log(actor=actor, action="vacancy.fill_place", obj=vacancy, data={"places_filled": vacancy.places_filled})
    return vacancy


def vacancy_mark_filled(vacancy: Vacancy, *, actor: User | None, reason: str = "Every place is taken.") -> Vacancy:
    """Move the vacancy to "filled" (history and audit) unless it already is; the caller holds its row lock."""
    if vacancy.status == Status.FILLED:
        return vacancy
    return _move(
        vacancy, to=Status.FILLED, actor=actor, reason=reason, action="vacancy.fill", data={"places": vacancy.places}
    )


@transaction.atomic
def vacancy_release_place(vacancy: Vacancy, *, actor: User | None = None) -> Vacancy:
    """Give a place back (an offer declined or withdrawn). A filled vacancy reopens on the board if its
    closing date has not passed, else it becomes closed. Locks the row."""
    vacancy = _lock(vacancy)
    if vacancy.places_filled == 0:
        raise ValidationError(f"No place on {vacancy.title} is taken, so none can be given back.")
    vacancy.places_filled -= 1
    vacancy.save(update_fields=["places_filled", "updated_at"])
    if vacancy.status == Status.FILLED:
        if vacancy.closing_date >= timezone.localdate():
            _move(vacancy, to=Status.PUBLISHED, actor=actor, reason="A place was given back.", action="vacancy.reopen")
        else:
            _move(
                vacancy,
                to=Status.CLOSED,
                actor=actor,
                reason="A place was given back after the closing date.",
                action="vacancy.release_place",
            )
    else:
        audit_log(
            actor=actor, action="vacancy.release_place", obj=vacancy, data={"places_filled": vacancy.places_filled}
        )
    return vacancy


def vacancies_relocate() -> int:
    """Give every vacancy not yet closed or filled the grid reference of its postcode as the table now has it
    (after `load_postcodes`); returns how many changed. A lookup and an update per distinct postcode, not per
    vacancy."""
    changed = 0
    live = Vacancy.objects.exclude(status__in=(Status.CLOSED, Status.FILLED))
    for postcode in live.values_list("postcode", flat=True).distinct().order_by("postcode"):
        location = vacancy_postcode_location(postcode)
        east, north = (location.easting, location.northing) if location else (None, None)
        changed += (
            live.filter(postcode=postcode)
            .exclude(easting=east, northing=north)
            .update(easting=east, northing=north, updated_at=timezone.now())
            if location
            else live.filter(postcode=postcode, easting__isnull=False).update(
                easting=None, northing=None, updated_at=timezone.now()
            )
        )
    return changed


# --- email ----------------------------------------------------------------------------------


def _notify_provider(vacancy: Vacancy, event: str) -> None:
    """Email each active user of the vacancy's provider about `event`, one message each (written to the outbox
    in this transaction, so they go only if the change commits)."""
    recipients = sorted(
        User.objects.filter(provider_membership__provider_id=vacancy.provider_id, is_active=True).values_list(
            "email", flat=True
        )
    )
    for email in recipients:
        email_enqueue(
            email_render(
                template_prefix=f"placements/email/vacancy_{event}",
                to=[email],
                context={
                    "vacancy": vacancy,
                    "vacancy_path": reverse("placements:vacancy-detail", kwargs={"public_id": vacancy.public_id}),
                    "job_path": reverse("placements:job-detail", kwargs={"public_id": vacancy.public_id}),
                },
            )
        )
