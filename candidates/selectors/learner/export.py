"""Everything the portal holds about a learner: the "My data" downloads (JSON and readable HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch
from django.utils import dateformat, timezone

from academy.models import AuditEntry, User
from candidates.models import (
    ActionPlanReview,
    Candidate,
    Consent,
    ContactLog,
    DataRequest,
    Document,
    EqualityMonitoring,
    SelectionResult,
    StageChange,
    choices,
)
from candidates.models.choices import AgeBand
from candidates.selectors.dbs_export import DBS_SECTION_TITLES, learner_dbs_data
from courses.selectors.learner_data import COURSE_SECTION_TITLES, learner_course_data


def age_band(candidate: Candidate, on: date | None = None) -> str:
    """The label of the candidate's age band today (or `on`), or "" without a date of birth."""
    value = AgeBand.for_age(candidate.age_on(on or timezone.localdate()))
    return str(AgeBand(value).label) if value else ""


def _label(obj: Model, name: str) -> Any:
    """A field's value as the learner would read it: choice labels rather than codes."""
    value = getattr(obj, name)
    choices = dict(obj._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
    return choices.get(value, value) if value != "" else ""


def _who(user: User | None, you: User | None) -> str:
    if user is None:
        return "The academy"
    if you is not None and user.pk == you.pk:
        return "You"
    return user.get_full_name()


def _one_to_one(obj: Model, name: str) -> Any:
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _export_queryset(candidate: Candidate) -> Candidate:
    """The record with everything the export reads, in one query per kind of history."""
    return (
        Candidate.objects.select_related("stage", "owner", "user", "equality")
        .prefetch_related(
            "barriers",
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by").order_by("recorded_at", "id")),
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by").order_by("uploaded_at")),
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("from_stage", "to_stage", "changed_by").order_by(
                    "changed_at", "id"
                ),
            ),
            Prefetch("contacts", queryset=ContactLog.objects.select_related("created_by").order_by("occurred_at")),
            Prefetch(
                "selection_results",
                queryset=SelectionResult.objects.select_related("event").order_by("event__held_on", "id"),
            ),
            "action_items",
            Prefetch("action_reviews", queryset=ActionPlanReview.objects.select_related("reviewed_by")),
            Prefetch("data_requests", queryset=DataRequest.objects.order_by("requested_at")),
        )
        .get(pk=candidate.pk)
    )


PROFILE_EXPORT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "date_of_birth",
    "right_to_work",
    "source",
    "employment_status",
    "months_out_of_work",
    "benefit_status",
    "jobcentre_referral",
    "work_coach_name",
    "highest_qualification",
    "caring_responsibilities",
    "availability",
    "driving_licence",
    "has_car",
)
# Keys that read better to the learner than the field's name.
EXPORT_KEYS = {
    "source": "how_you_heard_about_us",
    "has_car": "has_use_of_a_car",
    "jobcentre_referral": "referred_by_jobcentre_plus",
}


def candidate_merged_records(candidate: Candidate) -> list[Candidate]:
    """Records merged into this one (and into those, and so on): the same person's earlier records."""
    found: list[Candidate] = []
    frontier = [candidate.pk]
    while frontier:
        batch = list(Candidate.objects.filter(merged_into__in=frontier).order_by("created_at", "id"))
        found += batch
        frontier = [record.pk for record in batch]
    return found


def learner_data_export(candidate: Candidate) -> dict[str, Any]:
    """Everything the portal holds about the learner, as plain data (the JSON and HTML downloads).

    Values are what the learner would read (choice labels, not codes); dates stay date objects
    for the caller to format. Records merged into this one are included in full as
    "earlier_records". A fixed number of queries per record, however long the history.
    """
    c = _export_queryset(candidate)
    you = c.user
    return {
        "about_this_file": {
            "service": settings.SITE_NAME,
            "exported_at": timezone.now(),
            "reference": str(c.public_id),
        },
        "account": (
            {"email": you.email, "name": you.full_name, "joined": you.date_joined, "last_sign_in": you.last_login}
            if you
            else None
        ),
        **_record_export(c, you),
        "earlier_records": [_record_export(_export_queryset(record), you) for record in candidate_merged_records(c)],
    }


def _record_export(c: Candidate, you: User | None) -> dict[str, Any]:
    equality = _one_to_one(c, "equality")
    interests = dict(choices.Interest.choices)
    candidate_type = ContentType.objects.get_for_model(Candidate)
    audit = AuditEntry.objects.filter(content_type=candidate_type, object_id=str(c.pk)).order_by("created_at", "id")
    learner_email = you.email if you else None

    return {
        "profile": {
            **{EXPORT_KEYS.get(name, name): _label(c, name) for name in PROFILE_EXPORT_FIELDS},
            "interests": [str(interests.get(code, code)) for code in c.interests],
            "profile_steps_completed": list(c.profile_steps_done),
            "registered": c.created_at,
        },
        "pipeline": {
            "current_stage": c.stage.name,
            "in_this_stage_since": c.stage_entered_at,
            "closed_reason": _label(c, "closed_reason"),
            "academy_contact": c.owner.get_full_name() if c.owner else "",
        },
        "stage_history": [
            {
                "date": change.changed_at,
                "from_stage": change.from_stage.name if change.from_stage else "",
                "to_stage": change.to_stage.name,
                "reason": _label(change, "reason"),
                "note": change.note,
                "changed_by": _who(change.changed_by, you),
            }
            for change in c.stage_changes.all()
        ],
        "barriers_and_support": [
            {"barrier": b.get_barrier_display(), "what_would_help": b.support_needed} for b in c.barriers.all()
        ],
        "equality_monitoring": (
            {
                "age_band": age_band(c),
                **{name: _label(equality, name) for name in EqualityMonitoring.QUESTIONS},
                "last_updated": equality.updated_at,
            }
            if equality
            else None
        ),
        "consents": [
            {
                "date": consent.recorded_at,
                "consent": consent.get_kind_display(),
                "given": consent.granted,
                "months_to_keep_data": consent.retention_months,
                "recorded_by": _who(consent.recorded_by, you),
            }
            for consent in c.consents.all()
        ],
        "documents": [
            {
                "name": doc.original_name,
                "kind": doc.get_kind_display(),
                "file_type": doc.content_type,
                "size_bytes": doc.size,
                "uploaded": doc.uploaded_at,
                "uploaded_by": _who(doc.uploaded_by, you),
            }
            for doc in c.documents.all()
        ],
        "contacts_and_notes": [
            {
                "date": contact.occurred_at,
                "kind": contact.get_kind_display(),
                "summary": contact.summary,
                "follow_up_on": contact.follow_up_on,
                "follow_up_done": contact.follow_up_done_at,
                "recorded_by": _who(contact.created_by, you),
            }
            for contact in c.contacts.all()
        ],
        "selection_results": [
            {
                "event": result.event.title,
                "date": result.event.held_on,
                "values_score": result.values_score,
                "literacy_level": _label(result, "literacy_level"),
                "numeracy_level": _label(result, "numeracy_level"),
                "interview": _label(result, "interview"),
                "outcome": _label(result, "outcome"),
                "referred_to": _label(result, "referred_to"),
                "follow_up_on": result.follow_up_on,
                "feedback": result.feedback,
            }
            for result in c.selection_results.all()
        ],
        "action_plan": [
            {"goal": item.goal, "action": item.action, "who": item.owner, "due": item.due_on, "done": item.done_at}
            for item in c.action_items.all()
        ],
        "action_plan_reviews": [
            {
                "review_date": review.review_on,
                "notes": review.notes,
                "reviewed": review.reviewed_at,
                "reviewed_by": _who(review.reviewed_by, you),
            }
            for review in c.action_reviews.all()
        ],
        "data_requests": [
            {
                "requested": request.requested_at,
                "status": request.get_status_display(),
                "your_reason": request.reason,
                "dealt_with": request.resolved_at,
            }
            for request in c.data_requests.all()
        ],
        **learner_course_data(c),
        **learner_dbs_data(c, you),
        "record_history": [
            {
                "date": entry.created_at,
                "what_happened": entry.action,
                "by": "You" if learner_email and entry.actor_label == learner_email else entry.actor_label,
            }
            for entry in audit
        ],
    }


SECTION_TITLES = {
    "about_this_file": "About this download",
    "account": "Your account",
    "profile": "Your profile",
    "pipeline": "Where you are with the academy",
    "stage_history": "Your progress through the academy",
    "barriers_and_support": "Barriers and support",
    "equality_monitoring": "Equality monitoring answers",
    "consents": "What you agreed to (consent history)",
    "documents": "Your documents",
    "contacts_and_notes": "Contacts and notes by academy staff",
    "selection_results": "Selection and screening results",
    "action_plan": "Your skills action plan",
    "action_plan_reviews": "Action plan reviews",
    "data_requests": "Requests to delete your data",
    **COURSE_SECTION_TITLES,
    **DBS_SECTION_TITLES,
    "record_history": "History of your record",
}


@dataclass
class DataSection:
    """One part of the readable download: `rows` for a single item, `items` for a list of them."""

    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    items: list[list[tuple[str, str]]] = field(default_factory=list)
    is_list: bool = False


def _readable(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return dateformat.format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key.replace("_", " ").capitalize(), _readable(value)) for key, value in data.items()]


def learner_data_sections(export: dict[str, Any]) -> list[DataSection]:
    """The export as headed sections of label/value rows, for the readable (HTML) download."""
    sections = []
    for key, value in export.items():
        if key == "earlier_records":
            for number, record in enumerate(value, start=1):
                for section in learner_data_sections(record):
                    section.key = f"earlier-{number}-{section.key}"
                    section.title = f"Earlier record {number}: {section.title}"
                    sections.append(section)
            continue
        section = DataSection(key=key, title=SECTION_TITLES.get(key, key.replace("_", " ").capitalize()))
        if isinstance(value, list):
            section.is_list = True
            section.items = [_rows(item) for item in value]
        elif isinstance(value, dict):
            section.rows = _rows(value)
        sections.append(section)
    return sections
