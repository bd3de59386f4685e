"""Everything the portal holds about a learner: the "My data" downloads (JSON and readable HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import dateformat, timezone

from academy.models import AuditEntry, User
from academy.personal_data import label
from candidates.models import Candidate, choices
from candidates.models.choices import AgeBand
from candidates.selectors.personal_data import export_section_titles, personal_tables


def age_band(candidate: Candidate, on: date | None = None) -> str:
    """The label of the candidate's age band today (or `on`), or "" without a date of birth."""
    value = AgeBand.for_age(candidate.age_on(on or timezone.localdate()))
    return str(AgeBand(value).label) if value else ""


def _export_queryset(candidate: Candidate) -> Candidate:
    """The record with its stage, owner and account; each declared table's section reads its own rows."""
    return Candidate.objects.select_related("stage", "owner", "user").get(pk=candidate.pk)


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
    "current_salary",
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
    interests = dict(choices.Interest.choices)
    candidate_type = ContentType.objects.get_for_model(Candidate)
    audit = AuditEntry.objects.filter(content_type=candidate_type, object_id=str(c.pk)).order_by("created_at", "id")
    learner_email = you.email if you else None
    return {
        "profile": {
            **{EXPORT_KEYS.get(name, name): label(c, name) for name in PROFILE_EXPORT_FIELDS},
            "interests": [str(interests.get(code, code)) for code in c.interests],
            "profile_steps_completed": list(c.profile_steps_done),
            "registered": c.created_at,
        },
        "pipeline": {
            "current_stage": c.stage.name,
            "in_this_stage_since": c.stage_entered_at,
            "closed_reason": label(c, "closed_reason"),
            "academy_contact": c.owner.get_full_name() if c.owner else "",
        },
        # Every app's tables about the person, as each app declares them (<app>/privacy.py).
        **{section.key: section.rows(c, you) for table in personal_tables() for section in table.export},
        "record_history": [
            {
                "date": entry.created_at,
                "what_happened": entry.action,
                "by": "You" if learner_email and entry.actor_label == learner_email else entry.actor_label,
            }
            for entry in audit
        ],
    }


# Titles of the parts of the download that are not a declared table's section.
RECORD_SECTION_TITLES = {
    "about_this_file": "About this download",
    "account": "Your account",
    "profile": "Your profile",
    "pipeline": "Where you are with the academy",
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
    titles = {**RECORD_SECTION_TITLES, **export_section_titles()}
    for key, value in export.items():
        if key == "earlier_records":
            for number, record in enumerate(value, start=1):
                for section in learner_data_sections(record):
                    section.key = f"earlier-{number}-{section.key}"
                    section.title = f"Earlier record {number}: {section.title}"
                    sections.append(section)
            continue
        section = DataSection(key=key, title=titles.get(key, key.replace("_", " ").capitalize()))
        if isinstance(value, list):
            section.is_list = True
            section.items = [_rows(item) for item in value]
        elif isinstance(value, dict):
            section.rows = _rows(value)
        sections.append(section)
    return sections
