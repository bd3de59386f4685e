"""The personnel folder: staff keep it; an offer releases it to the provider when the learner agreed.

A release is recorded once per application (FolderRelease) and audited; with it the learner's
DBS outcome is shared with the provider through the DBS area's portable DBS (DbsShare), only when
that area allows it (a clear outcome, the learner's consent to sharing with providers). Every
view of a folder is audited by `folder_view`, as DBS views are (candidates.services.dbs).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, DbsCheck, DbsShare
from candidates.selectors.dbs import NEWEST_FIRST
from candidates.services.dbs_sharing import dbs_share_blocker, dbs_share_create
from placements.models import FolderRelease, JobApplication, PersonnelFolder, Reference


def folder_for(candidate: Candidate) -> PersonnelFolder:
    """The person's folder, created empty the first time it is needed."""
    folder, _ = PersonnelFolder.objects.get_or_create(candidate=candidate)
    return folder


def _current_check(candidate: Candidate) -> DbsCheck | None:
    return candidate.dbs_checks.order_by(*NEWEST_FIRST).first()


@transaction.atomic
def folder_release(*, application: JobApplication, actor: User | None, now: dt.datetime | None = None) -> FolderRelease:
    """Release the folder to the application's provider (once); shares the DBS outcome when it may travel.

    Refused unless the learner agreed to the release on this application.
    """
    now = now or timezone.now()
    if not application.folder_release_consented:
        raise ValidationError("The learner has not agreed that their personnel folder goes to this provider.")
    existing = FolderRelease.objects.filter(application=application).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            release = FolderRelease.objects.create(application=application, released_at=now, released_by=actor)
    except IntegrityError:  # released by someone else at the same moment
        return FolderRelease.objects.get(application=application)
    folder_for(application.candidate)
    provider = application.vacancy.provider
    check = _current_check(application.candidate)
    dbs_shared = False
    if check is not None and actor is not None and not dbs_share_blocker(check):
        already = DbsShare.objects.filter(dbs_check=check, provider=provider, revoked_at__isnull=True).exists()
        if not already:
            dbs_share_create(check=check, provider=provider, actor=actor)
        dbs_shared = True
    audit_log(
        actor=actor,
        action="folder.release",
        obj=application,
        data={"provider": str(provider.public_id), "dbs_shared": dbs_shared},
    )
    return release


def folder_view(*, actor: User, application: JobApplication | None, candidate: Candidate, where: str) -> None:
    """Call on every page that shows a folder: each view is written to the audit log."""
    data = {"where": where, "candidate": str(candidate.public_id)}
    audit_log(actor=actor, action="folder.view", obj=application or candidate, data=data)


@transaction.atomic
def folder_update(
    *,
    candidate: Candidate,
    actor: User,
    employment_history: str,
    right_to_work_evidence: str,
    right_to_work_seen_on: dt.date | None,
    today: dt.date | None = None,
) -> PersonnelFolder:
    """Staff update the employment history and right-to-work evidence; whoever records the evidence saw it."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if right_to_work_evidence and right_to_work_seen_on is None:
        errors["right_to_work_seen_on"] = "Enter the date you saw the right-to-work evidence"
    if right_to_work_seen_on is not None and not right_to_work_evidence:
        errors["right_to_work_evidence"] = "Select the right-to-work evidence you saw"
    if right_to_work_seen_on is not None and right_to_work_seen_on > today:
        errors["right_to_work_seen_on"] = "The date you saw the evidence cannot be in the future"
    if errors:
        raise ValidationError(errors)
    folder = PersonnelFolder.objects.select_for_update().get(pk=folder_for(candidate).pk)
    evidence_changed = (folder.right_to_work_evidence, folder.right_to_work_seen_on) != (
        right_to_work_evidence,
        right_to_work_seen_on,
    )
    folder.employment_history = employment_history.strip()
    folder.right_to_work_evidence = right_to_work_evidence
    folder.right_to_work_seen_on = right_to_work_seen_on
    if evidence_changed:
        folder.right_to_work_seen_by = actor if right_to_work_evidence else None
    folder.save()
    audit_log(
        actor=actor,
        action="folder.update",
        obj=folder,
        data={"right_to_work_evidence": right_to_work_evidence, "evidence_changed": evidence_changed},
    )
    return folder


def _check_reference(status: str, received_on: dt.date | None, today: dt.date) -> None:
    if status != Reference.Status.REQUESTED and received_on is None:
        raise ValidationError({"received_on": "Enter the date the reference was received"})
    if received_on is not None and received_on > today:
        raise ValidationError({"received_on": "The date received cannot be in the future"})


@transaction.atomic
def reference_add(
    *,
    candidate: Candidate,
    actor: User,
    referee_name: str,
    relationship: str,
    referee_email: str = "",
    referee_phone: str = "",
    status: str = Reference.Status.REQUESTED,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Reference:
    """Add a referee to the person's folder."""
    _check_reference(status, received_on, today or timezone.localdate())
    reference = Reference.objects.create(
        folder=folder_for(candidate),
        referee_name=referee_name.strip(),
        relationship=relationship.strip(),
        referee_email=referee_email.strip(),
        referee_phone=referee_phone.strip(),
        status=status,
        received_on=received_on if status != Reference.Status.REQUESTED else None,
    )
    audit_log(actor=actor, action="folder.reference_add", obj=reference, data={"status": status})
    return reference


@transaction.atomic
def reference_update(
    *,
    reference: Reference,
    actor: User,
    referee_name: str,
    relationship: str,
    referee_email: str = "",
    referee_phone: str = "",
    status: str,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Reference:
    """Correct a referee's details or record the reference's status."""
    _check_reference(status, received_on, today or timezone.localdate())
    previous = reference.status
    reference.referee_name = referee_name.strip()
    reference.relationship = relationship.strip()
    reference.referee_email = referee_email.strip()
    reference.referee_phone = referee_phone.strip()
    reference.status = status
    reference.received_on = received_on if status != Reference.Status.REQUESTED else None
    reference.save()
    audit_log(actor=actor, action="folder.reference_update", obj=reference, data={"from": previous, "to": status})
    return reference
