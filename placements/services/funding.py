"""Managers set up funding streams: the funder's dates, budget, targets and follow-up points; audited."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from academy.audit import audit_log
from academy.models import FundingStream, User
from academy.permissions import is_manager
from courses.selectors.payments import stream_budget

STREAM_FIELDS = (
    "name",
    "funder",
    "code",
    "start_date",
    "end_date",
    "budget",
    "target_learners_engaged",
    "target_course_completions",
    "target_job_starts",
    "target_sustained_jobs",
    "target_priority_group_learners",
    "follow_up_weeks",
    "sustained_after_weeks",
    "notes",
)
MAX_FOLLOW_UP_WEEKS = 156  # three years
MAX_BUDGET = Decimal("9999999999.99")  # what the budget column holds


def follow_up_weeks_parse(text: str, *, sustained_after_weeks: int | None) -> list[int]:
    """'4, 13, 26' as [4, 13, 26]: positive whole weeks in increasing order that include the sustained point.

    The one home of the rule; raises ValidationError keyed on `follow_up_weeks` with what to fix.
    """
    parts = [part.strip() for part in re.split(r"[,\s]+", text.strip()) if part.strip()]
    if not parts:
        raise ValidationError({"follow_up_weeks": "Enter the weeks after a job start to follow up at, like 4, 13, 26"})
    if not all(part.isdigit() for part in parts):
        raise ValidationError(
            {"follow_up_weeks": "Follow-up weeks must be whole numbers separated by commas, like 4, 13, 26"}
        )
    weeks = [int(part) for part in parts]
    if any(week < 1 or week > MAX_FOLLOW_UP_WEEKS for week in weeks):
        raise ValidationError({"follow_up_weeks": f"Each follow-up must be between 1 and {MAX_FOLLOW_UP_WEEKS} weeks"})
    if any(later <= earlier for earlier, later in itertools.pairwise(weeks)):
        raise ValidationError(
            {"follow_up_weeks": "Put the follow-up weeks in increasing order, each once, like 4, 13, 26"}
        )
    if sustained_after_weeks is not None and sustained_after_weeks not in weeks:
        raise ValidationError(
            {
                "follow_up_weeks": f"Include the sustained point ({sustained_after_weeks} weeks) in the follow-ups, "
                "so people are asked then"
            }
        )
    return weeks


def _check(data: dict[str, Any], stream: FundingStream | None) -> None:
    errors: dict[str, str] = {}
    for name in ("name", "funder", "code"):
        data[name] = str(data.get(name) or "").strip()
    data["code"] = data["code"].upper()
    others = FundingStream.objects.exclude(pk=stream.pk) if stream is not None else FundingStream.objects.all()
    if data["name"] and others.filter(name__iexact=data["name"]).exists():
        errors["name"] = f"There is already a stream called {data['name']}: choose another name"
    if data["code"] and others.filter(code__iexact=data["code"]).exists():
        errors["code"] = f"Another stream already has the code {data['code']}"
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        errors["end_date"] = "The end date must be the same as or after the start date"
    budget = data.get("budget")
    if budget is not None and (budget < 0 or budget > MAX_BUDGET):
        errors["budget"] = "The budget must be £0.00 or more"
    elif budget is not None:
        data["budget"] = Decimal(budget).quantize(Decimal("0.01"))
    if stream is not None and budget is not None and start and end:
        _check_existing_spend(stream, data, errors)
    try:
        weeks = data.get("follow_up_weeks")
        text = ", ".join(str(week) for week in weeks) if isinstance(weeks, list) else str(weeks or "")
        data["follow_up_weeks"] = follow_up_weeks_parse(text, sustained_after_weeks=data.get("sustained_after_weeks"))
    except ValidationError as exc:
        errors.update({key: value[0] for key, value in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def _check_existing_spend(stream: FundingStream, data: dict[str, Any], errors: dict[str, str]) -> None:
    """A stream's dates must still cover what was charged to it; a smaller budget than the spend is allowed (shown)."""
    outside = stream.support_payments.exclude(status="rejected").filter(
        Q(created_at__date__lt=data["start_date"]) | Q(created_at__date__gt=data["end_date"])
    )
    if outside.exists():
        errors["start_date"] = (
            f"{outside.count()} support payment(s) were asked for outside these dates: "
            "the stream's dates must cover them"
        )


@transaction.atomic
def stream_create(*, actor: User, values: Mapping[str, Any]) -> FundingStream:
    """Set up a funding stream (STREAM_FIELDS); audited."""
    if not is_manager(actor):
        raise ValidationError("Only a manager can set up a funding stream.")
    data = {name: values.get(name) for name in STREAM_FIELDS}
    _check(data, None)
    data["notes"] = data["notes"] or ""
    stream = FundingStream.objects.create(**data)
    audit_log(actor=actor, action="stream.create", obj=stream, data={"code": stream.code, "budget": str(stream.budget)})
    return stream


@transaction.atomic
def stream_update(*, stream: FundingStream, actor: User, values: Mapping[str, Any]) -> FundingStream:
    """Change a stream's details; the audit entry lists what changed (and the budget before and after)."""
    if not is_manager(actor):
        raise ValidationError("Only a manager can change a funding stream.")
    stream = FundingStream.objects.select_for_update().get(pk=stream.pk)
    data = {name: getattr(stream, name) for name in STREAM_FIELDS}
    data.update({name: values[name] for name in STREAM_FIELDS if name in values})
    _check(data, stream)
    data["notes"] = data["notes"] or ""
    changed = [name for name in STREAM_FIELDS if getattr(stream, name) != data[name]]
    audit_data: dict[str, Any] = {"changed": changed}
    if "budget" in changed:
        audit_data["budget"] = {"from": str(stream.budget), "to": str(data["budget"])}
    for name in changed:
        setattr(stream, name, data[name])
    if changed:
        stream.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="stream.update", obj=stream, data=audit_data)
    return stream


def stream_budget_after_change(stream: FundingStream) -> str:
    """A warning when the stream's approved and paid spend is over its budget, or ""."""
    budget = stream_budget(stream)
    if not budget.over:
        return ""
    return (
        f"£{budget.used:,} is already approved or paid on {stream.name}, more than its budget of "
        f"£{budget.budget:,}: new approvals will need a manager to confirm them."
    )
