"""The candidates app's tables that hold a person's data: how each merges, exports and is anonymised.

Collected with every other app's `<app>/privacy.py` by candidates.services.personal_data. The
record itself (profile and pipeline fields) is handled there; this lists the tables pointing at it.
Erasure deletes what is wholly personal and counts in no figure (equality answers, barriers,
consents, documents), blanks free text elsewhere and keeps codes, numbers and dates.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from academy.models import OutboxMessage, User
from academy.personal_data import (
    ExportSection,
    Moved,
    PersonalTable,
    clear,
    delete,
    keep,
    label,
    move_all,
    move_unless_taken,
    who,
)
from candidates.models import (
    AcademyTransfer,
    ActionPlanItem,
    ActionPlanReview,
    Candidate,
    CandidateBarrier,
    CandidateMessage,
    Consent,
    ContactLog,
    DataRequest,
    DbsCheck,
    DbsReminder,
    DbsShare,
    DbsStatusCheck,
    Document,
    EqualityMonitoring,
    EventEnquiry,
    SelectionResult,
    StageChange,
    StreamAttribution,
)
from candidates.selectors import dbs_export
from candidates.selectors.learner.export import age_band
from candidates.services.dbs_privacy import dbs_checks_anonymise, dbs_reminders_anonymise
from candidates.services.dbs_sharing import dbs_shares_revoke

REMOVED_TEXT = "Removed when the record was anonymised."


# --- merge rules with more to them than moving rows --------------------------------------------


def _merge_barriers(table: PersonalTable, survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
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


def _merge_data_requests(table: PersonalTable, survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """Deletion requests all move; two open ones are the same request, so the duplicate's is closed first."""
    if DataRequest.objects.filter(candidate=survivor, status=DataRequest.Status.OPEN).exists():
        DataRequest.objects.filter(candidate=duplicate, status=DataRequest.Status.OPEN).update(
            status=DataRequest.Status.REJECTED,
            resolved_at=timezone.now(),
            resolved_by=actor,
            resolution_note="Records merged: the open request on the kept record covers this one.",
        )
    return move_all(table, survivor, duplicate, actor)


def _merge_event_enquiries(table: PersonalTable, survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """One enquiry per person and event (the survivor's counts where both enquired at the same event); of the
    enquiries that each brought a record in, only the earliest stays the person's source."""
    moved = move_unless_taken("event")(table, survivor, duplicate, actor)
    sources = EventEnquiry.objects.filter(candidate=survivor, is_new_record=True).order_by("created_at", "pk")
    first = sources.values_list("pk", flat=True).first()
    if first is not None:
        sources.exclude(pk=first).update(is_new_record=False)
    return moved


def _repoint_merged_records(table: PersonalTable, survivor: Candidate, duplicate: Candidate, actor: User) -> Moved:
    """Records merged into the duplicate earlier now point at the survivor: merged_into is never a chain."""
    return Candidate.objects.filter(merged_into=duplicate).update(merged_into=survivor), 0


# --- anonymisation rules -----------------------------------------------------------------------


def _delete_documents(rows: QuerySet[Document]) -> None:
    documents = list(rows)
    files = [(d.file.storage, d.file.name) for d in documents if d.file.name]
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


def _stop_shares(rows: QuerySet[DbsShare]) -> None:
    dbs_shares_revoke(shares=rows, actor=None, reason="record anonymised")


# --- export ------------------------------------------------------------------------------------


def _academy_moves(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    moves = AcademyTransfer.objects.filter(candidate=c).select_related("from_academy", "to_academy", "changed_by")
    return [
        {
            "date": move.changed_at,
            "from_academy": move.from_academy.name,
            "to_academy": move.to_academy.name,
            "reason": move.reason,
            "changed_by": who(move.changed_by, you),
        }
        for move in moves
    ]


def _stage_history(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    changes = StageChange.objects.filter(candidate=c).select_related("from_stage", "to_stage", "changed_by")
    return [
        {
            "date": change.changed_at,
            "from_stage": change.from_stage.name if change.from_stage else "",
            "to_stage": change.to_stage.name,
            "reason": label(change, "reason"),
            "note": change.note,
            "changed_by": who(change.changed_by, you),
        }
        for change in changes.order_by("changed_at", "id")
    ]


def _barriers(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    return [
        {"barrier": b.get_barrier_display(), "what_would_help": b.support_needed}
        for b in CandidateBarrier.objects.filter(candidate=c)
    ]


def _equality(c: Candidate, you: User | None) -> dict[str, Any] | None:
    equality = EqualityMonitoring.objects.filter(candidate=c).first()
    if equality is None:
        return None
    return {
        "age_band": age_band(c),
        **{name: label(equality, name) for name in EqualityMonitoring.QUESTIONS},
        "last_updated": equality.updated_at,
    }


def _consents(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    consents = Consent.objects.filter(candidate=c).select_related("recorded_by").order_by("recorded_at", "id")
    return [
        {
            "date": consent.recorded_at,
            "consent": consent.get_kind_display(),
            "given": consent.granted,
            "months_to_keep_data": consent.retention_months,
            "recorded_by": who(consent.recorded_by, you),
        }
        for consent in consents
    ]


def _messages(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    rows = CandidateMessage.objects.filter(candidate=c).select_related("message").order_by("message__created_at")
    return [
        {
            "date": row.message.created_at,
            "by": row.message.get_channel_display(),
            "about": row.message.subject,
            "status": row.message.get_status_display(),
        }
        for row in rows
    ]


def _delete_messages(rows: QuerySet[Any]) -> object:
    """The messages themselves go (addresses and wording of any not yet sent), and the links with them."""
    return OutboxMessage.objects.filter(pk__in=rows.values("message_id")).delete()


def _documents(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    documents = Document.objects.filter(candidate=c).select_related("uploaded_by").order_by("uploaded_at")
    return [
        {
            "name": doc.original_name,
            "kind": doc.get_kind_display(),
            "file_type": doc.content_type,
            "size_bytes": doc.size,
            "uploaded": doc.uploaded_at,
            "uploaded_by": who(doc.uploaded_by, you),
        }
        for doc in documents
    ]


def _contacts(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    contacts = ContactLog.objects.filter(candidate=c).select_related("created_by").order_by("occurred_at")
    return [
        {
            "date": contact.occurred_at,
            "kind": contact.get_kind_display(),
            "summary": contact.summary,
            "follow_up_on": contact.follow_up_on,
            "follow_up_done": contact.follow_up_done_at,
            "recorded_by": who(contact.created_by, you),
        }
        for contact in contacts
    ]


def _selection_results(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    results = SelectionResult.objects.filter(candidate=c).select_related("event").order_by("event__held_on", "id")
    return [
        {
            "event": result.event.title,
            "date": result.event.held_on,
            "values_score": result.values_score,
            "literacy_level": label(result, "literacy_level"),
            "numeracy_level": label(result, "numeracy_level"),
            "interview": label(result, "interview"),
            "outcome": label(result, "outcome"),
            "referred_to": label(result, "referred_to"),
            "follow_up_on": result.follow_up_on,
            "feedback": result.feedback,
        }
        for result in results
    ]


def _event_enquiries(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    enquiries = EventEnquiry.objects.filter(candidate=c).select_related("event").order_by("event__held_on", "id")
    return [
        {
            "event": enquiry.event.title,
            "date": enquiry.event.held_on,
            "place": enquiry.event.place,
            "how": label(enquiry, "channel"),
            "agreed_to_be_contacted": enquiry.contact_consent,
            "what_you_asked_about": enquiry.note,
        }
        for enquiry in enquiries
    ]


def _action_plan(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    return [
        {"goal": item.goal, "action": item.action, "who": item.owner, "due": item.due_on, "done": item.done_at}
        for item in ActionPlanItem.objects.filter(candidate=c)
    ]


def _action_reviews(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    return [
        {
            "review_date": review.review_on,
            "notes": review.notes,
            "reviewed": review.reviewed_at,
            "reviewed_by": who(review.reviewed_by, you),
        }
        for review in ActionPlanReview.objects.filter(candidate=c).select_related("reviewed_by")
    ]


def _data_requests(c: Candidate, you: User | None) -> list[dict[str, Any]]:
    return [
        {
            "requested": request.requested_at,
            "status": request.get_status_display(),
            "your_reason": request.reason,
            "dealt_with": request.resolved_at,
        }
        for request in DataRequest.objects.filter(candidate=c).order_by("requested_at")
    ]


def _stream_attributions(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    rows = StreamAttribution.objects.filter(candidate=candidate).select_related("stream").order_by("attributed_on")
    return [
        {"funding_stream": a.stream.name, "funder": a.stream.funder, "counts_from": a.attributed_on, "why": a.reason}
        for a in rows
    ]


PERSONAL_TABLES = [
    PersonalTable(
        model=StageChange,
        person="candidate",
        label="Stage changes",
        merge=move_all,
        anonymise=clear(note=""),
        export=(ExportSection("stage_history", "Your progress through the academy", _stage_history),),
    ),
    PersonalTable(
        model=AcademyTransfer,
        person="candidate",
        label="Moves between academies",
        merge=move_all,
        # Which academy a person was with keeps each academy's figures right after erasure.
        anonymise=clear(reason=""),
        export=(ExportSection("academy_moves", "Moves between academies", _academy_moves),),
    ),
    PersonalTable(
        model=CandidateBarrier,
        person="candidate",
        label="Barriers",
        merge=_merge_barriers,
        anonymise=delete,
        export=(ExportSection("barriers_and_support", "Barriers and support", _barriers),),
    ),
    PersonalTable(
        model=EqualityMonitoring,
        person="candidate",
        label="Equality monitoring answers",
        # One set of answers: the survivor's if it has them, else the duplicate's move over.
        merge=move_unless_taken(),
        anonymise=delete,
        export=(ExportSection("equality_monitoring", "Equality monitoring answers", _equality),),
    ),
    PersonalTable(
        model=Consent,
        person="candidate",
        label="Consent records",
        merge=move_all,
        anonymise=delete,
        export=(ExportSection("consents", "What you agreed to (consent history)", _consents),),
    ),
    PersonalTable(
        model=CandidateMessage,
        person="candidate",
        label="Messages sent",
        merge=move_all,
        anonymise=_delete_messages,
        export=(ExportSection("messages", "Emails and text messages we sent you", _messages),),
    ),
    PersonalTable(
        model=Document,
        person="candidate",
        label="Documents",
        merge=move_all,
        anonymise=_delete_documents,
        export=(ExportSection("documents", "Your documents", _documents),),
    ),
    PersonalTable(
        model=ContactLog,
        person="candidate",
        label="Contacts and notes",
        merge=move_all,
        anonymise=clear(summary=REMOVED_TEXT, follow_up_on=None),
        export=(ExportSection("contacts_and_notes", "Contacts and notes by academy staff", _contacts),),
    ),
    PersonalTable(
        model=SelectionResult,
        person="candidate",
        label="Selection event results",
        # One result per person per event: if both attended the same event, the survivor's counts.
        merge=move_unless_taken("event"),
        anonymise=clear(feedback="", follow_up_on=None),
        export=(ExportSection("selection_results", "Selection and screening results", _selection_results),),
    ),
    PersonalTable(
        model=ActionPlanItem,
        person="candidate",
        label="Action plan items",
        merge=move_all,
        anonymise=clear(goal=REMOVED_TEXT, action=REMOVED_TEXT, owner=""),
        export=(ExportSection("action_plan", "Your skills action plan", _action_plan),),
    ),
    PersonalTable(
        model=ActionPlanReview,
        person="candidate",
        label="Action plan reviews",
        merge=move_all,
        anonymise=clear(notes=""),
        export=(ExportSection("action_plan_reviews", "Action plan reviews", _action_reviews),),
    ),
    PersonalTable(
        model=DataRequest,
        person="candidate",
        label="Deletion requests",
        merge=_merge_data_requests,
        anonymise=clear(reason=""),
        export=(ExportSection("data_requests", "Requests to delete your data", _data_requests),),
    ),
    PersonalTable(
        model=DbsCheck,
        person="candidate",
        label="DBS checks",
        merge=move_all,
        anonymise=dbs_checks_anonymise,
        export=(ExportSection("dbs_checks", "Your DBS checks", dbs_export.learner_dbs_checks),),
    ),
    PersonalTable(
        model=DbsStatusCheck,
        person="dbs_check__candidate",
        label="DBS Update Service status checks",
        merge=None,
        anonymise=keep("Dates and results only, which the DBS figures count."),
        export=(
            ExportSection(
                "dbs_status_checks", "DBS Update Service status checks", dbs_export.learner_dbs_status_checks
            ),
        ),
    ),
    PersonalTable(
        model=DbsShare,
        person="dbs_check__candidate",
        label="DBS outcome shares",
        merge=None,
        anonymise=_stop_shares,
        export=(
            ExportSection(
                "dbs_sharing", "Care providers who could see your DBS outcome", dbs_export.learner_dbs_shares
            ),
        ),
    ),
    PersonalTable(
        model=DbsReminder,
        person="dbs_check__candidate",
        label="DBS reminders",
        merge=None,
        anonymise=dbs_reminders_anonymise,
        not_exported="The academy's own chasing schedule; each reminder reached the person as an email.",
    ),
    PersonalTable(
        model=Candidate,
        person="merged_into",
        label="Records merged into this one earlier",
        merge=_repoint_merged_records,
        anonymise=keep("Each is anonymised in full with the record it was merged into."),
        not_exported="Each is exported in full under the download's earlier records.",
    ),
    PersonalTable(
        model=StreamAttribution,
        person="candidate",
        label="Funding streams the person counts for",
        # Once per person and stream: where the survivor already counts for the stream, theirs stays.
        merge=move_unless_taken("stream"),
        anonymise=clear(reason=""),
        export=(ExportSection("funding_streams", "Funding streams you count for", _stream_attributions),),
    ),
    PersonalTable(
        model=EventEnquiry,
        person="candidate",
        label="Enquiries at outreach events",
        # Once per person and event; the earliest enquiry that created a record stays the person's source.
        merge=_merge_event_enquiries,
        anonymise=clear(note=""),
        export=(ExportSection("event_enquiries", "Events where you asked about the academy", _event_enquiries),),
    ),
]
