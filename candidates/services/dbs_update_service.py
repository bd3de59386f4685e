"""The DBS Update Service: the learner's subscription, their consent to status checks, and the checks.

A status check that finds new information means the certificate no longer tells the whole story:
providers stop seeing its outcome at once and a new check is needed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import DbsCheck, DbsShare, DbsStatusCheck
from candidates.services.dbs_common import add_months, check_date, lock_check, raise_errors
from candidates.services.dbs_sharing import dbs_shares_revoke

# Subscription IDs are letters and digits (for example C0123456789); spaces are dropped.
SUBSCRIPTION_ID = re.compile(r"^[A-Z0-9]{6,20}$")
RENEWAL_MONTHS = 12
# Consent recorded for an earlier day without a time is put at midday, so it sorts within that day.
DEFAULT_CONSENT_TIME = time(12, 0)


def _consent_moment(day: date, today: date) -> datetime:
    return timezone.now() if day == today else timezone.make_aware(datetime.combine(day, DEFAULT_CONSENT_TIME))


@transaction.atomic
def dbs_update_service_save(
    *,
    check: DbsCheck,
    actor: User,
    update_service_id: str,
    update_service_subscribed_on: date,
    status_check_consent: bool,
    status_check_consent_on: date | None = None,
    today: date | None = None,
) -> DbsCheck:
    """Record the learner's Update Service subscription (renewal due a year on) and their consent.

    Consent given needs the day it was given; withdrawing it records the moment it was withdrawn.
    """
    today = today or timezone.localdate()
    check = lock_check(check)
    if check.status == DbsCheck.Status.WITHDRAWN:
        raise ValidationError("This check was withdrawn: record the subscription on their current check.")
    errors: dict[str, str] = {}
    subscription = "".join(update_service_id.split()).upper()
    if not SUBSCRIPTION_ID.match(subscription):
        errors["update_service_id"] = "Enter the subscription ID: 6 to 20 letters and numbers, for example C0123456789"
    check_date(
        errors,
        field="update_service_subscribed_on",
        name="The date they subscribed",
        value=update_service_subscribed_on,
        today=today,
        not_before=check.started_on,
        previous="the date the check started",
    )
    if status_check_consent:
        if status_check_consent_on is None:
            errors["status_check_consent_on"] = "Enter the date they gave consent"
        else:
            check_date(
                errors,
                field="status_check_consent_on",
                name="The date of consent",
                value=status_check_consent_on,
                today=today,
            )
    raise_errors(errors)

    fields = {
        "update_service_id": subscription,
        "update_service_subscribed_on": update_service_subscribed_on,
        "update_service_renewal_due_on": add_months(update_service_subscribed_on, RENEWAL_MONTHS),
        "status_check_consent": status_check_consent,
    }
    if status_check_consent and status_check_consent_on is not None:
        current_day = timezone.localdate(check.status_check_consent_at) if check.status_check_consent_at else None
        if not check.status_check_consent or current_day != status_check_consent_on:
            fields["status_check_consent_at"] = _consent_moment(status_check_consent_on, today)
    elif check.status_check_consent:
        fields["status_check_consent_at"] = timezone.now()  # when it was withdrawn
    changed = [name for name, value in fields.items() if getattr(check, name) != value]
    if not changed:
        return check
    for name in changed:
        setattr(check, name, fields[name])
    check.save(update_fields=[*changed, "updated_at"])
    # The subscription ID identifies the person: the log says what changed, not to what.
    audit_log(
        actor=actor,
        action="dbs.update_service",
        obj=check,
        data={
            "changed": changed,
            "renewal_due_on": str(check.update_service_renewal_due_on),
            "status_check_consent": status_check_consent,
        },
    )
    return check


@transaction.atomic
def dbs_status_check_record(
    *, check: DbsCheck, actor: User, checked_on: date, result: str, today: date | None = None
) -> DbsStatusCheck:
    """Record an Update Service status check; new information stops every share of the outcome."""
    check = lock_check(check)
    if not check.update_service_id or check.update_service_subscribed_on is None:
        raise ValidationError("Record their Update Service subscription first.")
    if not check.status_check_consent:
        raise ValidationError("They have not agreed to status checks: record their consent first.")
    errors: dict[str, str] = {}
    if result not in DbsStatusCheck.Result.values:
        errors["result"] = "Select the result of the status check"
    check_date(
        errors,
        field="checked_on",
        name="The date of the status check",
        value=checked_on,
        today=today or timezone.localdate(),
        not_before=check.update_service_subscribed_on,
        previous="the date they subscribed",
    )
    raise_errors(errors)
    status_check = DbsStatusCheck.objects.create(
        dbs_check=check, checked_on=checked_on, checked_by=actor, result=result
    )
    audit_log(actor=actor, action="dbs.status_check", obj=check, data={"on": str(checked_on), "result": result})
    if result == DbsStatusCheck.Result.NEW_INFORMATION:
        dbs_shares_revoke(
            shares=DbsShare.objects.filter(dbs_check=check), actor=actor, reason="status check found new information"
        )
    return status_check
