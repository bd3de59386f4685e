"""The DBS policy managers set: recheck interval, retention of certificate details, chase thresholds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from academy.audit import audit_log
from academy.models import User
from candidates.models import DbsPolicy

POLICY_FIELDS = (
    "recheck_interval_months",
    "retention_months_after_decision",
    "retention_months_after_last_step",
    "chase_application_days",
    "chase_certificate_first_days",
    "chase_certificate_second_days",
    "update_service_renewal_notice_days",
    "recheck_notice_days",
)


@transaction.atomic
def dbs_policy_update(
    *, actor: User, data: dict[str, int], academy_id: int | None = None, own: bool = False
) -> DbsPolicy:
    """Change the academy's DBS policy; applies to steps recorded and reminders due from now on.

    The first academy changes the portal's policy (row 1). Another academy (`own`) changes its own,
    made the first time from the portal's, so the others keep theirs."""
    policy = DbsPolicy.current(academy_id)
    if own and policy.academy_id is None and academy_id is not None:
        # A copy of the portal's policy. Row 1 was written with its key given, which PostgreSQL's
        # sequence does not know of, so the new key is chosen here, under the portal row's lock.
        DbsPolicy.objects.select_for_update().filter(pk=policy.pk).exists()
        policy.pk = (DbsPolicy.objects.aggregate(top=Max("pk"))["top"] or 1) + 1
        policy.academy_id = academy_id
        policy.save(force_insert=True)
    policy = DbsPolicy.objects.select_for_update().get(pk=policy.pk)
    first = data.get("chase_certificate_first_days", policy.chase_certificate_first_days)
    second = data.get("chase_certificate_second_days", policy.chase_certificate_second_days)
    if second <= first:
        raise ValidationError(
            {"chase_certificate_second_days": "The second chase must come after the first chase (more days)"}
        )
    changed = {
        name: [getattr(policy, name), value]
        for name, value in data.items()
        if name in POLICY_FIELDS and getattr(policy, name) != value
    }
    if not changed:
        return policy
    for name, (_, value) in changed.items():
        setattr(policy, name, value)
    # The model's rules (e.g. notice days within a year), for callers that skip the policy form.
    policy.clean_fields()
    policy.updated_by = actor
    policy.save(update_fields=[*changed, "updated_by", "updated_at"])
    audit_log(actor=actor, action="dbs.policy_update", obj=policy, data=changed)
    return policy
