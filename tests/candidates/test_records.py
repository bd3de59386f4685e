"""The staff view of one record: create with a duplicate warning, the record page, edit, equality answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import (
    Candidate,
    CandidateBarrier,
    Consent,
    ConsentKind,
    Document,
    EqualityMonitoring,
    PipelineStage,
    StageChange,
)
from candidates.services.pipeline import candidate_move_stage
from tests.candidates.factories_casework import (
    ActionPlanItemFactory,
    ContactLogFactory,
    SelectionEventFactory,
    SelectionResultFactory,
)
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

CREATE_URL = "/candidates/new/"


def html(response) -> str:
    return response.content.decode()


def detail_url(candidate: Candidate) -> str:
    return reverse("candidates:candidate-detail", kwargs={"public_id": candidate.public_id})


def create_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": "Priya",
        "last_name": "Patel",
        "email": "Priya.Patel@Example.org",
        "phone": "07700 900123",
        "postcode": "LS2 7EW",
        "date_of_birth_0": "4",
        "date_of_birth_1": "11",
        "date_of_birth_2": "1988",
        "source": "jobcentre",
        "right_to_work": "yes",
        "employment_status": "unemployed",
        "months_out_of_work": "14",
        "benefit_status": "universal_credit",
        "jobcentre_referral": "on",
        "work_coach_name": "Sam Coach",
        "highest_qualification": "level_2",
        "barriers": ["transport", "childcare"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


def test_url_names() -> None:
    assert reverse("candidates:candidate-create") == CREATE_URL
    assert reverse("candidates:caseload") == "/candidates/caseload/"


# --- create -------------------------------------------------------------------------------------


def test_create_form_defaults_the_owner_to_the_member_of_staff(staff_client: Client, staff: User) -> None:
    page = html(staff_client.get(CREATE_URL))
    assert "Add a candidate" in page
    assert re.search(rf'<option value="{staff.pk}" selected>', page)


def test_create_without_duplicates_saves_the_record_with_history(staff_client: Client, staff: User) -> None:
    response = staff_client.post(CREATE_URL, create_data(owner=str(staff.pk)))
    candidate = Candidate.objects.get(last_name="Patel")
    assert response.status_code == 302
    assert response["Location"] == detail_url(candidate)
    assert candidate.email == "priya.patel@example.org"
    assert candidate.phone_key == "07700900123"
    assert candidate.date_of_birth == date(1988, 11, 4)
    assert candidate.owner == staff
    assert candidate.user is None
    assert candidate.jobcentre_referral and candidate.work_coach_name == "Sam Coach"
    assert candidate.months_out_of_work == 14
    assert sorted(candidate.barriers.values_list("barrier", flat=True)) == ["childcare", "transport"]
    assert candidate.stage.slug == "enquiry"
    assert StageChange.objects.filter(candidate=candidate, changed_by=staff).count() == 1
    assert AuditEntry.objects.filter(action="candidate.create", object_id=str(candidate.pk), actor=staff).exists()


def test_create_warns_about_duplicates_then_creates_anyway(staff_client: Client, walk_in: Candidate) -> None:
    # Same email (in another case) as an existing record: warn, save nothing.
    response = staff_client.post(CREATE_URL, create_data(email="WENDY@example.org"))
    assert response.status_code == 200
    page = html(response)
    assert "1 existing record may be the same person" in page
    assert walk_in.get_absolute_url() in page
    assert "same email" in page
    assert 'name="create_anyway"' in page
    assert f'name="acknowledged" value="{walk_in.public_id}"' in page
    assert Candidate.objects.count() == 1

    # Ticking "create anyway" for the records listed creates the new record.
    response = staff_client.post(
        CREATE_URL,
        create_data(email="wendy@example.org", create_anyway="on", acknowledged=str(walk_in.public_id)),
    )
    assert response.status_code == 302
    assert Candidate.objects.count() == 2


def test_create_anyway_does_not_cover_a_duplicate_the_warning_did_not_list(
    staff_client: Client, walk_in: Candidate
) -> None:
    other = CandidateFactory.create(phone="07700 900123")
    response = staff_client.post(
        CREATE_URL,
        create_data(email="wendy@example.org", create_anyway="on", acknowledged=str(walk_in.public_id)),
    )
    assert response.status_code == 200
    page = html(response)
    assert "2 existing records may be the same person" in page
    assert other.get_absolute_url() in page
    assert Candidate.objects.count() == 2


def test_create_form_errors_name_the_field(staff_client: Client) -> None:
    response = staff_client.post(
        CREATE_URL,
        create_data(first_name="", date_of_birth_0="31", date_of_birth_1="2", jobcentre_referral=""),
    )
    page = html(response)
    assert "<title>Error: Add a candidate" in page
    assert "Enter first name" in page and "This field is required." not in page  # each field says what to do
    assert "Date of birth must be a real date" in page
    assert "Only give a work coach&#x27;s name if Jobcentre Plus referred them" in page
    assert not Candidate.objects.exists()


def test_create_rejects_a_date_of_birth_in_the_future(staff_client: Client) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = staff_client.post(
        CREATE_URL,
        create_data(
            date_of_birth_0=str(tomorrow.day), date_of_birth_1=str(tomorrow.month), date_of_birth_2=str(tomorrow.year)
        ),
    )
    assert "Date of birth must be in the past" in html(response)


# --- record page --------------------------------------------------------------------------------


def test_record_page_shows_the_casework(staff_client: Client, staff: User, walk_in: Candidate) -> None:
    today = timezone.localdate()
    CandidateBarrier.objects.create(candidate=walk_in, barrier="transport", support_needed="Bus pass for 4 weeks")
    candidate_move_stage(candidate=walk_in, actor=staff, stage=PipelineStage.objects.get(slug="screening"))
    ContactLogFactory.create(
        candidate=walk_in, summary="Left a voicemail", follow_up_on=today - timedelta(days=2), created_by=staff
    )
    ActionPlanItemFactory.create(candidate=walk_in, due_on=today - timedelta(days=1))
    SelectionResultFactory.create(candidate=walk_in, event__title="March selection day", outcome="accepted")
    page = html(staff_client.get(detail_url(walk_in)))
    assert "Wendy Walkin" in page
    assert "wendy@example.org" in page
    assert "Bus pass for 4 weeks" in page
    assert "Screening" in page and "(new record)" in page
    assert staff.get_full_name() in page
    assert "Left a voicemail" in page
    assert "Overdue" in page
    assert "1 overdue" in page  # the action plan summary
    assert "March selection day" in page
    assert reverse("candidates:contact-create", kwargs={"public_id": walk_in.public_id}) in page
    assert reverse("candidates:candidate-stage", kwargs={"public_id": walk_in.public_id}) in page
    assert reverse("candidates:action-plan", kwargs={"public_id": walk_in.public_id}) in page
    assert 'id="history"' in page


def test_record_page_never_shows_equality_answers(staff_client: Client, walk_in: Candidate) -> None:
    EqualityMonitoring.objects.create(candidate=walk_in, sex="female", ethnicity="black_african", religion="muslim")
    page = html(staff_client.get(detail_url(walk_in)))
    for answer in ("Black, Black British", "Muslim", "Female"):
        assert answer not in page
    assert "View equality monitoring answers" in page
    assert reverse("candidates:candidate-equality", kwargs={"public_id": walk_in.public_id}) in page
    assert not AuditEntry.objects.filter(action="equality.view").exists()


def test_record_page_links_possible_duplicates_to_the_merge_page(staff_client: Client, walk_in: Candidate) -> None:
    twin = CandidateFactory.create(email="wendy@example.org")
    page = html(staff_client.get(detail_url(walk_in)))
    assert twin.get_absolute_url() in page
    merge = reverse("candidates:candidate-merge", kwargs={"public_id": walk_in.public_id, "other_id": twin.public_id})
    assert merge in page


def test_learner_gets_403_on_the_staff_page_of_their_own_record(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    # Their own record is in their scope, so it is "not allowed" (403) rather than "not there" (404).
    assert client_for("learner").get(detail_url(candidate)).status_code == 403


def _add_related_rows(candidate: Candidate, staff: User, n: int) -> None:
    stages = list(PipelineStage.objects.filter(is_closed=False).order_by("position"))
    for i in range(n):
        ContactLogFactory.create(candidate=candidate, follow_up_on=timezone.localdate(), created_by=staff)
        candidate_move_stage(candidate=candidate, actor=staff, stage=stages[(i + 1) % len(stages)])
        Document.objects.create(
            candidate=candidate, kind="cv", file=f"x/{i}", original_name=f"cv{i}.pdf", content_type="a", size=1
        )
        ActionPlanItemFactory.create(candidate=candidate)
        SelectionResultFactory.create(candidate=candidate, event=SelectionEventFactory.create())
        Consent.objects.create(candidate=candidate, kind=ConsentKind.CONTACT_EMAIL, granted=bool(i % 2))
        CandidateFactory.create(phone=candidate.phone)  # a possible duplicate
    codes = ["transport", "childcare", "interview_clothes", "lunch", "digital"]
    CandidateBarrier.objects.bulk_create(
        [CandidateBarrier(candidate=candidate, barrier=code) for code in codes[: min(n, len(codes))]],
        ignore_conflicts=True,
    )


def test_record_page_query_count_does_not_grow_with_related_rows(
    staff_client: Client, staff: User, walk_in: Candidate, django_assert_num_queries, courses_record_hooks_only: None
) -> None:
    url = detail_url(walk_in)
    staff_client.get(url)  # the first request of a staff session writes its idle expiry once
    _add_related_rows(walk_in, staff, 2)
    # 21: the DBS section reads the person's checks in one query, the timeline the moves a workflow
    # could not make in one; courses/record.py adds three (no applications, enrolments or payments
    # here: tests/courses/test_record.py pins them with rows); the funding streams section two
    # (attributions, streams; a third prefetches rules once a stream exists: test_stream_attribution);
    # the history panel names the stages of the moves in its entries in one (academy.audit_words).
    with django_assert_num_queries(22):
        assert staff_client.get(url).status_code == 200
    _add_related_rows(walk_in, staff, 18)
    with django_assert_num_queries(22):
        assert staff_client.get(url).status_code == 200


# --- edit ---------------------------------------------------------------------------------------


def test_edit_records_changed_fields_and_keeps_barrier_support(
    staff_client: Client, staff: User, walk_in: Candidate
) -> None:
    CandidateBarrier.objects.create(candidate=walk_in, barrier="transport", support_needed="Bus pass")
    url = reverse("candidates:candidate-update", kwargs={"public_id": walk_in.public_id})
    page = html(staff_client.get(url))
    assert 'value="Wendy"' in page
    dob = walk_in.date_of_birth
    assert dob is not None
    data = create_data(
        first_name="Wendy",
        last_name="Walkin",
        email="wendy@example.org",
        phone=walk_in.phone,
        postcode="PL1 2AB",
        date_of_birth_0=str(dob.day),
        date_of_birth_1=str(dob.month),
        date_of_birth_2=str(dob.year),
        owner=str(staff.pk),
        barriers=["transport", "digital"],
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    walk_in.refresh_from_db()
    assert walk_in.postcode == "PL1 2AB"
    assert walk_in.owner == staff
    update = AuditEntry.objects.get(action="candidate.update", object_id=str(walk_in.pk))
    assert "postcode" in update.data["changed"]
    assert "first_name" not in update.data["changed"]
    assert dict(walk_in.barriers.values_list("barrier", "support_needed")) == {"transport": "Bus pass", "digital": ""}


# --- stage change -------------------------------------------------------------------------------


def stage_url(candidate: Candidate) -> str:
    return reverse("candidates:candidate-stage", kwargs={"public_id": candidate.public_id})


def test_closing_a_record_needs_a_reason(staff_client: Client, walk_in: Candidate) -> None:
    closed = PipelineStage.objects.get(slug="closed")
    response = staff_client.post(stage_url(walk_in), {"stage": closed.pk, "note": ""})
    page = html(response)
    assert response.status_code == 200
    assert "Choose why you are moving Wendy Walkin to Closed" in page
    assert 'href="#id_reason_1"' in page
    walk_in.refresh_from_db()
    assert walk_in.stage.slug == "enquiry"


def test_stage_change_writes_history_with_who_when_and_reason(
    staff_client: Client, staff: User, walk_in: Candidate
) -> None:
    closed = PipelineStage.objects.get(slug="closed")
    response = staff_client.post(stage_url(walk_in), {"stage": closed.pk, "reason": "withdrew", "note": "Moved job"})
    assert response.status_code == 302
    walk_in.refresh_from_db()
    assert walk_in.stage == closed
    assert walk_in.closed_reason == "withdrew"
    change = StageChange.objects.filter(candidate=walk_in).order_by("-changed_at", "-pk").first()
    assert change is not None and change.from_stage is not None
    assert (change.from_stage.slug, change.to_stage, change.changed_by, change.reason, change.note) == (
        "enquiry",
        closed,
        staff,
        "withdrew",
        "Moved job",
    )
    page = html(staff_client.get(detail_url(walk_in)))
    assert "Withdrew" in page and "Moved job" in page


def test_stage_form_refuses_the_current_stage(staff_client: Client, walk_in: Candidate) -> None:
    page = html(staff_client.post(stage_url(walk_in), {"stage": walk_in.stage_id}))
    assert "Wendy Walkin is already in Enquiry: choose another stage" in page


def test_time_in_stage_comes_from_when_the_stage_was_entered(
    staff_client: Client, staff: User, walk_in: Candidate, time_machine
) -> None:
    time_machine.move_to(timezone.now() - timedelta(days=10))
    candidate_move_stage(candidate=walk_in, actor=staff, stage=PipelineStage.objects.get(slug="screening"))
    time_machine.move_to(timezone.now() + timedelta(days=3))
    candidate_move_stage(candidate=walk_in, actor=staff, stage=PipelineStage.objects.get(slug="on_course"))
    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=1))
    page = html(staff_client.get(detail_url(walk_in)))
    assert "1\xa0week" in page  # seven days in "On course" so far
    assert "3\xa0days" in page  # the time spent in "Screening"


# --- equality answers ---------------------------------------------------------------------------


def equality_url(candidate: Candidate) -> str:
    return reverse("candidates:candidate-equality", kwargs={"public_id": candidate.public_id})


def test_equality_page_shows_answers_and_logs_each_view(staff_client: Client, staff: User, walk_in: Candidate) -> None:
    EqualityMonitoring.objects.create(candidate=walk_in, sex="female", ethnicity="black_african")
    for _ in range(2):
        response = staff_client.get(equality_url(walk_in))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = html(response)
    assert "Black, Black British, Caribbean or African: African" in page
    assert "Not answered" in page  # religion and the rest
    entries = AuditEntry.objects.filter(action="equality.view", object_id=str(walk_in.pk), actor=staff)
    assert entries.count() == 2


def test_equality_page_without_answers(staff_client: Client, walk_in: Candidate) -> None:
    page = html(staff_client.get(equality_url(walk_in)))
    assert "Wendy has not answered" in page


@pytest.mark.parametrize(("persona", "status"), [("provider_user", 404), ("learner", 403), ("other_learner", 404)])
def test_equality_page_is_not_for_learners_or_providers(
    persona: str, status: int, candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    EqualityMonitoring.objects.create(candidate=candidate, sex="female")
    assert client_for(persona).get(equality_url(candidate)).status_code == status
    assert not AuditEntry.objects.filter(action="equality.view").exists()


def test_edit_keeps_a_deactivated_owner(staff_client: Client, walk_in: Candidate) -> None:
    gone = User.objects.create_user("gone@example.org", role="staff", full_name="Gone Staff", is_active=False)
    walk_in.owner = gone
    walk_in.save(update_fields=["owner"])
    url = reverse("candidates:candidate-update", kwargs={"public_id": walk_in.public_id})
    page = html(staff_client.get(url))
    assert re.search(rf'<option value="{gone.pk}" selected>', page)
