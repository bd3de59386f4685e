"""Workflows for care providers: saving one, importing the CQC care directory, provider admins and colleagues."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import Invitation, Role, User
from academy.periods import quarter_of
from academy.services import invitation_create, invitation_revoke
from academy.tenancy import academy_in_use_id
from providers.cqc_csv import ProviderRow, check_row, kind_from_service_types, read_cqc_csv
from providers.models import Provider, ProviderContact, ProviderMembership, ProviderSupport, ProviderSurvey
from providers.permissions import can_invite_colleagues

BULK_BATCH_SIZE = 500
# The fields a CQC import sets; the academy's own (type, size, contact, agreement, notes) are never overwritten.
IMPORTED_FIELDS = ("name", "address", "postcode", "cqc_service_types", "cqc_rating")


def _accept_referrals_from_actors_academy(provider: Provider, actor: User) -> None:
    """A provider the academy adds takes its referrals; the provider may add or remove academies later."""
    academy_id = academy_in_use_id(actor)
    if academy_id is not None:
        provider.academies.add(academy_id)


@transaction.atomic
def provider_save(*, provider: Provider, actor: User, changed: list[str] | None = None) -> Provider:
    """Create or update a provider from a validated form instance and record who did it."""
    created = provider._state.adding
    provider.save()
    if created:
        _accept_referrals_from_actors_academy(provider, actor)
    data: dict[str, Any] = {"changed": changed or []}
    audit_log(actor=actor, action="provider.create" if created else "provider.update", obj=provider, data=data)
    return provider


@dataclass
class ProviderImportResult:
    """What an import did (created, updated, unchanged), or why it did nothing (`errors`, by line)."""

    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return not self.errors

    @property
    def error_lines(self) -> int:
        return len({error["line"] for error in self.errors})


# Names the advisory lock that makes provider imports take turns (any fixed 64-bit key: "PROVIMPT").
IMPORT_LOCK_KEY = 0x50524F56494D5054


def _lock_provider_imports() -> None:
    """Make imports take turns until this transaction ends, so each sees the providers the one before created
    (two imports of one file at once would both try to create every new location).

    PostgreSQL: a transaction-level advisory lock taken before anything is read. SQLite lets one writer
    in at a time already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def provider_import_cqc(*, actor: User, file_name: str, data: bytes) -> ProviderImportResult:
    """Create or update providers from a CQC care directory CSV, matched by CQC location ID: every row or none.

    Raises ValidationError when the file cannot be read (not a CSV, no location ID or name column, too
    many rows). A file with row errors changes nothing and returns them, each with its line, column
    and message. A provider without a CQC location ID whose name matches a row is linked to it. The
    academy's own fields (type of service, size, contact, agreement, notes) are set only on creation
    (the type from the service types) and never overwritten. One audit entry for the import, and one
    for each provider created or changed.
    """
    table = read_cqc_csv(data)
    with transaction.atomic():
        _lock_provider_imports()
        result = _provider_import(table.rows, actor=actor)
        result.ignored_headers = table.ignored_headers
        audit_log(
            actor=actor,
            action="provider_import.commit" if result.imported else "provider_import.refuse",
            data={
                "file": file_name[:200],
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "errors": len(result.errors),
            },
        )
    return result


def _provider_import(rows: list[dict[str, Any]], *, actor: User) -> ProviderImportResult:
    result = ProviderImportResult(rows=len(rows))
    checked = [check_row(row) for row in rows]
    _check_repeats(checked)
    valid = [row for row in checked if not row.errors]
    by_location, by_name = _existing_providers(valid)

    now = timezone.now()
    to_create: list[Provider] = []
    to_update: list[tuple[Provider, list[str]]] = []
    for row in valid:
        name = row.values["name"]
        provider = by_location.get(row.location_id)
        named = by_name.get(name)
        if provider is None and named is not None:
            if named.cqc_location_id:
                row.add_error(
                    "name",
                    f"A provider named “{name}” already has CQC location ID {named.cqc_location_id}. "
                    "Check the location ID, or rename one of them",
                )
                continue
            provider = named  # recorded by hand before the import: link it to its CQC location
        elif provider is not None and named is not None and named.pk != provider.pk:
            row.add_error("name", f"Another provider is already called “{name}”. Rename one of them first")
            continue
        if provider is None:
            to_create.append(
                Provider(
                    cqc_location_id=row.location_id,
                    kind=kind_from_service_types(row.values["cqc_service_types"]),
                    **row.values,
                )
            )
            continue
        changed = [name for name in IMPORTED_FIELDS if getattr(provider, name) != row.values[name]]
        if provider.cqc_location_id != row.location_id:
            changed.append("cqc_location_id")
        if not changed:
            result.unchanged += 1
            continue
        for name in IMPORTED_FIELDS:
            setattr(provider, name, row.values[name])
        provider.cqc_location_id = row.location_id
        provider.updated_at = now
        to_update.append((provider, changed))

    result.errors = sorted((e for row in checked for e in row.errors), key=lambda e: e["line"])
    if result.errors:
        result.unchanged = 0
        return result

    Provider.objects.bulk_create(to_create, batch_size=BULK_BATCH_SIZE)
    for provider in to_create:
        _accept_referrals_from_actors_academy(provider, actor)
    Provider.objects.bulk_update(
        [provider for provider, _ in to_update],
        [*IMPORTED_FIELDS, "cqc_location_id", "updated_at"],
        batch_size=BULK_BATCH_SIZE,
    )
    for provider in to_create:
        audit_log(actor=actor, action="provider.import_create", obj=provider, data={"cqc": provider.cqc_location_id})
    for provider, changed in to_update:
        audit_log(actor=actor, action="provider.import_update", obj=provider, data={"changed": changed})
    result.created = len(to_create)
    result.updated = len(to_update)
    return result


def _existing_providers(rows: list[ProviderRow]) -> tuple[dict[str, Provider], dict[str, Provider]]:
    """The providers the rows may update, by CQC location ID and by name (two queries)."""
    by_location = {
        p.cqc_location_id: p for p in Provider.objects.filter(cqc_location_id__in=[row.location_id for row in rows])
    }
    by_name = {p.name: p for p in Provider.objects.filter(name__in=[row.values["name"] for row in rows])}
    return by_location, by_name


def _check_repeats(rows: list[ProviderRow]) -> None:
    """A location ID or name given twice in one file: an error on the later line, naming the earlier one."""
    first_with_id: dict[str, int] = {}
    first_with_name: dict[str, int] = {}
    for row in rows:
        if row.location_id in first_with_id:
            row.add_error(
                "location_id", f"CQC location ID {row.location_id} is also on line {first_with_id[row.location_id]}"
            )
        elif row.location_id:
            first_with_id[row.location_id] = row.line
        name = row.values.get("name", "")
        if name in first_with_name:
            row.add_error("name", f"“{name}” is also the name on line {first_with_name[name]}")
        elif name:
            first_with_name[name] = row.line
        if row.errors:
            row.values = {}


@transaction.atomic
def provider_admin_set(*, membership: ProviderMembership, actor: User, is_admin: bool) -> ProviderMembership:
    """Make a provider user their provider's admin (who invites colleagues), or stop them being one."""
    if membership.is_admin == is_admin:
        return membership
    membership.is_admin = is_admin
    membership.save(update_fields=["is_admin", "updated_at"])
    audit_log(
        actor=actor,
        action="provider.admin_grant" if is_admin else "provider.admin_revoke",
        obj=membership.provider,
        data={"user": membership.user.email},
    )
    return membership


@transaction.atomic
def provider_colleague_invite(*, provider: Provider, actor: User, email: str, full_name: str) -> Invitation:
    """A provider admin (or a manager) invites a colleague to the same provider, not as an admin.

    Raises PermissionDenied when the actor may not invite for this provider, ValidationError (on
    `email`) when the person already has an account or a pending invitation. The email goes out after
    commit (academy's invitation service writes it to the outbox).
    """
    if not can_invite_colleagues(actor, provider):
        raise PermissionDenied("Only the provider's admins can invite colleagues.")
    if not provider.is_active:
        raise ValidationError(f"{provider.name} is not active, so nobody can be invited to it.")
    invitation = invitation_create(
        actor=actor, email=email, role=Role.PROVIDER, full_name=full_name, provider=provider, provider_admin=False
    )
    audit_log(actor=actor, action="provider.colleague_invite", obj=provider, data={"email": invitation.email})
    return invitation


@transaction.atomic
def provider_colleague_invitation_revoke(*, provider: Provider, invitation: Invitation, actor: User) -> Invitation:
    """Stop a pending invitation to the provider from working (only an invitation to this provider)."""
    if not can_invite_colleagues(actor, provider):
        raise PermissionDenied("Only the provider's admins can revoke invitations.")
    if not Invitation.objects.filter(pk=invitation.pk, provider_invitation__provider=provider).exists():
        raise ValidationError("This invitation is not for your provider.")
    return invitation_revoke(invitation=invitation, actor=actor)


# --- engagement: contacts, support offered, the quarterly survey -------------------------------------


@transaction.atomic
def provider_contact_record(
    *, provider: Provider, actor: User, kind: str, occurred_on: date, summary: str = ""
) -> ProviderContact:
    """Record a visit, call, email or meeting with a provider."""
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date of the contact must be today or in the past"})
    contact = ProviderContact.objects.create(
        provider=provider, kind=kind, occurred_on=occurred_on, summary=summary.strip(), recorded_by=actor
    )
    audit_log(actor=actor, action="provider.contact", obj=provider, data={"contact": str(contact.public_id)})
    return contact


@transaction.atomic
def provider_event_contacts_sync(
    *,
    source_key: str,
    providers: Iterable[Provider],
    occurred_on: date,
    summary: str,
    actor: User,
    kind: str = ProviderContact.Kind.EVENT,
) -> None:
    """Keep one contact per provider at an event (another app's, named by `source_key`): providers no
    longer there lose theirs, the others' kind, date and summary follow the event."""
    wanted = {provider.pk: provider for provider in providers}
    ProviderContact.objects.filter(source_key=source_key).exclude(provider_id__in=list(wanted)).delete()
    existing = set(ProviderContact.objects.filter(source_key=source_key).values_list("provider_id", flat=True))
    ProviderContact.objects.filter(source_key=source_key).update(
        kind=kind, occurred_on=occurred_on, summary=summary[:500], updated_at=timezone.now()
    )
    ProviderContact.objects.bulk_create(
        ProviderContact(
            provider=provider,
            kind=kind,
            occurred_on=occurred_on,
            summary=summary[:500],
            recorded_by=actor,
            source_key=source_key,
        )
        for pk, provider in wanted.items()
        if pk not in existing
    )


@transaction.atomic
def provider_support_record(
    *, provider: Provider, actor: User, kind: str, offered_on: date, details: str = ""
) -> ProviderSupport:
    """Record support the academy offered a provider (training, help to recruit)."""
    if offered_on > timezone.localdate():
        raise ValidationError({"offered_on": "The date the support was offered must be today or in the past"})
    support = ProviderSupport.objects.create(
        provider=provider, kind=kind, offered_on=offered_on, details=details.strip(), recorded_by=actor
    )
    audit_log(actor=actor, action="provider.support", obj=provider, data={"kind": kind})
    return support


@transaction.atomic
def provider_survey_answer(*, provider: Provider, actor: User, data: dict[str, Any], today: date) -> ProviderSurvey:
    """Save the provider's answer for the quarter `today` is in: the first answer, or a change to it.

    One answer per provider and quarter (a unique constraint); the row is locked while it changes, so
    two colleagues answering at once leave one answer, the later one's.
    """
    quarter_start, _ = quarter_of(today)
    fields = {name: data.get(name) for name in (*ProviderSurvey.SCORES, "turnover_percent")}
    fields["comments"] = (data.get("comments") or "").strip()
    for score in ProviderSurvey.SCORES:
        if fields[score] not in (1, 2, 3, 4, 5):
            raise ValidationError({score: "Choose a score from 1 to 5"})
    survey, created = ProviderSurvey.objects.select_for_update().get_or_create(
        provider=provider, quarter_start=quarter_start, defaults={**fields, "answered_by": actor}
    )
    if not created:
        for name, value in fields.items():
            setattr(survey, name, value)
        survey.answered_by = actor
        survey.save(update_fields=[*fields, "answered_by", "updated_at"])
    audit_log(
        actor=actor,
        action="provider.survey_answer" if created else "provider.survey_change",
        obj=provider,
        data={"quarter_start": quarter_start.isoformat()},
    )
    return survey
