"""Creating and updating the learner record."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User, default_academy_id
from academy.tenancy import academy_in_use_id
from candidates.models import Candidate, CandidateBarrier, ContactLog, Milestone, PipelineStage, StageChange


def phone_key(phone: str) -> str:
    """Digits only, with a UK +44 prefix folded to 0, so one phone number has one key."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits


def first_stage() -> PipelineStage:
    return PipelineStage.objects.filter(is_active=True, is_closed=False).order_by("position").first() or (
        PipelineStage.objects.get(milestone=Milestone.REGISTERED)
    )


def record_academy_id(*, actor: User | None, user: User | None = None) -> int:
    """The academy a new record belongs to: staff's academy in use, a learner's chosen one, else the default."""
    if actor is not None and actor.is_authenticated and actor.is_academy_staff:
        in_use = academy_in_use_id(actor)
        if in_use:
            return in_use
    for person in (user, actor):
        if person is not None and person.home_academy_id:
            return person.home_academy_id
    return default_academy_id()


@transaction.atomic
def candidate_create(
    *,
    actor: User | None,
    data: dict[str, Any],
    barriers: Iterable[str] = (),
    user: User | None = None,
    stage: PipelineStage | None = None,
    audit: bool = True,
    academy_id: int | None = None,
) -> Candidate:
    """Create a record (for a walk-in, an import row or a learner's account) in the first stage.

    The record belongs to `academy_id`, else to the academy the member of staff works in, else to
    the academy the learner chose when signing up. `audit=False` is for bulk imports, which write
    one audit entry for the whole batch.
    """
    stage = stage or first_stage()
    data = dict(data)
    academy = data.pop("academy", None)
    academy_id = academy_id or (academy.pk if academy else None) or record_academy_id(actor=actor, user=user)
    candidate = Candidate(**data, user=user, stage=stage, stage_entered_at=timezone.now(), academy_id=academy_id)
    candidate.phone_key = phone_key(candidate.phone)
    if candidate.email:
        candidate.email = candidate.email.strip().lower()
    candidate.save()
    CandidateBarrier.objects.bulk_create([CandidateBarrier(candidate=candidate, barrier=b) for b in barriers])
    StageChange.objects.create(candidate=candidate, to_stage=stage, changed_by=actor, changed_at=candidate.created_at)
    if audit:
        audit_log(actor=actor, action="candidate.create", obj=candidate)
    return candidate


@transaction.atomic
def candidate_update(*, candidate: Candidate, actor: User, data: dict[str, Any]) -> Candidate:
    """Change profile fields; records which fields changed (never their values) in the audit log."""
    changed = [name for name, value in data.items() if getattr(candidate, name) != value]
    for name in changed:
        setattr(candidate, name, data[name])
    if "phone" in changed:
        candidate.phone_key = phone_key(candidate.phone)
        changed.append("phone_key")
    if "email" in changed:
        candidate.email = candidate.email.strip().lower()
    if changed:
        candidate.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="candidate.update", obj=candidate, data={"changed": changed})
    return candidate


@transaction.atomic
def candidate_set_barriers(*, candidate: Candidate, actor: User, barriers: dict[str, str]) -> Candidate:
    """Replace the candidate's barriers with `{barrier code: support needed}`."""
    current = {b.barrier: b for b in candidate.barriers.all()}
    CandidateBarrier.objects.filter(candidate=candidate).exclude(barrier__in=list(barriers)).delete()
    for code, support in barriers.items():
        if code in current:
            if current[code].support_needed != support:
                current[code].support_needed = support
                current[code].save(update_fields=["support_needed"])
        else:
            CandidateBarrier.objects.create(candidate=candidate, barrier=code, support_needed=support)
    audit_log(actor=actor, action="candidate.barriers", obj=candidate, data={"barriers": sorted(barriers)})
    return candidate


def candidate_for_learner(user: User) -> Candidate:
    """The learner's own record: the one staff made earlier with their verified email, else created
    on first use from their account."""
    existing = Candidate.objects.filter(user=user).first()
    if existing is not None:
        return existing
    if EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        linked = candidate_link_verified_account(user=user, email=user.email)
        if linked is not None:
            return linked
    first, _, last = (user.full_name or "").partition(" ")
    return candidate_create(actor=user, user=user, data={"first_name": first, "last_name": last, "email": user.email})


ACCOUNT_LINKED_NOTE = (
    "This person signed up to the portal with the email address on this record and proved it is "
    "theirs, so their account is now linked to this record. Check the details they give against "
    "what you hold."
)


@transaction.atomic
def candidate_link_verified_account(*, user: User, email: str) -> Candidate | None:
    """Give a learner's account the record staff made earlier with `email`, once the account has proved
    it owns that address (never before: anyone can type an address at sign-up).

    Only a current record without an account is linked, the oldest if several share the address.
    Staff are told on the record: an audit entry and a note (due today for the record's owner, so it
    is on their caseload). Returns None, changing nothing, for a non-learner, an account that already
    has a record, or no such record.
    """
    email = email.strip()
    if not (email and user.is_active and user.is_learner) or Candidate.objects.filter(user=user).exists():
        return None
    record = (
        Candidate.objects.select_for_update()
        .current()
        .filter(user__isnull=True, email__iexact=email)
        .order_by("created_at", "pk")
        .first()
    )
    if record is None:
        return None
    record.user = user
    record.save(update_fields=["user", "updated_at"])
    ContactLog.objects.create(
        candidate=record,
        kind=ContactLog.Kind.NOTE,
        summary=ACCOUNT_LINKED_NOTE,
        follow_up_on=timezone.localdate() if record.owner_id else None,
    )
    audit_log(actor=user, action="candidate.account_linked", obj=record, data={"account": str(user.public_id)})
    return record
