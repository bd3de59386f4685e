"""The audit log in words: what each action code means, for the audit log page and the history panels.

An entry's `action` is a dotted code ("application.submit") and its `data` holds ids and codes
("from": 2, "to": 4, UUIDs). `audit_lines` turns entries into lines a person can read: a sentence,
details with codes made readable and identifiers left out, who did it, and what it was about with a
link while that object still exists.

Names only a higher app can resolve (pipeline stage ids) come from `<app>/audit_words.py` modules
with `describe(entries) -> {entry id: sentence}` (academy.discovery). Performance contract: at most
one query per hook that has entries to describe, one for users named in the data and one per
kind of linked object, whatever the number of entries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.formats import date_format

from academy.audit import MASK
from academy.discovery import app_hooks
from academy.models import AuditEntry, User

# What each action code means, as a short sentence. Codes built from a status
# (job_application.<status>, work_placement.<status>, application.<decision>) are listed by status.
SENTENCES: dict[str, str] = {
    # accounts and the core
    "invitation.create": "Invitation sent",
    "invitation.resend": "Invitation sent again",
    "invitation.revoke": "Invitation withdrawn",
    "invitation.accept": "Invitation accepted",
    "user.deactivate": "Account deactivated",
    "user.reactivate": "Account reactivated",
    "mfa.lockout": "Two-factor sign-in locked after failed attempts",
    "file_job.request": "File requested",
    "file_job.download": "File downloaded",
    # providers
    "provider.create": "Provider added",
    "provider.update": "Provider details changed",
    "provider.import_create": "Provider added from the CQC import",
    "provider.import_update": "Provider updated from the CQC import",
    "provider.admin_grant": "Provider administrator appointed",
    "provider.colleague_invite": "Provider colleague invited",
    "provider_import.commit": "Provider import completed",
    "provider_import.refuse": "Provider import refused",
    "provider.contact": "Contact with the provider recorded",
    "provider.support": "Support offered to the provider recorded",
    "provider.survey_answer": "Quarterly survey answered",
    "provider.survey_change": "Quarterly survey answer changed",
    # candidates
    "candidate.create": "Record created",
    "candidate.update": "Record details changed",
    "candidate.stage": "Stage changed",
    "candidate.milestone_missed": "Not moved on to the next stage",
    "candidate.profile_step": "Profile section saved",
    "candidate.barriers": "Barriers to work recorded",
    "candidate.account_linked": "Record linked to an account",
    "candidate.merge": "Duplicate records merged",
    "candidate.merged_into": "Merged into another record",
    "candidate.contact": "Contact recorded",
    "candidate.follow_up_done": "Follow-up done",
    "candidate.action_item": "Action added",
    "candidate.action_done": "Action done",
    "candidate.action_review": "Action plan reviewed",
    "candidate.bulk_stage": "Stage changed for several people",
    "candidate.bulk_owner": "Owner changed for several people",
    "candidate.bulk_email": "Email sent to several people",
    "candidate.export": "Candidate list exported",
    "candidate.data_export": "Personal data exported",
    "candidate.anonymise": "Record anonymised",
    "outreach_event.create": "Outreach event added",
    "outreach_event.update": "Outreach event changed",
    "event_enquiry.record": "Enquiry at an outreach event recorded",
    "candidate_import.check": "Candidate import checked",
    "candidate_import.commit": "Candidate import completed",
    "datarequest.create": "Data request logged",
    "datarequest.complete": "Data request completed",
    "consent.give": "Consent given",
    "document.upload": "Document uploaded",
    "document.download": "Document downloaded",
    "document.delete": "Document deleted",
    "equality.view": "Equality answers viewed",
    "equality.save": "Equality answers saved",
    "equality.filter": "Candidate list filtered by equality answers",
    "stage.create": "Pipeline stage added",
    "stage.update": "Pipeline stage changed",
    "selection.create": "Selection event added",
    "selection.add": "Added to a selection event",
    "selection.result": "Selection result recorded",
    "stream.create": "Funding stream added",
    "stream.update": "Funding stream changed",
    "stream.rule_add": "Funding rule added",
    "stream.rule_delete": "Funding rule removed",
    "stream.attribute": "Charged to a funding stream",
    "stream.unattribute": "No longer charged to a funding stream",
    # DBS
    "dbs.start": "DBS check started",
    "dbs.id_verified": "DBS: ID verified",
    "dbs.submitted": "DBS: application submitted",
    "dbs.certificate_issued": "DBS: certificate issued",
    "dbs.original_seen": "DBS: original certificate seen",
    "dbs.cleared": "DBS check cleared",
    "dbs.disclosed": "DBS: information disclosed",
    "dbs.risk_assessment": "DBS: risk assessment started",
    "dbs.decision": "DBS: decision recorded",
    "dbs.withdrawn": "DBS check withdrawn",
    "dbs.view": "DBS check viewed",
    "dbs.view_shared": "Shared DBS outcome viewed",
    "dbs.share": "DBS outcome shared with a provider",
    "dbs.share_revoke": "DBS outcome no longer shared",
    "dbs.filter": "Candidate list filtered by DBS status",
    "dbs.policy_update": "DBS policy changed",
    "dbs.update_service": "DBS Update Service subscription saved",
    "dbs.status_check": "DBS Update Service status checked",
    "dbs.details_purged": "DBS certificate details deleted",
    # courses
    "course.create": "Course added",
    "course.update": "Course changed",
    "course.delete": "Course deleted",
    "question.create": "Screening question added",
    "question.update": "Screening question changed",
    "question.delete": "Screening question deleted",
    "question.move": "Screening question moved",
    "cohort.create": "Cohort added",
    "cohort.update": "Cohort changed",
    "cohort.delete": "Cohort deleted",
    "cohort.status_auto": "Cohort status changed",
    "cohort.message": "Message sent to the cohort",
    "cohort.bulk_add": "People added to the cohort",
    "session.create": "Sessions added",
    "session.update": "Session changed",
    "session.delete": "Session deleted",
    "attendance.register": "Register taken",
    "application.submit": "Application submitted",
    "application.offered": "Place offered",
    "application.accepted": "Place accepted",
    "application.learner_declined": "Place declined by the learner",
    "application.offer_expired": "Offer expired",
    "application.withdrawn": "Application withdrawn",
    "application.rejected": "Application not successful",
    "application.waiting_list": "Put on the waiting list",
    "application.shortlisted": "Application shortlisted",
    "enrolment.add": "Enrolled",
    "enrolment.pause": "Course paused",
    "enrolment.pause_lapsed": "Pause ended without rejoining",
    "enrolment.rejoin": "Rejoined a later cohort",
    "enrolment.rejoined_later": "Rejoined a later cohort",
    "enrolment.outcome": "Course outcome recorded",
    "certificate.create": "Certificate added",
    "certificate.download": "Certificate downloaded",
    "certificate.delete": "Certificate deleted",
    "feedback.submit": "Course feedback given",
    "questionnaire.submit": "Questionnaire answered",
    "payment.request": "Payment requested",
    "payment.approve": "Payment approved",
    "payment.reject": "Payment rejected",
    "payment.paid": "Payment made",
    "payment.bursary": "Bursary recorded",
    # jobs
    "vacancy.create": "Vacancy added",
    "vacancy.update": "Vacancy changed",
    "vacancy.submit": "Vacancy sent for approval",
    "vacancy.approve": "Vacancy approved",
    "vacancy.request_changes": "Changes asked for on the vacancy",
    "vacancy.close": "Vacancy closed",
    "vacancy.close_expired": "Vacancy closed at its closing date",
    "vacancy.reopen": "Vacancy reopened",
    "vacancy.fill": "Vacancy filled",
    "vacancy.fill_place": "A place on the vacancy filled",
    "vacancy.release_place": "A place on the vacancy freed",
    "job_application.apply": "Applied for the job",
    "job_application.refer": "Referred to the vacancy",
    "job_application.provider_view": "Application seen by the provider",
    "interview_due.create": "Interview due",
    "interview_due.met": "Interview due: met",
    "interview.schedule": "Interview arranged",
    "interview.reschedule": "Interview moved",
    "interview.reminder": "Interview reminder sent",
    "interview.outcome": "Interview outcome recorded",
    "interview.cancel": "Interview cancelled",
    "job_alert.create": "Job alert saved",
    "job_alert.stop": "Job alert stopped",
    "cv.create": "CV created",
    "cv.comment": "Comment added to the CV",
    "cv.comment_resolve": "CV comment resolved",
    "cv.provider_download": "CV downloaded by the provider",
    "folder.view": "Personnel folder viewed",
    "folder.update": "Personnel folder changed",
    "folder.release": "Personnel folder released to the provider",
    "folder.reference_add": "Reference added",
    "folder.reference_update": "Reference updated",
    "checklist.training": "Training checked",
    "checklist.start_date": "Start date agreed",
    "job_start.confirm": "Job start confirmed",
    "work_placement.create": "Work placement arranged",
    "work_placement.update": "Work placement changed",
    "work_placement.hours": "Placement hours recorded",
    "readiness_feedback.request": "Readiness feedback asked for",
    "readiness_feedback.answer": "Readiness feedback given",
    "outcome.record": "Outcome recorded",
    "outcome.update": "Outcome changed",
    "outcome.left": "Left the job",
    "outcome.from_job_start": "Outcome recorded from the job start",
    "follow_up.still_employed": "Follow-up: still employed",
    "follow_up.left": "Follow-up: has left",
    # reports
    "impact_report.queued": "Impact report asked for",
    "impact_report.running": "Impact report being built",
    "impact_report.ready": "Impact report ready",
    "impact_report.failed": "Impact report could not be built",
    "impact_report.download": "Impact report downloaded",
    "report_narrative.create": "Report narrative written",
    "report_narrative.update": "Report narrative changed",
    "self_assessment.create": "Self-assessment recorded",
    "self_assessment.delete": "Self-assessment removed",
    "case_study.create": "Case study written",
    "case_study.update": "Case study changed",
    "case_study.delete": "Case study deleted",
}

# Areas (the part of a code before the dot) whose plain spelling reads badly.
AREA_LABELS: dict[str, str] = {
    "dbs": "DBS",
    "cv": "CV",
    "mfa": "Two-factor sign-in",
    "datarequest": "Data request",
    "file_job": "File",
    "stream": "Funding stream",
    "provider_import": "Provider import",
    "candidate_import": "Candidate import",
}

# How a data key reads in the details. Keys not listed read as words ("places_filled" -> "Places filled").
KEY_LABELS: dict[str, str] = {
    "changed": "Changed",
    "cqc": "CQC location",
    "on": "On",
    "where": "Seen on",
    "account": "Account",
    "user": "User",
    "rows": "Rows",
}

# Keys whose values only point at other rows: nothing a person can read, so not shown.
HIDDEN_KEYS = frozenset({"sha256", "params", "filters"})

UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


@dataclass(frozen=True)
class AuditLine:
    """One audit entry in words, for a table row."""

    entry: AuditEntry
    sentence: str
    details: list[str] = field(default_factory=list)
    actor_name: str = ""
    object_label: str = ""
    object_url: str = ""

    @property
    def created_at(self) -> dt.datetime:
        return self.entry.created_at

    @property
    def actor_label(self) -> str:
        return self.actor_name


def readable_code(code: str) -> str:
    """A code no one wrote a sentence for, made readable: "vacancy.fill_place" -> "Vacancy: fill place"."""
    head, _, tail = code.partition(".")
    head_words = area_label(head)
    tail_words = tail.replace("_", " ").replace(".", " ").strip()
    return f"{head_words}: {tail_words}" if tail_words else head_words


def area_label(area: str) -> str:
    """An area of action codes in words: "job_application" -> "Job application", "dbs" -> "DBS"."""
    return AREA_LABELS.get(area) or area.replace("_", " ").strip().capitalize() or "Action"


def action_filter_choices() -> list[tuple[str, str]]:
    """Choices for the audit log's action filter: each area (matches every code in it), then its actions."""
    by_area: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, sentence in SENTENCES.items():
        by_area[code.partition(".")[0]].append((code, sentence))
    choices = [("", "All actions")]
    for area in sorted(by_area, key=area_label):
        choices.append((f"{area}.", f"{area_label(area)}: all actions"))
        choices.extend(sorted(by_area[area], key=lambda choice: choice[1]))
    return choices


def action_sentence(code: str) -> str:
    """The sentence for an action code, or a readable form of the code."""
    return SENTENCES.get(code) or readable_code(code)


def _is_identifier(value: Any) -> bool:
    if isinstance(value, str):
        return bool(UUID_PATTERN.match(value))
    if isinstance(value, list | tuple):
        return bool(value) and all(_is_identifier(item) for item in value)
    return False


def _words(value: Any) -> str:
    """A data value as words: codes lose their underscores, ISO dates read as dates, lists are joined."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(part for part in (_words(item) for item in value) if part)
    if isinstance(value, dict):
        return "; ".join(
            f"{_label(key)}: {_words(item)}" for key, item in sorted(value.items()) if not _is_identifier(item)
        )
    text = str(value)
    if text == MASK:
        return text
    try:
        if len(text) == 10:
            return date_format(dt.date.fromisoformat(text), "j M Y")
        if "T" in text and len(text) >= 16:
            return date_format(dt.datetime.fromisoformat(text), "j M Y H:i")
    except ValueError:
        pass
    if CODE_PATTERN.match(text):
        return text.replace("_", " ")
    return text


def _label(key: str) -> str:
    return KEY_LABELS.get(key, key.replace("_", " ").capitalize())


def entry_details(data: dict[str, Any], *, user_names: dict[str, str], skip: Iterable[str] = ()) -> list[str]:
    """The entry's data as short lines, without identifiers; a "from"/"to" pair reads as one change."""
    skipped = set(skip) | HIDDEN_KEYS
    details: list[str] = []
    if "from" in data and "to" in data and "from" not in skipped and not _is_identifier(data["to"]):
        before, after = _words(data["from"]), _words(data["to"])
        if before and after:
            details.append(f"Changed from {before} to {after}")
        elif after:
            details.append(f"Changed to {after}")
        skipped |= {"from", "to"}
    # Sorted by key: PostgreSQL's jsonb keeps keys in its own order (shortest first), SQLite in the written one.
    for key, value in sorted(data.items()):
        if key in skipped:
            continue
        if key == "account" and isinstance(value, str) and value in user_names:
            details.append(f"{_label(key)}: {user_names[value]}")
            continue
        if _is_identifier(value):
            continue
        words = _words(value)
        if words:
            details.append(f"{_label(key)}: {words}")
    return details


def _user_names(entries: Sequence[AuditEntry]) -> dict[str, str]:
    """Names of the accounts named in the entries' data (one query, none if there are none)."""
    ids = {str(entry.data.get("account")) for entry in entries if _is_identifier(entry.data.get("account"))}
    if not ids:
        return {}
    return {str(user.public_id): user.get_full_name() for user in User.objects.filter(public_id__in=ids)}


def _linked_objects(entries: Sequence[AuditEntry]) -> dict[tuple[int, str], Model]:
    """The objects the entries are about that still exist and have a page (one query per kind)."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.content_type_id is not None and entry.object_id:
            wanted[entry.content_type_id].add(entry.object_id)
    found: dict[tuple[int, str], Model] = {}
    for entry in entries:
        if entry.content_type_id not in wanted:
            continue
        model = entry.content_type.model_class() if entry.content_type is not None else None
        ids = wanted.pop(entry.content_type_id)
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        pks = [pk for pk in ids if pk.isdigit()] if model._meta.pk.get_internal_type().endswith("AutoField") else ids
        for obj in model._default_manager.filter(pk__in=pks):
            found[(entry.content_type_id, str(obj.pk))] = obj
    return found


def _describers() -> list[Callable[[Sequence[AuditEntry]], dict[int, str]]]:
    return app_hooks("audit_words", "describe")  # type: ignore[return-value]


def audit_lines(entries: Iterable[AuditEntry], *, link_objects: bool = True) -> list[AuditLine]:
    """The entries in words (content types and actors should be joined; see the module's query contract)."""
    entries = list(entries)
    overrides: dict[int, str] = {}
    for describe in _describers():
        overrides.update(describe(entries))
    user_names = _user_names(entries)
    objects = _linked_objects(entries) if link_objects else {}
    lines = []
    for entry in entries:
        sentence = overrides.get(entry.pk, action_sentence(entry.action))
        skip = ("from", "to", "stage") if entry.pk in overrides else ()
        label, url = "", ""
        if link_objects and entry.content_type_id is not None:
            kind = entry.content_type.name.capitalize() if entry.content_type is not None else ""
            label = f"{kind}: {entry.object_repr}" if entry.object_repr else kind
            obj = objects.get((entry.content_type_id, entry.object_id))
            url = obj.get_absolute_url() if obj is not None else ""  # type: ignore[attr-defined]
        actor_name = entry.actor.get_full_name() if entry.actor is not None else (entry.actor_label or "System")
        if actor_name == "system":
            actor_name = "System"
        lines.append(
            AuditLine(
                entry=entry,
                sentence=sentence,
                details=entry_details(entry.data or {}, user_names=user_names, skip=skip),
                actor_name=actor_name,
                object_label=label,
                object_url=url,
            )
        )
    return lines
