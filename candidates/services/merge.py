"""Merging two records of the same person into one, keeping the history of both.

Every row that points at the duplicate moves to the survivor, except where a uniqueness rule
would be broken (the survivor's row wins and the duplicate's stays with the merged record, so
nothing is ever deleted). The duplicate is kept, marked `merged_into`, for the audit trail, and
disappears from lists through `Candidate.objects.current()`.

How each table moves is declared by the app that owns it (`<app>/privacy.py`, collected by
candidates.selectors.personal_data). A model added later with a key to Candidate must be declared
there: tests/candidates/test_privacy_declarations.py fails until it is, so no merge silently
leaves someone's history behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, StageChange
from candidates.selectors.personal_data import personal_tables
from candidates.services.records import phone_key

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
    "current_salary",
    "caring_responsibilities",
    "interests",
    "availability",
    "driving_licence",
    "has_car",
]


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
    for table in personal_tables():
        if table.merge is not None:  # None: rows reached through another table move with it
            moved[table.key], stayed[table.key] = table.merge(table, survivor, duplicate, actor)

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
