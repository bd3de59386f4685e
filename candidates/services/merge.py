"""Merging two records of the same person into one, keeping the history of both.

Every row that points at the duplicate moves to the survivor, except where a uniqueness rule
would be broken (the survivor's row wins and the duplicate's stays with the merged record, so
nothing is ever deleted). The duplicate is kept, marked `merged_into`, for the audit trail, and
disappears from lists through `Candidate.objects.current()`.

RELATIONS lists how each relation to Candidate is merged. A model added later with a foreign
key to Candidate (an enrolment, a DBS check) must be added there: a test fails until it is, so
no merge silently leaves someone's history behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import (
    ActionPlanItem,
    ActionPlanReview,
    Candidate,
    CandidateBarrier,
    Consent,
    ContactLog,
    DataRequest,
    DbsCheck,
    Document,
    EqualityMonitoring,
    SelectionResult,
    StageChange,
)
from candidates.services.records import phone_key
from courses.models import Application, Enrolment, SupportPayment

# Profile fields staff choose between when the two records differ, in the order of the comparison.
# "stage" brings the duplicate's stage, time in stage and closing reason with it.
MERGE_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "date_of_birth",
    "stage",
    "owner",
    "source",
    "right_to_work",
    "employment_status",
    "months_out_of_work",
    "benefit_status",
    "jobcentre_referral",
    "work_coach_name",
    "highest_qualification",
    "caring_responsibilities",
    "interests",
    "availability",
    "driving_licence",
    "has_car",
]

# What a relation handler returns: how many rows moved, and how many stayed with the merged record.
Moved = tuple[int, int]
Handler = Callable[[Candidate, Candidate, User], Moved]


def _move(model: type[models.Model], field: str = "candidate") -> Handler:
    """History rows with no uniqueness rule: all of them move."""

    def handler(survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
        return model._default_manager.filter(**{field: duplicate}).update(**{field: survivor}), 0

    return handler


def _merge_barriers(survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """One row per barrier: a barrier both recorded stays the survivor's, with the other's note if it had none."""
    kept = {b.barrier: b for b in CandidateBarrier.objects.filter(candidate=survivor)}
    to_move = []
    stayed = 0
    for barrier in CandidateBarrier.objects.filter(candidate=duplicate):
        mine = kept.get(barrier.barrier)
        if mine is None:
            to_move.append(barrier.pk)
            continue
        stayed += 1
        if not mine.support_needed and barrier.support_needed:
            mine.support_needed = barrier.support_needed
            mine.save(update_fields=["support_needed"])
    return CandidateBarrier.objects.filter(pk__in=to_move).update(candidate=survivor), stayed


def _merge_selection_results(survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """One result per person per event: if both attended the same event, the survivor's result counts."""
    events = SelectionResult.objects.filter(candidate=survivor).values("event_id")
    results = SelectionResult.objects.filter(candidate=duplicate)
    stayed = results.filter(event_id__in=events).count()
    return results.exclude(event_id__in=events).update(candidate=survivor), stayed


def _merge_data_requests(survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """Deletion requests all move; two open ones are the same request, so the duplicate's is closed first."""
    if DataRequest.objects.filter(candidate=survivor, status=DataRequest.Status.OPEN).exists():
        DataRequest.objects.filter(candidate=duplicate, status=DataRequest.Status.OPEN).update(
            status=DataRequest.Status.REJECTED,
            resolved_at=timezone.now(),
            resolved_by=actor,
            resolution_note="Records merged: the open request on the kept record covers this one.",
        )
    return _move(DataRequest)(survivor, duplicate, actor)


def _merge_equality(survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """One set of equality answers: the survivor's if it has them, else the duplicate's move over."""
    answers = EqualityMonitoring.objects.filter(candidate=duplicate)
    if EqualityMonitoring.objects.filter(candidate=survivor).exists():
        return 0, answers.count()
    return answers.update(candidate=survivor), 0


def _move_one_per_cohort(model: type[models.Model]) -> Handler:
    """Applications and enrolments are one per person per cohort: a cohort both records have keeps the survivor's."""

    def handler(survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
        manager = model._default_manager
        cohorts = manager.filter(candidate=survivor).values("cohort_id")
        rows = manager.filter(candidate=duplicate)
        stayed = rows.filter(cohort_id__in=cohorts).count()
        return rows.exclude(cohort_id__in=cohorts).update(candidate=survivor), stayed

    return handler


def _repoint_merged_records(survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """Records merged into the duplicate earlier now point at the survivor: merged_into is never a chain."""
    return Candidate.objects.filter(merged_into=duplicate).update(merged_into=survivor), 0


# Every relation to Candidate, as "<app_label>.<Model>.<field>", and how it is merged.
RELATIONS: dict[str, Handler] = {
    "candidates.StageChange.candidate": _move(StageChange),
    "candidates.ContactLog.candidate": _move(ContactLog),
    "candidates.ActionPlanItem.candidate": _move(ActionPlanItem),
    "candidates.ActionPlanReview.candidate": _move(ActionPlanReview),
    "candidates.Consent.candidate": _move(Consent),
    "candidates.Document.candidate": _move(Document),
    "candidates.DbsCheck.candidate": _move(DbsCheck),
    "candidates.CandidateBarrier.candidate": _merge_barriers,
    "candidates.SelectionResult.candidate": _merge_selection_results,
    "candidates.DataRequest.candidate": _merge_data_requests,
    "candidates.EqualityMonitoring.candidate": _merge_equality,
    "candidates.Candidate.merged_into": _repoint_merged_records,
    "courses.Application.candidate": _move_one_per_cohort(Application),
    "courses.Enrolment.candidate": _move_one_per_cohort(Enrolment),
    "courses.SupportPayment.candidate": _move(SupportPayment),
}


def relation_key(relation: Any) -> str:
    """The RELATIONS key of one of `Candidate._meta.related_objects`."""
    return f"{relation.related_model._meta.label}.{relation.field.name}"


def _check_can_merge(survivor: Candidate, duplicate: Candidate) -> None:
    if survivor.pk == duplicate.pk:
        raise ValidationError("A record cannot be merged into itself.")
    for candidate in (survivor, duplicate):
        if candidate.merged_into_id is not None:
            raise ValidationError(f"{candidate.full_name}'s record has already been merged into another record.")
        if candidate.anonymised_at is not None:
            raise ValidationError("An anonymised record cannot be merged.")
    if survivor.user_id and duplicate.user_id and duplicate.user and duplicate.user.is_active:
        raise ValidationError(
            "Both records have their own portal account, so merging them would leave one person with two "
            "sign-ins. Keep the record whose account they use; a manager can deactivate the other account first."
        )


@transaction.atomic
def candidate_merge(
    *, survivor: Candidate, duplicate: Candidate, actor: User, field_choices: Mapping[str, Candidate]
) -> Candidate:
    """Merge `duplicate` into `survivor`: all history moves over and the duplicate is marked merged.

    `field_choices` maps a field of MERGE_FIELDS to the record whose value the survivor keeps
    (fields not given keep the survivor's). The survivor gets the duplicate's portal account if
    it has none. Both records get an audit entry. Raises ValidationError for merging a record
    into itself, an already merged or anonymised record, or two records with active accounts.
    """
    # Lock both rows (in a fixed order, so two merges cannot deadlock) and check them as they are now.
    locked = {c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])}
    survivor, duplicate = locked.get(survivor.pk, survivor), locked.get(duplicate.pk, duplicate)
    _check_can_merge(survivor, duplicate)
    unknown = set(field_choices) - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be chosen when merging: {', '.join(sorted(unknown))}.")
    if any(source.pk not in (survivor.pk, duplicate.pk) for source in field_choices.values()):
        raise ValidationError("Each value must come from one of the two records being merged.")

    taken = [
        name
        for name, source in field_choices.items()
        if source.pk == duplicate.pk and _value(duplicate, name) != _value(survivor, name)
    ]
    _apply_fields(survivor, duplicate, taken, actor)

    moved: dict[str, int] = {}
    stayed: dict[str, int] = {}
    for key, handler in RELATIONS.items():
        moved[key], stayed[key] = handler(survivor, duplicate, actor)

    update_fields = ["merged_into", "updated_at"]
    account_moved = duplicate.user_id is not None and survivor.user_id is None
    if account_moved:
        # The account belongs to the person, who is now the survivor. Unlink first: user is one-to-one.
        survivor.user_id, duplicate.user_id = duplicate.user_id, None
        update_fields.append("user")
    duplicate.merged_into = survivor
    duplicate.save(update_fields=update_fields)
    survivor.profile_steps_done = sorted(set(survivor.profile_steps_done) | set(duplicate.profile_steps_done))
    survivor.age_band_at_registration = survivor.age_band_at_registration or duplicate.age_band_at_registration
    survivor.save()

    audit_log(
        actor=actor,
        action="candidate.merge",
        obj=survivor,
        data={
            "merged": str(duplicate.public_id),
            "fields_from_merged": taken,
            "account_moved": account_moved,
            "moved": {key.split(".")[1]: n for key, n in moved.items() if n},
            "left_with_merged": {key.split(".")[1]: n for key, n in stayed.items() if n},
        },
    )
    audit_log(actor=actor, action="candidate.merged_into", obj=duplicate, data={"into": str(survivor.public_id)})
    return survivor


def _value(candidate: Candidate, name: str) -> Any:
    return candidate.stage_id if name == "stage" else getattr(candidate, name)


def _apply_fields(survivor: Candidate, duplicate: Candidate, names: list[str], actor: User) -> None:
    for name in names:
        if name == "stage":
            # The history moves over with the duplicate; this row records that the stage came from it.
            StageChange.objects.create(
                candidate=survivor,
                from_stage_id=survivor.stage_id,
                to_stage_id=duplicate.stage_id,
                reason=duplicate.closed_reason,
                note="Records merged: stage taken from the merged record.",
                changed_by=actor,
            )
            survivor.stage_id = duplicate.stage_id
            survivor.stage_entered_at = duplicate.stage_entered_at
            survivor.closed_reason = duplicate.closed_reason
        else:
            setattr(survivor, name, getattr(duplicate, name))
    survivor.phone_key = phone_key(survivor.phone)
    survivor.email = survivor.email.strip().lower()
