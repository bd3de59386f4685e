"""Who may see and change candidate records (see academy.permissions for the contract)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from academy.tenancy import academy_in_use_id
from candidates.models import (
    ActionPlanItem,
    Candidate,
    CandidateImport,
    CandidateQuerySet,
    ContactLog,
    DataRequest,
    DbsCheck,
    DbsShare,
    Document,
    OutreachEvent,
    PipelineStage,
    SelectionEvent,
    StreamAttribution,
)


def candidates_visible_to(user: User) -> CandidateQuerySet:
    """Academy staff may open every record once per person (anonymised ones too, from the links that
    lead to them; the lists show current ones only); a learner sees only their own current record.

    Providers see no candidate records here: they see applicants through placements, and only
    after the candidate applied to them or consented to a referral.
    """
    if is_academy_staff(user):
        return Candidate.objects.one_per_person().filter(academy_id=academy_in_use_id(user))
    if user.is_authenticated and user.is_learner:
        return Candidate.objects.current().filter(user=user)
    return Candidate.objects.none()


def can_work_on_candidates(user: User, obj: Any = None) -> bool:
    """Staff casework: lists, records, stages, contacts, action plans, imports, selection events."""
    return is_academy_staff(user)


def can_view_candidate(user: User, obj: Candidate | None = None) -> bool:
    """Staff and managers may open any record in their scope."""
    return is_academy_staff(user)


def can_view_equality(user: User, obj: Candidate | None = None) -> bool:
    """Equality answers are special category data: academy staff and managers only, every view logged."""
    return is_academy_staff(user)


def can_export_equality(user: User, obj: Any = None) -> bool:
    """CSV exports include equality data only for managers."""
    return is_manager(user)


def can_manage_stages(user: User, obj: Any = None) -> bool:
    """Managers configure the pipeline stages."""
    return is_manager(user)


def is_learner(user: User, obj: Any = None) -> bool:
    """Learner self-service pages."""
    return bool(user.is_authenticated and user.is_active and user.is_learner)


def contacts_visible_to(user: User) -> QuerySet[ContactLog]:
    """Contact log entries of the records the user can see."""
    return ContactLog.objects.filter(candidate__in=candidates_visible_to(user))


def action_items_visible_to(user: User) -> QuerySet[ActionPlanItem]:
    """Action plan items of the records the user can see."""
    return ActionPlanItem.objects.filter(candidate__in=candidates_visible_to(user))


def selection_events_visible_to(user: User) -> QuerySet[SelectionEvent]:
    """Screening and selection events are academy staff business only."""
    if not is_academy_staff(user):
        return SelectionEvent.objects.none()
    return SelectionEvent.objects.filter(academy_id=academy_in_use_id(user))


def stages_visible_to(user: User) -> QuerySet[PipelineStage]:
    """Academy staff see the pipeline's stages (managers change them, see can_manage_stages)."""
    return PipelineStage.objects.all() if is_academy_staff(user) else PipelineStage.objects.none()


# --- learner self-service: documents and data requests ---


def documents_visible_to(user: User) -> QuerySet[Document]:
    """Documents of the records the user can see: staff all, a learner their own, providers none (yet)."""
    return Document.objects.filter(candidate__in=candidates_visible_to(user))


def can_view_document(user: User, obj: Document | None = None) -> bool:
    """Whoever can see the record may download its documents (scoping decides whose)."""
    return bool(user.is_authenticated and user.is_active and (user.is_academy_staff or user.is_learner))


def can_delete_document(user: User, obj: Document | None = None) -> bool:
    """The owning learner or academy staff may delete a document."""
    return can_view_document(user, obj)


def can_upload_documents(user: User, obj: Candidate | None = None) -> bool:
    """Staff upload documents to any record; learners upload to their own on their documents page."""
    return is_academy_staff(user)


def data_requests_visible_to(user: User) -> QuerySet[DataRequest]:
    """Requests to delete data are handled by academy staff."""
    if not is_academy_staff(user):
        return DataRequest.objects.none()
    return DataRequest.objects.filter(candidate__academy_id=academy_in_use_id(user))


def can_manage_data_requests(user: User, obj: DataRequest | None = None) -> bool:
    """Academy staff list deletion requests and complete them by anonymising the record."""
    return is_academy_staff(user)


def candidate_imports_visible_to(user: User) -> QuerySet[CandidateImport]:
    """Academy staff see every CSV import of their academy (they share the work); nobody else sees any."""
    if not is_academy_staff(user):
        return CandidateImport.objects.none()
    return CandidateImport.objects.filter(academy_id=academy_in_use_id(user))


# --- DBS checks (views/dbs*.py) ---


def dbs_checks_visible_to(user: User) -> QuerySet[DbsCheck]:
    """Checks of the records the user can see: staff all current records', a learner their own.

    Learners read their own checks only through their progress page (dbs-my), so the staff pages
    answer them 403; providers have no records in scope (404) and see shared outcomes instead.
    """
    return DbsCheck.objects.filter(candidate__in=candidates_visible_to(user))


def can_work_on_dbs(user: User, obj: Any = None) -> bool:
    """Academy staff and managers record checks, their steps, the Update Service and sharing."""
    return is_academy_staff(user)


def can_view_dbs_check(user: User, obj: DbsCheck | None = None) -> bool:
    """A check's full details (certificate, disclosures) are for academy staff; every view is logged."""
    return is_academy_staff(user)


def can_manage_dbs_policy(user: User, obj: Any = None) -> bool:
    """Managers set the recheck interval, retention and chase thresholds."""
    return is_manager(user)


def dbs_shares_visible_to(user: User) -> QuerySet[DbsShare]:
    """Shares staff can stop: those of checks in their scope (staff only; providers read a list, not shares)."""
    if not is_academy_staff(user):
        return DbsShare.objects.none()
    return DbsShare.objects.filter(dbs_check__in=dbs_checks_visible_to(user))


def can_view_shared_dbs(user: User, obj: Any = None) -> bool:
    """Provider users see the outcomes of checks shared with their provider."""
    return bool(user.is_authenticated and user.is_active and user.is_provider_user)


def stream_attributions_visible_to(user: User) -> QuerySet[StreamAttribution]:
    """Who counts for which funding stream is academy business: staff and managers of the person's academy."""
    if not is_academy_staff(user):
        return StreamAttribution.objects.none()
    return StreamAttribution.objects.filter(candidate__academy_id=academy_in_use_id(user))


def can_attribute_to_streams(user: User, obj: Any = None) -> bool:
    """Staff and managers attribute people to funding streams (and undo a mistaken attribution)."""
    return is_academy_staff(user)


# --- outreach events (views/outreach.py) ---


def outreach_events_visible_to(user: User) -> QuerySet[OutreachEvent]:
    """Academy staff see their academy's outreach events with their enquiries and figures; nobody else does."""
    if not is_academy_staff(user):
        return OutreachEvent.objects.none()
    return OutreachEvent.objects.filter(academy_id=academy_in_use_id(user))


def can_work_on_outreach(user: User, obj: Any = None) -> bool:
    """Staff and managers plan events, add enquiries at them and read their figures."""
    return is_academy_staff(user)


def public_events_visible_to(user: User, *, today: date) -> QuerySet[OutreachEvent]:
    """Everyone, signed in or not, sees the public events from today on (what the public page lists)."""
    return OutreachEvent.objects.filter(is_public=True, held_on__gte=today)


def is_anyone(user: User, obj: Any = None) -> bool:
    """Public pages: visitors and every signed-in user."""
    return True
