"""Which DBS reminders are due on a day (for the daily sweep), and how to describe them.

One rule per kind of reminder (RULES). A rule is a filter on current checks with the day's
constants on one side of each comparison, so the sweep reads everything due with one query per
kind and recipient, however many checks there are. The reminder's due date is computed by the
database (AddDays), so the rows can go straight into an INSERT ... SELECT.

A reminder's due date is the day it became due (the anchor date plus or minus the policy's
days): the same on every sweep, so the unique constraints on (check, kind, recipient or
provider, due date) stop a second sweep creating it again. A rule also skips checks already
reminded in the same episode (the same start, submission, renewal or recheck date), so a
manager changing the policy's days does not send the same reminder twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from candidates.models import DbsCheck, DbsPolicy, DbsReminder, DbsShare
from candidates.selectors.dbs import dbs_current_checks, shareable_outcome
from candidates.selectors.dbs_sharing import share_consent_granted

Kind = DbsReminder.Kind
Recipient = DbsReminder.Recipient
Status = DbsCheck.Status
ReminderStatus = DbsReminder.Status

# A renewal or recheck reminder sent less than a year before the date it is about belongs to that
# date: renewals are yearly, so last year's reminder does not stop this year's.
EPISODE = 365

# Why a reminder was recorded without being sent, by recipient (shown in the reminder history).
NO_ADDRESS: dict[str, str] = {
    Recipient.LEARNER: "No email address for the learner.",
    Recipient.STAFF: "Nobody with an active account owns this record.",
    Recipient.PROVIDER: "The provider has no contact email address.",
}


class AddDays(Func):
    """A date column plus (or minus) a whole number of days, as a date: PostgreSQL and SQLite."""

    output_field = DateField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression)
        self.days = days

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        # PostgreSQL: date + integer is a date.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + %s)", [*params, self.days]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, %s)", [*params, f"{self.days:+d} days"]


@dataclass(frozen=True)
class ReminderRule:
    kind: str
    # Who hears about it (providers, for rechecks, come from the check's active shares).
    recipients: tuple[str, ...]
    # The check's date the reminder counts from, and whether it is due before (a renewal or a
    # recheck date) or after it (the start or the submission).
    anchor: str
    before: bool
    days: Callable[[DbsPolicy], int]
    # The check is due on `today` (besides being current): constants on one side, so indexable.
    due: Callable[[date, DbsPolicy], Q]

    def due_on(self, policy: DbsPolicy, anchor: Any = None) -> AddDays:
        """The reminder's due date from the anchor date (the check's, or another expression)."""
        days = self.days(policy)
        return AddDays(anchor if anchor is not None else F(self.anchor), -days if self.before else days)

    def episode_from(self, anchor: Any) -> Any:
        """Earlier reminders of the same episode have a due date on or after this."""
        return AddDays(anchor, -EPISODE) if self.before else anchor


def _days(n: int) -> timedelta:
    return timedelta(days=n)


RULES: dict[str, ReminderRule] = {
    rule.kind: rule
    for rule in (
        ReminderRule(
            Kind.APPLICATION_INCOMPLETE,
            (Recipient.LEARNER,),
            anchor="started_on",
            before=False,
            days=lambda p: p.chase_application_days,
            due=lambda today, p: Q(
                status__in=(Status.NOT_STARTED, Status.ID_VERIFIED),
                started_on__lte=today - _days(p.chase_application_days),
            ),
        ),
        ReminderRule(
            Kind.CERTIFICATE_FIRST_CHASE,
            (Recipient.LEARNER,),
            anchor="submitted_on",
            before=False,
            days=lambda p: p.chase_certificate_first_days,
            # Once the second chase is due it replaces the first (a late sweep sends one, not both).
            due=lambda today, p: Q(
                status=Status.SUBMITTED,
                submitted_on__lte=today - _days(p.chase_certificate_first_days),
                submitted_on__gt=today - _days(p.chase_certificate_second_days),
            ),
        ),
        ReminderRule(
            Kind.CERTIFICATE_SECOND_CHASE,
            (Recipient.LEARNER, Recipient.STAFF),
            anchor="submitted_on",
            before=False,
            days=lambda p: p.chase_certificate_second_days,
            due=lambda today, p: Q(
                status=Status.SUBMITTED, submitted_on__lte=today - _days(p.chase_certificate_second_days)
            ),
        ),
        ReminderRule(
            Kind.UPDATE_SERVICE_RENEWAL,
            (Recipient.LEARNER, Recipient.STAFF),
            anchor="update_service_renewal_due_on",
            before=True,
            days=lambda p: p.update_service_renewal_notice_days,
            # After the renewal date the subscription has lapsed: nothing left to remind about.
            due=lambda today, p: (
                Q(
                    update_service_renewal_due_on__gte=today,
                    update_service_renewal_due_on__lte=today + _days(p.update_service_renewal_notice_days),
                )
                & ~Q(update_service_id="")
                & ~Q(status=Status.WITHDRAWN)
            ),
        ),
        ReminderRule(
            Kind.RECHECK_DUE,
            (Recipient.STAFF,),
            anchor="recheck_due_on",
            before=True,
            days=lambda p: p.recheck_notice_days,
            # An overdue recheck still needs doing, so there is no lower bound.
            due=lambda today, p: Q(recheck_due_on__lte=today + _days(p.recheck_notice_days)),
        ),
    )
}

_LEARNER_EMAIL = Coalesce(
    NullIf(F("candidate__email"), Value("")),
    NullIf(F("candidate__user__email"), Value("")),
    Value(""),
    output_field=CharField(),
)
_STAFF_EMAIL = Case(
    When(candidate__owner__is_active=True, then=F("candidate__owner__email")),
    default=Value(""),
    output_field=CharField(),
)

# The reminder's columns, in the order of the annotations below (see `_as_reminder_rows`).
REMINDER_COLUMNS = (
    ("dbs_check_id", "r_check"),
    ("kind", "r_kind"),
    ("recipient", "r_recipient"),
    ("provider_id", "r_provider"),
    ("due_on", "r_due_on"),
    ("recipient_email", "r_email"),
    ("status", "r_status"),
    ("last_error", "r_note"),
    ("attempts", "r_attempts"),
    ("created_at", "r_created_at"),
)


def _as_reminder_rows(
    rows: QuerySet[Any], *, kind: str, recipient: str, due_on: Any, email: Any, check: Any, provider: Any, now: datetime
) -> QuerySet[Any]:
    """Annotate `rows` with the columns of a new reminder (REMINDER_COLUMNS)."""
    return rows.annotate(
        r_check=check,
        r_kind=Value(kind, output_field=CharField()),
        r_recipient=Value(recipient, output_field=CharField()),
        r_provider=provider,
        r_due_on=due_on,
        r_email=email,
        r_attempts=Value(0, output_field=IntegerField()),
        r_created_at=Value(now, output_field=DateTimeField()),
    ).annotate(
        # Without an address the reminder is recorded as not sent, so the history says why.
        r_status=Case(
            When(r_email="", then=Value(ReminderStatus.SKIPPED)),
            default=Value(ReminderStatus.PENDING),
            output_field=CharField(),
        ),
        r_note=Case(When(r_email="", then=Value(NO_ADDRESS[recipient])), default=Value(""), output_field=CharField()),
    )


def dbs_shares_seen_by_providers() -> QuerySet[DbsShare]:
    """Active shares with active providers whose learner's consent to sharing is in force.

    The same conditions as the provider's page (candidates.selectors.dbs_sharing), for every provider.
    """
    return (
        DbsShare.objects.filter(shareable_outcome("dbs_check__"), revoked_at__isnull=True, provider__is_active=True)
        .annotate(consent_granted=share_consent_granted())
        .filter(consent_granted=True)
    )


@dataclass(frozen=True)
class DueReminders:
    """New reminders of one kind for one recipient due on a day, as rows ready to insert."""

    kind: str
    recipient: str
    rows: QuerySet[Any]
    # Path from a row to its check: "" (the rows are checks) or "dbs_check__" (the rows are shares).
    check_path: str = ""


def dbs_reminders_due(
    *, today: date, policy: DbsPolicy, now: datetime, checks_in: Q | None = None
) -> list[DueReminders]:
    """The reminders due on `today` not yet created, one queryset per kind and recipient, for the
    checks `checks_in` picks (those `policy` rules; all by default).

    Each queryset is annotated with REMINDER_COLUMNS (see dbs_reminder_lines to read them).
    """
    current = dbs_current_checks().filter(checks_in or Q())
    due: list[DueReminders] = []
    for rule in RULES.values():
        checks = current.filter(rule.due(today, policy))
        for recipient in rule.recipients:
            earlier = DbsReminder.objects.filter(
                dbs_check=OuterRef("pk"),
                kind=rule.kind,
                recipient=recipient,
                due_on__gte=rule.episode_from(OuterRef(rule.anchor)),
            )
            rows = _as_reminder_rows(
                checks.filter(~Exists(earlier)),
                kind=rule.kind,
                recipient=recipient,
                due_on=rule.due_on(policy),
                email=_LEARNER_EMAIL if recipient == Recipient.LEARNER else _STAFF_EMAIL,
                check=F("pk"),
                provider=Cast(Value(None), output_field=BigIntegerField()),
                now=now,
            )
            due.append(DueReminders(rule.kind, recipient, rows))
    recheck = RULES[Kind.RECHECK_DUE]
    anchor = f"dbs_check__{recheck.anchor}"
    earlier = DbsReminder.objects.filter(
        dbs_check=OuterRef("dbs_check"),
        kind=recheck.kind,
        provider=OuterRef("provider"),
        due_on__gte=recheck.episode_from(OuterRef(anchor)),
    )
    shares = dbs_shares_seen_by_providers().filter(
        dbs_check__in=current.filter(recheck.due(today, policy)).values("pk")
    )
    rows = _as_reminder_rows(
        shares.filter(~Exists(earlier)),
        kind=recheck.kind,
        recipient=Recipient.PROVIDER,
        due_on=recheck.due_on(policy, F(anchor)),
        email=F("provider__contact_email"),
        check=F("dbs_check_id"),
        provider=F("provider_id"),
        now=now,
    )
    due.append(DueReminders(recheck.kind, Recipient.PROVIDER, rows, check_path="dbs_check__"))
    return due


def dbs_reminder_still_due(reminder: DbsReminder, *, today: date, policy: DbsPolicy) -> bool:
    """True if the reminder's check (and provider's share) still meets its rule on `today`.

    Checked again just before sending: a certificate that arrived after the sweep, a withdrawn
    check or a share stopped since then means the reminder is no longer wanted.
    """
    rule = RULES[reminder.kind]
    checks = dbs_current_checks().filter(rule.due(today, policy))
    if reminder.provider_id is not None:
        return (
            dbs_shares_seen_by_providers()
            .filter(dbs_check_id=reminder.dbs_check_id, provider_id=reminder.provider_id)
            .filter(dbs_check__in=checks.values("pk"))
            .exists()
        )
    return checks.filter(pk=reminder.dbs_check_id).exists()


@dataclass(frozen=True)
class ReminderLine:
    """One reminder as the `dbs_reminders` command prints it."""

    due_on: date
    kind: str
    recipient: str
    email: str
    status: str
    person: str
    check_public_id: UUID
    dbs_check_id: int
    provider_id: int | None

    def __str__(self) -> str:
        to = f"{self.recipient} <{self.email}>" if self.email else f"{self.recipient} (no email address)"
        return f"{self.due_on.isoformat()}  {self.kind}  to {to}  about {self.person} (check {self.check_public_id})"


KIND_LABELS = dict(Kind.choices)
RECIPIENT_LABELS = dict(Recipient.choices)


def dbs_reminder_lines(due: DueReminders) -> list[ReminderLine]:
    """The rows of `due` as lines, soonest first (a dry run of the sweep prints these)."""
    check = due.check_path
    rows = due.rows.values(
        "r_due_on",
        "r_email",
        "r_status",
        "r_check",
        "r_provider",
        f"{check}public_id",
        f"{check}candidate__first_name",
        f"{check}candidate__last_name",
    ).order_by("r_due_on", "r_check")
    return [
        ReminderLine(
            due_on=row["r_due_on"],
            kind=KIND_LABELS[due.kind],
            recipient=RECIPIENT_LABELS[due.recipient],
            email=row["r_email"],
            status=row["r_status"],
            person=f"{row[f'{check}candidate__first_name']} {row[f'{check}candidate__last_name']}",
            check_public_id=row[f"{check}public_id"],
            dbs_check_id=row["r_check"],
            provider_id=row["r_provider"],
        )
        for row in rows
    ]


def dbs_reminder_lines_for(ids: list[int]) -> list[ReminderLine]:
    """Reminders by id as lines, soonest first; a query per thousand reminders."""
    lines: list[ReminderLine] = []
    for start in range(0, len(ids), 1000):
        reminders = DbsReminder.objects.filter(pk__in=ids[start : start + 1000]).select_related("dbs_check__candidate")
        lines.extend(
            ReminderLine(
                due_on=r.due_on,
                kind=r.get_kind_display(),
                recipient=r.get_recipient_display(),
                email=r.recipient_email,
                status=r.status,
                person=r.dbs_check.candidate.full_name,
                check_public_id=r.dbs_check.public_id,
                dbs_check_id=r.dbs_check_id,
                provider_id=r.provider_id,
            )
            for r in reminders
        )
    return sorted(lines, key=lambda line: (line.due_on, line.dbs_check_id))
