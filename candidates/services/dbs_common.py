"""Helpers the DBS services share: month arithmetic, date rules with plain-English errors, the row lock."""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import dateformat

from candidates.models import DbsCheck


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; a day past the end of a shorter month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def long_date(day: date) -> str:
    """A date as people write it: 13 May 2026."""
    return dateformat.format(day, "j F Y")


def check_date(
    errors: dict[str, str],
    *,
    field: str,
    name: str,
    value: date,
    today: date,
    not_before: date | None = None,
    previous: str = "",
) -> None:
    """Add an error for `field` if `value` is in the future or before the previous step's date."""
    if value > today:
        errors[field] = f"{name} must be today or in the past"
    elif not_before is not None and value < not_before:
        errors[field] = f"{name} must be on or after {previous} ({long_date(not_before)})"


def raise_errors(errors: dict[str, str]) -> None:
    """Raise the field errors collected (field -> message), if any."""
    if errors:
        raise ValidationError(errors)


def lock_check(check: DbsCheck) -> DbsCheck:
    """The check re-read under a row lock: the state a step checks is the state it changes."""
    return DbsCheck.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=check.pk)
