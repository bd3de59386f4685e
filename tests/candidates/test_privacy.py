"""My data: export (JSON and HTML), requests to delete, and anonymisation that keeps the figures."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.models import AuditEntry, User
from candidates.models import (
    ActionPlanItem,
    ActionPlanReview,
    Candidate,
    CandidateBarrier,
    Consent,
    ConsentKind,
    ContactLog,
    DataRequest,
    Document,
    EqualityMonitoring,
    PipelineStage,
    SelectionEvent,
    SelectionResult,
    StageChange,
)
from candidates.selectors.learner import data_request_due_by, learner_data_export, learner_data_sections
from candidates.services.consent import consent_record
from candidates.services.equality import equality_save
from candidates.services.pipeline import candidate_move_stage
from candidates.services.privacy import (
    anonymous_email,
    candidate_anonymise,
    data_request_complete,
    data_request_create,
)
from candidates.services.records import candidate_set_barriers
from tests.candidates.factories_learner import make_document
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

# The record with its account, its audit entries and the look-up of records merged into it (3);
# one query per section the apps declare (<app>/privacy.py: 17 in candidates, 8 in courses, 9 in
# placements, 1 in reporting; a section with nothing to show asks once); the screening questions behind
# the answers (1).
EXPORT_QUERIES = 3 + 17 + 8 + 9 + 1 + 1


@pytest.fixture
def full_record(candidate: Candidate, learner: User, staff: User) -> Candidate:
    """The learner's record with something in every part of it."""
    candidate.owner = staff
    candidate.work_coach_name = "Sam Patel"
    candidate.employment_status = "unemployed"
    candidate.highest_qualification = "level_2"
    candidate.interests = ["home_care"]
    candidate.date_of_birth = date(1970, 5, 1)
    candidate.save()
    candidate_set_barriers(candidate=candidate, actor=learner, barriers={"transport": "Bus pass"})
    equality_save(candidate=candidate, actor=learner, answers={"sex": "female", "ethnicity": "white_irish"})
    consent_record(candidate=candidate, actor=learner, kind=ConsentKind.CONTACT_EMAIL, granted=True)
    consent_record(candidate=candidate, actor=learner, kind=ConsentKind.CONTACT_EMAIL, granted=False)
    make_document(candidate, learner, name="Lena CV.pdf")
    candidate_move_stage(
        candidate=candidate, actor=staff, stage=PipelineStage.objects.get(slug="screening"), note="Keen, call Tuesday"
    )
    ContactLog.objects.create(
        candidate=candidate,
        kind=ContactLog.Kind.CALL,
        summary="Talked about childcare for her son",
        follow_up_on=timezone.localdate() + timedelta(days=2),
        created_by=staff,
    )
    event = SelectionEvent.objects.create(title="March selection day", held_on=date(2026, 3, 2))
    SelectionResult.objects.create(
        event=event, candidate=candidate, values_score=8, outcome="accepted", feedback="Warm with residents"
    )
    ActionPlanItem.objects.create(candidate=candidate, goal="Get a job in care", action="Update CV", owner="Lena")
    ActionPlanReview.objects.create(candidate=candidate, review_on=date(2026, 4, 1), notes="Going well")
    return candidate


# --- export -----------------------------------------------------------------------------------


def test_export_holds_everything_about_the_learner(full_record: Candidate, staff: User) -> None:
    data = learner_data_export(full_record)
    assert data["account"]["email"] == "learner@example.org"
    assert data["profile"]["first_name"] == "Lena"
    assert data["profile"]["work_coach_name"] == "Sam Patel"
    assert data["profile"]["employment_status"] == "Unemployed and looking for work"  # labels, not codes
    assert data["profile"]["interests"] == ["Home care"]
    assert data["pipeline"]["current_stage"] == "Screening"
    assert data["pipeline"]["academy_contact"] == staff.get_full_name()
    assert [s["to_stage"] for s in data["stage_history"]] == ["Enquiry", "Screening"]
    assert data["stage_history"][1]["note"] == "Keen, call Tuesday"
    assert data["barriers_and_support"] == [{"barrier": "Transport", "what_would_help": "Bus pass"}]
    assert data["equality_monitoring"]["sex"] == "Female"
    assert data["equality_monitoring"]["age_band"]
    assert [c["given"] for c in data["consents"]] == [True, False]
    assert data["consents"][0]["recorded_by"] == "You"
    assert data["documents"][0]["name"] == "Lena CV.pdf"
    assert data["contacts_and_notes"][0]["summary"] == "Talked about childcare for her son"  # staff notes too
    assert data["selection_results"][0]["feedback"] == "Warm with residents"
    assert data["action_plan"][0]["action"] == "Update CV"
    assert data["action_plan_reviews"][0]["notes"] == "Going well"
    assert "candidate.stage" in [e["what_happened"] for e in data["record_history"]]


def test_export_has_a_fixed_number_of_queries(full_record: Candidate, staff: User, django_assert_num_queries) -> None:
    with django_assert_num_queries(EXPORT_QUERIES):
        learner_data_export(full_record)
    for _ in range(5):
        make_document(full_record, staff)
        ContactLog.objects.create(candidate=full_record, kind=ContactLog.Kind.NOTE, summary="More", created_by=staff)
    with django_assert_num_queries(EXPORT_QUERIES):
        learner_data_export(full_record)


def test_export_of_another_record_is_its_own(full_record: Candidate, other_candidate: Candidate) -> None:
    data = learner_data_export(other_candidate)
    assert data["profile"]["first_name"] == "Omar"
    assert data["equality_monitoring"] is None and data["documents"] == [] and data["contacts_and_notes"] == []


def test_json_download(full_record: Candidate, learner: User, client_for: Callable[[str], Client]) -> None:
    response = client_for("learner").get(reverse("candidates:my-data-json"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["profile"]["last_name"] == "Learner"
    assert data["contacts_and_notes"][0]["summary"] == "Talked about childcare for her son"
    assert AuditEntry.objects.filter(action="candidate.data_export", actor=learner, data={"format": "json"}).exists()


def test_html_download_shows_the_same_data(full_record: Candidate, client_for: Callable[[str], Client]) -> None:
    response = client_for("learner").get(reverse("candidates:my-data-html"))
    page = response.content.decode()
    for text in ("Sam Patel", "Talked about childcare for her son", "Lena CV.pdf", "Warm with residents", "Female"):
        assert text in page
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="candidate.data_export", data={"format": "html"}).exists()


def test_sections_cover_every_part_of_the_export(full_record: Candidate) -> None:
    export = learner_data_export(full_record)
    sections = learner_data_sections(export)
    assert [s.key for s in sections] == [key for key in export if key != "earlier_records"]
    profile = next(s for s in sections if s.key == "profile")
    assert ("Date of birth", "1 May 1970") in profile.rows
    assert ("How you heard about us", "Jobcentre Plus") in profile.rows


def test_my_data_page_links_downloads_and_deletion(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    page = client_for("learner").get(reverse("candidates:my-data")).content.decode()
    for name in ("candidates:my-data-json", "candidates:my-data-html", "candidates:erasure-request"):
        assert reverse(name) in page


# --- asking for deletion ----------------------------------------------------------------------


def test_erasure_request_page_explains_then_post_opens_one(
    candidate: Candidate, client_for: Callable[[str], Client], django_capture_on_commit_callbacks
) -> None:
    client = client_for("learner")
    url = reverse("candidates:erasure-request")
    page = client.get(url).content.decode()
    assert "What happens next" in page and "What we keep" in page and "cannot be undone" in page
    assert not DataRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Moving abroad"})
    assert response["Location"] == reverse("candidates:my-data")
    request = DataRequest.objects.get(candidate=candidate)
    assert (request.status, request.reason) == (DataRequest.Status.OPEN, "Moving abroad")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [candidate.email]
    assert "within one month" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="datarequest.create").exists()

    page = client.get(reverse("candidates:my-data")).content.decode()
    assert "You asked us to delete your data on" in page


def test_only_one_open_request(candidate: Candidate, learner: User, client_for: Callable[[str], Client]) -> None:
    data_request_create(candidate=candidate, actor=learner)
    with pytest.raises(ValidationError, match="already asked"):
        data_request_create(candidate=candidate, actor=learner)
    client = client_for("learner")
    page = client.get(reverse("candidates:erasure-request")).content.decode()
    assert "You already asked us to delete your data" in page and "Ask us to delete my data</button>" not in page
    response = client.post(reverse("candidates:erasure-request"), {"reason": "again"}, follow=True)
    assert "You already asked us to delete your data" in response.content.decode()
    assert DataRequest.objects.count() == 1


def test_a_new_request_after_one_was_dealt_with(candidate: Candidate, learner: User) -> None:
    first = data_request_create(candidate=candidate, actor=learner)
    DataRequest.objects.filter(pk=first.pk).update(status=DataRequest.Status.REJECTED)
    assert data_request_create(candidate=candidate, actor=learner).status == DataRequest.Status.OPEN


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        (date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2026, 12, 5), date(2027, 1, 5)),
    ],
)
def test_reply_is_due_within_a_calendar_month(candidate: Candidate, requested: date, due: date) -> None:
    request = DataRequest(candidate=candidate, requested_at=timezone.make_aware(datetime.combine(requested, time(12))))
    assert data_request_due_by(request) == due


# --- anonymisation ----------------------------------------------------------------------------


def test_anonymise_removes_personal_data_and_keeps_the_figures(
    full_record: Candidate, learner: User, staff: User, django_capture_on_commit_callbacks
) -> None:
    candidate = full_record
    history_before = list(StageChange.objects.filter(candidate=candidate).values_list("to_stage__slug", "changed_at"))
    created, source, stage = candidate.created_at, candidate.source, candidate.stage_id
    file_path = Path(Document.objects.get(candidate=candidate).file.path)
    old_email = learner.email

    with time_machine.travel(candidate.created_at), django_capture_on_commit_callbacks(execute=True):
        candidate_anonymise(candidate=candidate, actor=staff)

    candidate.refresh_from_db()
    # Who they are: gone.
    assert candidate.full_name == "Anonymised learner"
    for name in ("email", "phone", "phone_key", "postcode", "work_coach_name", "availability", "right_to_work"):
        assert getattr(candidate, name) == "", name
    assert candidate.date_of_birth is None and candidate.interests == [] and candidate.user is None
    assert candidate.anonymised_at is not None
    assert not EqualityMonitoring.objects.filter(candidate=candidate).exists()
    assert not CandidateBarrier.objects.filter(candidate=candidate).exists()
    assert not Consent.objects.filter(candidate=candidate).exists()
    assert not Document.objects.filter(candidate=candidate).exists() and not file_path.exists()
    contact = ContactLog.objects.get(candidate=candidate)
    assert "childcare" not in contact.summary and contact.follow_up_on is None
    assert SelectionResult.objects.get(candidate=candidate).feedback == ""
    assert ActionPlanItem.objects.get(candidate=candidate).action != "Update CV"
    assert ActionPlanReview.objects.get(candidate=candidate).notes == ""
    assert not StageChange.objects.filter(candidate=candidate).exclude(note="").exists()
    # What the figures need: kept.
    assert (candidate.created_at, candidate.source, candidate.stage_id) == (created, source, stage)
    assert candidate.employment_status == "unemployed" and candidate.highest_qualification == "level_2"
    assert candidate.age_band_at_registration == "50_64"
    after = list(StageChange.objects.filter(candidate=candidate).values_list("to_stage__slug", "changed_at"))
    assert after == history_before
    assert SelectionResult.objects.get(candidate=candidate).values_score == 8
    # The account: closed, unlinked, no trace of the email.
    learner.refresh_from_db()
    assert not learner.is_active and not learner.has_usable_password()
    assert learner.email == anonymous_email(candidate) and learner.full_name == ""
    assert not EmailAddress.objects.filter(user=learner).exists()
    # The audit log keeps what happened, but not their name or email.
    assert not AuditEntry.objects.filter(object_repr__icontains="Lena").exists()
    assert not AuditEntry.objects.filter(actor_label=old_email).exists()
    assert AuditEntry.objects.filter(action="candidate.anonymise", actor=staff).exists()


def test_anonymised_learner_cannot_sign_in(full_record: Candidate, staff: User, client_for) -> None:
    client = client_for("learner")
    candidate_anonymise(candidate=full_record, actor=staff)
    assert client.get(reverse("candidates:profile")).status_code == 302


def test_anonymise_twice_is_refused(walk_in: Candidate, staff: User) -> None:
    candidate_anonymise(candidate=walk_in, actor=staff)
    with pytest.raises(ValidationError, match="already been anonymised"):
        candidate_anonymise(candidate=walk_in, actor=staff)


def test_anonymise_a_record_without_an_account(walk_in: Candidate, staff: User) -> None:
    candidate_anonymise(candidate=walk_in, actor=staff)
    walk_in.refresh_from_db()
    assert walk_in.email == "" and walk_in.anonymised_at


def test_anonymise_leaves_other_records_alone(full_record: Candidate, other_candidate: Candidate, staff: User) -> None:
    audit_log(actor=staff, action="candidate.update", obj=other_candidate)
    make_document(other_candidate, staff)
    candidate_anonymise(candidate=full_record, actor=staff)
    other_candidate.refresh_from_db()
    assert other_candidate.first_name == "Omar" and other_candidate.user is not None
    assert Document.objects.filter(candidate=other_candidate).exists()
    assert AuditEntry.objects.filter(object_repr="Omar Other").exists()


def test_completing_a_request_anonymises_and_emails_the_old_address(
    full_record: Candidate, learner: User, staff: User, django_capture_on_commit_callbacks
) -> None:
    data_request = data_request_create(candidate=full_record, actor=learner, reason="Please delete")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        data_request_complete(data_request=data_request, actor=staff, note="Checked by phone")
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert (data_request.resolved_by, data_request.resolution_note, data_request.reason) == (
        staff,
        "Checked by phone",
        "",
    )
    assert mail.outbox[0].to == ["learner@example.org"] and "deleted" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="already been dealt with"):
        data_request_complete(data_request=data_request, actor=staff)


# --- staff screens ----------------------------------------------------------------------------


def test_staff_complete_a_request_from_the_list(
    full_record: Candidate, learner: User, client_for: Callable[[str], Client]
) -> None:
    data_request = data_request_create(candidate=full_record, actor=learner, reason="Moving away")
    client = client_for("staff")
    listing = client.get(reverse("candidates:datarequest-list")).content.decode()
    url = reverse("candidates:datarequest-complete", kwargs={"public_id": data_request.public_id})
    assert "Lena Learner" in listing and url in listing
    assert "white_irish" not in listing and "Irish" not in listing  # no equality data on staff screens here

    confirm = client.get(url).content.decode()
    assert "What anonymising does" in confirm and "Moving away" in confirm and "govuk-button--warning" in confirm
    full_record.refresh_from_db()
    assert full_record.anonymised_at is None  # GET only asks

    response = client.post(url, {"note": ""})
    assert response["Location"] == reverse("candidates:datarequest-list")
    full_record.refresh_from_db()
    assert full_record.anonymised_at is not None
    assert "There are no open requests" in client.get(reverse("candidates:datarequest-list")).content.decode()
    completed = client.get(reverse("candidates:datarequest-list") + "?status=completed").content.decode()
    assert "Anonymised learner" in completed
    # A second POST is refused with a message, not an error page.
    again = client.post(url, {}, follow=True)
    assert "already been dealt with" in again.content.decode()


def test_overdue_requests_are_flagged(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    DataRequest.objects.create(candidate=candidate, requested_at=timezone.now() - timedelta(days=40))
    page = client_for("staff").get(reverse("candidates:datarequest-list")).content.decode()
    assert "Overdue" in page


def _add_requests(n: int) -> None:
    for _ in range(n):
        DataRequest.objects.create(candidate=CandidateFactory.create(), reason="Please delete")


@pytest.mark.parametrize("status", ["open", "all"])
def test_data_request_list_query_count_does_not_grow(
    status: str, staff: User, client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    client = client_for("staff")
    url = reverse("candidates:datarequest-list") + f"?status={status}"
    client.get(url)  # the first request of a staff session writes its idle expiry once
    _add_requests(2)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    _add_requests(20)
    with django_assert_num_queries(5):
        page = client.get(url).content.decode()
    assert page.count("Please delete") == 0 and "22 requests" in page


# --- records merged into this one are the same person -----------------------------------------


@pytest.fixture
def earlier_record(full_record: Candidate, learner: User) -> Candidate:
    """A duplicate record of the same learner, merged into their record, that kept its own answers."""
    earlier = CandidateFactory.create(first_name="Lena", last_name="Oldname", email="lena.old@example.org")
    equality_save(candidate=earlier, actor=learner, answers={"sex": "female"})
    make_document(earlier, learner, name="old-cv.pdf")
    Candidate.objects.filter(pk=earlier.pk).update(merged_into=full_record)
    earlier.refresh_from_db()
    return earlier


def test_export_includes_records_merged_into_this_one(full_record: Candidate, earlier_record: Candidate) -> None:
    export = learner_data_export(full_record)
    assert [r["profile"]["last_name"] for r in export["earlier_records"]] == ["Oldname"]
    assert export["earlier_records"][0]["documents"][0]["name"] == "old-cv.pdf"
    titles = [s.title for s in learner_data_sections(export)]
    assert "Earlier record 1: Your profile" in titles


def test_anonymise_covers_records_merged_into_this_one(
    full_record: Candidate, earlier_record: Candidate, staff: User
) -> None:
    candidate_anonymise(candidate=full_record, actor=staff)
    earlier_record.refresh_from_db()
    assert earlier_record.full_name == "Anonymised learner" and earlier_record.email == ""
    assert earlier_record.anonymised_at is not None and earlier_record.merged_into == full_record
    assert not EqualityMonitoring.objects.exists() and not Document.objects.exists()
    entry = AuditEntry.objects.get(action="candidate.anonymise")
    assert entry.data == {"earlier_records": 1, "accounts_closed": 1}
