"""The DBS policy managers set: recheck interval, retention of certificate details, chase thresholds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

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
def dbs_policy_update(*, actor: User, data: dict[str, int]) -> DbsPolicy:
    """Change the DBS policy; applies to steps recorded and reminders due from now on."""
    policy = DbsPolicy.objects.select_for_update().get(pk=DbsPolicy.current().pk)
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
