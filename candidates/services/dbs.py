"""DBS checks: starting one, and recording each step from ID verification to the decision.

Every step checks its order (the statuses it may follow) and its dates (not in the future, not
before the step before), runs under a row lock so two people cannot record the same step twice,
and is written to the audit log against the check. Audit entries never hold the certificate
number, the application reference or what was disclosed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import FundingStream, User
from candidates.models import Candidate, DbsCheck, DbsPolicy
from candidates.selectors.dbs import IN_PROGRESS_STATUSES, NEWEST_FIRST
from candidates.services.dbs_common import add_months, check_date, lock_check, long_date, raise_errors

Status = DbsCheck.Status

# DBS certificate numbers are 12 digits; people often type them with spaces.
CERTIFICATE_NUMBER = re.compile(r"^\d{12}$")


def _require_status(check: DbsCheck, step: DbsStep) -> None:
    if check.status not in step.after:
        raise ValidationError(
            f"You cannot record “{step.label}” now: this check is at “{check.get_status_display()}”. "
            "Go back to the check to see what has been recorded."
        )


def _require_original_seen(check: DbsCheck) -> None:
    if check.original_seen_at is None:
        raise ValidationError("Record that you have seen the original certificate first.")


def _save(check: DbsCheck, *, actor: User, action: str, fields: list[str], data: dict[str, Any]) -> DbsCheck:
    check.save(update_fields=[*fields, "updated_at"])
    audit_log(actor=actor, action=action, obj=check, data={"status": check.status, **data})
    return check


def dbs_check_view(*, actor: User, check: DbsCheck, where: str) -> None:
    """Call on every screen that shows a check's details: each view of DBS details is logged."""
    audit_log(actor=actor, action="dbs.view", obj=check, data={"where": where})


@transaction.atomic
def dbs_check_start(
    *,
    candidate: Candidate,
    actor: User,
    level: str,
    workforce: str,
    paid_by: str,
    started_on: date,
    funding_stream: FundingStream | None = None,
    today: date | None = None,
) -> DbsCheck:
    """Start a DBS check for someone; it becomes their current check. One check in progress at a time.

    A check a funding stream pays for names the stream, which must be open on the start date.
    """
    today = today or timezone.localdate()
    # Locking the person serialises two members of staff starting a check for them at once.
    Candidate.objects.select_for_update().only("pk").get(pk=candidate.pk)
    previous = candidate.dbs_checks.order_by(*NEWEST_FIRST).first()
    if previous is not None and previous.status in IN_PROGRESS_STATUSES:
        raise ValidationError(
            f"{candidate.full_name} already has a DBS check in progress (started {long_date(previous.started_on)}). "
            "Withdraw it before starting a new one."
        )
    errors: dict[str, str] = {}
    check_date(
        errors,
        field="started_on",
        name="The start date",
        value=started_on,
        today=today,
        not_before=previous.started_on if previous else None,
        previous="the start of their previous check",
    )
    if paid_by != DbsCheck.PaidBy.FUNDING_STREAM:
        funding_stream = None
    elif funding_stream is None:
        errors["funding_stream"] = "Choose the funding stream that pays for the check"
    elif not funding_stream.is_open_on(started_on):
        errors["funding_stream"] = (
            f"{funding_stream.name} is closed on the start date: it runs from "
            f"{long_date(funding_stream.start_date)} to {long_date(funding_stream.end_date)}"
        )
    raise_errors(errors)
    check = DbsCheck(
        candidate=candidate,
        level=level,
        workforce=workforce,
        paid_by=paid_by,
        funding_stream=funding_stream,
        started_on=started_on,
    )
    check.clean_fields(exclude=["candidate", "public_id"])
    check.save()
    audit_log(
        actor=actor,
        action="dbs.start",
        obj=check,
        data={
            "candidate": str(candidate.public_id),
            "level": level,
            "paid_by": paid_by,
            "stream": funding_stream.code if funding_stream else "",
        },
    )
    return check


@transaction.atomic
def dbs_check_verify_id(*, check: DbsCheck, actor: User, id_verified_on: date, today: date | None = None) -> DbsCheck:
    """Record that the person's identity documents were checked."""
    check = lock_check(check)
    _require_status(check, STEPS["id-verified"])
    errors: dict[str, str] = {}
    check_date(
        errors,
        field="id_verified_on",
        name="The date ID was verified",
        value=id_verified_on,
        today=today or timezone.localdate(),
        not_before=check.started_on,
        previous="the date the check started",
    )
    raise_errors(errors)
    check.status, check.id_verified_on = Status.ID_VERIFIED, id_verified_on
    return _save(
        check,
        actor=actor,
        action="dbs.id_verified",
        fields=["status", "id_verified_on"],
        data={"on": str(id_verified_on)},
    )


@transaction.atomic
def dbs_check_submit(
    *, check: DbsCheck, actor: User, submitted_on: date, application_reference: str, today: date | None = None
) -> DbsCheck:
    """Record that the application went to the DBS, with its reference."""
    check = lock_check(check)
    _require_status(check, STEPS["submitted"])
    errors: dict[str, str] = {}
    reference = " ".join(application_reference.split())
    if not reference:
        errors["application_reference"] = "Enter the application reference"
    check_date(
        errors,
        field="submitted_on",
        name="The date the application was submitted",
        value=submitted_on,
        today=today or timezone.localdate(),
        not_before=check.id_verified_on,
        previous="the date ID was verified",
    )
    raise_errors(errors)
    check.status, check.submitted_on, check.application_reference = Status.SUBMITTED, submitted_on, reference
    return _save(
        check,
        actor=actor,
        action="dbs.submitted",
        fields=["status", "submitted_on", "application_reference"],
        data={"on": str(submitted_on)},
    )


def normalise_certificate_number(value: str) -> str:
    """The certificate number without spaces or hyphens; raises if it is not 12 digits."""
    number = re.sub(r"[\s-]", "", value)
    if not CERTIFICATE_NUMBER.match(number):
        raise ValidationError(
            {"certificate_number": "Enter the certificate number as it is on the certificate: 12 digits"}
        )
    return number


@transaction.atomic
def dbs_check_certificate_issued(
    *,
    check: DbsCheck,
    actor: User,
    certificate_number: str,
    certificate_issued_on: date,
    today: date | None = None,
) -> DbsCheck:
    """Record the certificate's number and issue date (the learner's copy is the only paper one)."""
    check = lock_check(check)
    _require_status(check, STEPS["certificate"])
    errors: dict[str, str] = {}
    try:
        number = normalise_certificate_number(certificate_number)
    except ValidationError as exc:
        errors.update({key: value[0] for key, value in exc.message_dict.items()})
        number = ""
    check_date(
        errors,
        field="certificate_issued_on",
        name="The certificate issue date",
        value=certificate_issued_on,
        today=today or timezone.localdate(),
        not_before=check.submitted_on,
        previous="the date the application was submitted",
    )
    raise_errors(errors)
    check.status = Status.CERTIFICATE_ISSUED
    check.certificate_number, check.certificate_issued_on = number, certificate_issued_on
    return _save(
        check,
        actor=actor,
        action="dbs.certificate_issued",
        fields=["status", "certificate_number", "certificate_issued_on"],
        data={"on": str(certificate_issued_on)},
    )


@transaction.atomic
def dbs_check_original_seen(*, check: DbsCheck, actor: User, now: datetime | None = None) -> DbsCheck:
    """Record that `actor` has just seen the original certificate (who and when are not editable)."""
    check = lock_check(check)
    _require_status(check, STEPS["original-seen"])
    if check.original_seen_at is not None:
        raise ValidationError("Someone has already recorded seeing the original certificate.")
    check.original_seen_by, check.original_seen_at = actor, now or timezone.now()
    return _save(
        check, actor=actor, action="dbs.original_seen", fields=["original_seen_by", "original_seen_at"], data={}
    )


def _record_decision(check: DbsCheck, *, decision: str, decision_on: date, decided_by: User) -> None:
    """Set the decision and, for someone suitable to work, when they must be checked again."""
    check.decision, check.decision_on, check.decision_by = decision, decision_on, decided_by
    check.recheck_due_on = (
        add_months(decision_on, DbsPolicy.current(check.candidate.academy_id).recheck_interval_months)
        if decision == DbsCheck.Decision.SUITABLE
        else None
    )


DECISION_FIELDS = ["status", "decision", "decision_on", "decision_by", "recheck_due_on"]


@transaction.atomic
def dbs_check_clear(*, check: DbsCheck, actor: User, decision_on: date, today: date | None = None) -> DbsCheck:
    """Nothing was disclosed: the person is suitable to work, decided by `actor`; sets the recheck date."""
    check = lock_check(check)
    _require_status(check, STEPS["cleared"])
    _require_original_seen(check)
    errors: dict[str, str] = {}
    check_date(
        errors,
        field="decision_on",
        name="The date cleared",
        value=decision_on,
        today=today or timezone.localdate(),
        not_before=check.certificate_issued_on,
        previous="the certificate issue date",
    )
    raise_errors(errors)
    check.status = Status.CLEARED
    _record_decision(check, decision=DbsCheck.Decision.SUITABLE, decision_on=decision_on, decided_by=actor)
    return _save(
        check,
        actor=actor,
        action="dbs.cleared",
        fields=DECISION_FIELDS,
        data={"on": str(decision_on), "recheck_due_on": str(check.recheck_due_on)},
    )


@transaction.atomic
def dbs_check_disclose(*, check: DbsCheck, actor: User, disclosure_notes: str) -> DbsCheck:
    """The certificate shows information: record what, before a risk assessment and a decision."""
    check = lock_check(check)
    _require_status(check, STEPS["disclosed"])
    _require_original_seen(check)
    notes = disclosure_notes.strip()
    if not notes:
        raise ValidationError({"disclosure_notes": "Enter what the certificate shows"})
    check.status, check.disclosure_notes = Status.DISCLOSED, notes
    return _save(check, actor=actor, action="dbs.disclosed", fields=["status", "disclosure_notes"], data={})


@transaction.atomic
def dbs_check_risk_assess(*, check: DbsCheck, actor: User, risk_assessment: str, today: date | None = None) -> DbsCheck:
    """Add the risk assessment of what was disclosed to the check's notes."""
    check = lock_check(check)
    _require_status(check, STEPS["risk-assessment"])
    text = risk_assessment.strip()
    if not text:
        raise ValidationError({"risk_assessment": "Enter the risk assessment"})
    heading = f"Risk assessment ({long_date(today or timezone.localdate())}, {actor.get_full_name()}):"
    check.status = Status.RISK_ASSESSMENT
    check.disclosure_notes = f"{check.disclosure_notes}\n\n{heading}\n{text}".strip()
    return _save(check, actor=actor, action="dbs.risk_assessment", fields=["status", "disclosure_notes"], data={})


@transaction.atomic
def dbs_check_decide(
    *,
    check: DbsCheck,
    actor: User,
    decision: str,
    decision_on: date,
    decision_by: User,
    today: date | None = None,
) -> DbsCheck:
    """Record the decision after a risk assessment and who made it; suitable sets the recheck date."""
    check = lock_check(check)
    _require_status(check, STEPS["decision"])
    errors: dict[str, str] = {}
    if decision not in DbsCheck.Decision.values:
        errors["decision"] = "Select the decision"
    if not (decision_by.is_active and decision_by.is_academy_staff):
        errors["decision_by"] = "Select who made the decision: a member of academy staff"
    check_date(
        errors,
        field="decision_on",
        name="The decision date",
        value=decision_on,
        today=today or timezone.localdate(),
        not_before=check.certificate_issued_on,
        previous="the certificate issue date",
    )
    raise_errors(errors)
    check.status = Status.DECISION_MADE
    _record_decision(check, decision=decision, decision_on=decision_on, decided_by=decision_by)
    return _save(
        check,
        actor=actor,
        action="dbs.decision",
        fields=DECISION_FIELDS,
        data={"decision": decision, "on": str(decision_on), "by": decision_by.email},
    )


def last_step_on(check: DbsCheck) -> date:
    """The date of the latest dated step recorded (the check's start at the least)."""
    dates = [check.started_on, check.id_verified_on, check.submitted_on, check.certificate_issued_on]
    return max(d for d in dates if d is not None)


@transaction.atomic
def dbs_check_withdraw(*, check: DbsCheck, actor: User, withdrawn_on: date, today: date | None = None) -> DbsCheck:
    """Stop a check that is under way (the person left, or it will be done elsewhere)."""
    check = lock_check(check)
    _require_status(check, STEPS["withdrawn"])
    errors: dict[str, str] = {}
    check_date(
        errors,
        field="withdrawn_on",
        name="The date withdrawn",
        value=withdrawn_on,
        today=today or timezone.localdate(),
        not_before=last_step_on(check),
        previous="the last step recorded",
    )
    raise_errors(errors)
    check.status, check.withdrawn_on = Status.WITHDRAWN, withdrawn_on
    return _save(
        check, actor=actor, action="dbs.withdrawn", fields=["status", "withdrawn_on"], data={"on": str(withdrawn_on)}
    )


@dataclass(frozen=True)
class DbsStep:
    slug: str
    label: str
    # Statuses the step may follow.
    after: tuple[str, ...]
    service: Callable[..., DbsCheck]
    # Extra condition on the check for the step to be offered (see dbs_steps_available).
    needs_original_seen: bool | None = None


STEPS: dict[str, DbsStep] = {
    step.slug: step
    for step in (
        DbsStep("id-verified", "ID verified", (Status.NOT_STARTED,), dbs_check_verify_id),
        DbsStep("submitted", "Application submitted", (Status.ID_VERIFIED,), dbs_check_submit),
        DbsStep("certificate", "Certificate issued", (Status.SUBMITTED,), dbs_check_certificate_issued),
        DbsStep(
            "original-seen",
            "Original certificate seen",
            (Status.CERTIFICATE_ISSUED,),
            dbs_check_original_seen,
            needs_original_seen=False,
        ),
        DbsStep(
            "cleared",
            "Cleared: nothing disclosed",
            (Status.CERTIFICATE_ISSUED,),
            dbs_check_clear,
            needs_original_seen=True,
        ),
        DbsStep(
            "disclosed",
            "Information disclosed",
            (Status.CERTIFICATE_ISSUED,),
            dbs_check_disclose,
            needs_original_seen=True,
        ),
        DbsStep("risk-assessment", "Risk assessment", (Status.DISCLOSED,), dbs_check_risk_assess),
        DbsStep("decision", "Decision", (Status.RISK_ASSESSMENT,), dbs_check_decide),
        DbsStep("withdrawn", "Withdrawn", IN_PROGRESS_STATUSES, dbs_check_withdraw),
    )
}


def dbs_steps_available(check: DbsCheck) -> list[DbsStep]:
    """The steps that can be recorded next on `check`, in the order they usually happen."""
    seen = check.original_seen_at is not None
    return [
        step
        for step in STEPS.values()
        if check.status in step.after and (step.needs_original_seen is None or step.needs_original_seen == seen)
    ]
