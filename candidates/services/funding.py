"""Writing a stream's eligibility rules (managers) and who counts for which stream (staff); each audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import FundingStream, User
from academy.permissions import is_academy_staff, is_manager
from candidates.models import Candidate, EligibilityRule, StreamAttribution
from candidates.models.funding import rule_normalised_value


@transaction.atomic
def eligibility_rule_save(
    *, stream: FundingStream, actor: User, field: str, operator: str, value: str, rule: EligibilityRule | None = None
) -> EligibilityRule:
    """Add a rule to the stream, or change `rule`; the value is checked and stored in its normal form."""
    if not is_manager(actor):
        raise ValidationError("Only a manager can change a stream's eligibility rules.")
    if rule is not None and rule.stream_id != stream.pk:
        raise ValidationError("That rule belongs to another stream.")
    value = rule_normalised_value(field=field, operator=operator, value=value)
    created = rule is None
    if rule is None:
        rule = EligibilityRule(stream=stream)
    rule.field, rule.operator, rule.value = field, operator, value
    rule.save()
    audit_log(
        actor=actor,
        action="stream.rule_add" if created else "stream.rule_change",
        obj=stream,
        data={"rule": str(rule.public_id), "field": field, "operator": operator, "value": value},
    )
    return rule


@transaction.atomic
def eligibility_rule_delete(*, rule: EligibilityRule, actor: User) -> None:
    """Remove a rule from its stream; audited on the stream."""
    if not is_manager(actor):
        raise ValidationError("Only a manager can change a stream's eligibility rules.")
    stream = rule.stream
    data = {"rule": str(rule.public_id), "field": rule.field, "operator": rule.operator, "value": rule.value}
    rule.delete()
    audit_log(actor=actor, action="stream.rule_delete", obj=stream, data=data)


@transaction.atomic
def stream_attribute(
    *, candidate: Candidate, stream: FundingStream, actor: User | None, reason: str = "", on: dt.date | None = None
) -> StreamAttribution:
    """Count the person for the stream from `on` (today by default); refused twice, or on a closed stream."""
    if actor is not None and not is_academy_staff(actor):
        raise ValidationError("Only academy staff can attribute a learner to a funding stream.")
    day = on or timezone.localdate()
    if not stream.is_open_on(day):
        raise ValidationError(
            {
                "stream": f"{stream.name} is closed on {day:%-d %B %Y}: it runs from "
                f"{stream.start_date:%-d %B %Y} to {stream.end_date:%-d %B %Y}."
            }
        )
    if candidate.merged_into_id is not None or candidate.anonymised_at is not None:
        raise ValidationError("This record has been merged or anonymised, so it cannot be attributed.")
    try:
        with transaction.atomic():
            attribution = StreamAttribution.objects.create(
                candidate=candidate, stream=stream, attributed_on=day, attributed_by=actor, reason=reason.strip()
            )
    except IntegrityError as exc:
        raise ValidationError({"stream": f"{candidate.full_name} already counts for {stream.name}."}) from exc
    audit_log(
        actor=actor,
        action="stream.attribute",
        obj=candidate,
        data={"stream": stream.code, "on": day.isoformat(), "reason": attribution.reason},
    )
    return attribution


@transaction.atomic
def stream_attribution_remove(*, attribution: StreamAttribution, actor: User, reason: str) -> None:
    """Stop counting the person for the stream (a mistake); the reason is kept in the audit log."""
    if not is_academy_staff(actor):
        raise ValidationError("Only academy staff can change a learner's funding streams.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the learner no longer counts for this stream."})
    candidate, stream = attribution.candidate, attribution.stream
    attribution.delete()
    audit_log(actor=actor, action="stream.unattribute", obj=candidate, data={"stream": stream.code, "reason": reason})
