"""Rebuild application and enrolment status history from the audit log (migration courses 0005).

Takes an app registry (the migration's historical models, or django.apps.apps in tests) and
imports no models itself, so later changes to the models cannot break the migration. Objects
that already have history are left alone, so running it twice adds nothing.

What the services wrote to the audit log (courses.services.applications, delivery, outcomes):
- application.submit; application.<decision> with {"from", "reason"}; application.offered from the
  waiting list with {"from": "waiting_list"}; application.accepted, .learner_declined, .withdrawn,
  .offer_expired. Every application starts "submitted" when it is created.
- enrolment.outcome with {"from", "to", "reason"}; enrolment.pause; enrolment.rejoin on the new
  enrolment; enrolment.add when staff put someone on a cohort. Every enrolment starts "enrolled"
  when it is created.
Where an entry does not say what the status was before, it is the previous entry's new status.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

APPLICATION_STATUSES = (
    "submitted",
    "shortlisted",
    "offered",
    "accepted",
    "waiting_list",
    "declined",
    "learner_declined",
    "withdrawn",
    "offer_expired",
)
# Audit actions on an application, and the status each leaves it in.
APPLICATION_ACTIONS = {"application.submit": "submitted"} | {
    f"application.{status}": status for status in APPLICATION_STATUSES if status != "submitted"
}
ENROLMENT_STATUSES = ("enrolled", "paused", "completed", "withdrawn", "did_not_complete")
# Audit actions written when an enrolment is created (a rejoin, or staff adding someone).
CREATED_BY = ("enrolment.rejoin", "enrolment.add")


def _entries_by_object(apps: Any, model: str, actions: list[str]) -> dict[str, list[Any]]:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("academy", "AuditEntry")
    content_type = ContentType.objects.filter(app_label="courses", model=model).first()
    found: dict[str, list[Any]] = defaultdict(list)
    if content_type is None:
        return found
    entries = AuditEntry.objects.filter(content_type=content_type, action__in=actions).order_by("created_at", "id")
    for entry in entries:
        found[entry.object_id].append(entry)
    return found


def backfill_application_history(apps: Any) -> int:
    """Create ApplicationStatusChange rows from the audit log; returns how many were created."""
    Application = apps.get_model("courses", "Application")
    Change = apps.get_model("courses", "ApplicationStatusChange")
    entries = _entries_by_object(apps, "application", list(APPLICATION_ACTIONS))
    done = set(Change.objects.values_list("application_id", flat=True).distinct())
    rows = []
    for application in Application.objects.exclude(pk__in=done).order_by("pk").iterator():
        own = entries.get(str(application.pk), [])
        status = ""
        if not any(entry.action == "application.submit" for entry in own):
            rows.append(Change(application=application, to_status="submitted", changed_at=application.created_at))
            status = "submitted"
        for entry in own:
            to_status = APPLICATION_ACTIONS[entry.action]
            said = entry.data.get("from") if isinstance(entry.data, dict) else None
            from_status = said if said in APPLICATION_STATUSES else status
            reason = entry.data.get("reason", "") if to_status == "declined" else ""
            rows.append(
                Change(
                    application=application,
                    from_status=from_status,
                    to_status=to_status,
                    reason=reason or "",
                    changed_by_id=entry.actor_id,
                    changed_at=entry.created_at,
                )
            )
            status = to_status
    Change.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def backfill_enrolment_history(apps: Any) -> int:
    """Create EnrolmentStatusChange rows from the audit log; returns how many were created."""
    Enrolment = apps.get_model("courses", "Enrolment")
    Change = apps.get_model("courses", "EnrolmentStatusChange")
    entries = _entries_by_object(
        apps, "enrolment", ["enrolment.outcome", "enrolment.pause", "enrolment.rejoin", "enrolment.add"]
    )
    # Who accepted the place that created an enrolment: application.accepted names the enrolment.
    accepted_by = {
        entry.data.get("enrolment"): entry.actor_id
        for entries_of_one in _entries_by_object(apps, "application", ["application.accepted"]).values()
        for entry in entries_of_one
        if isinstance(entry.data, dict)
    }
    done = set(Change.objects.values_list("enrolment_id", flat=True).distinct())
    rows = []
    for enrolment in Enrolment.objects.exclude(pk__in=done).order_by("pk").iterator():
        own = entries.get(str(enrolment.pk), [])
        rejoin = next((entry for entry in own if entry.action in CREATED_BY), None)
        rows.append(
            Change(
                enrolment=enrolment,
                to_status="enrolled",
                changed_by_id=rejoin.actor_id if rejoin else accepted_by.get(str(enrolment.public_id)),
                changed_at=rejoin.created_at if rejoin else enrolment.created_at,
            )
        )
        status = "enrolled"
        changes = [entry for entry in own if entry.action not in CREATED_BY]
        for index, entry in enumerate(changes):
            data = entry.data if isinstance(entry.data, dict) else {}
            if entry.action == "enrolment.pause":
                to_status, from_status = "paused", status
                # The pause's reason is not in the log; the record still has it if this was the last change.
                last = index == len(changes) - 1 and enrolment.status == "paused"
                reason = enrolment.status_reason if last else ""
            else:
                to_status = data.get("to", "")
                said = data.get("from")
                from_status = said if isinstance(said, str) and said in ENROLMENT_STATUSES else status
                reason = data.get("reason", "") or ""
            if to_status not in ENROLMENT_STATUSES or to_status == from_status:
                continue
            rows.append(
                Change(
                    enrolment=enrolment,
                    from_status=from_status,
                    to_status=to_status,
                    reason=reason,
                    changed_by_id=entry.actor_id,
                    changed_at=entry.created_at,
                )
            )
            status = to_status
    Change.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def backfill_status_history(apps: Any) -> None:
    """Both backfills, for the migration."""
    backfill_application_history(apps)
    backfill_enrolment_history(apps)
