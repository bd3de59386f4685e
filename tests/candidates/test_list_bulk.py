"""Bulk actions on candidates ticked in the staff list: services first, then the HTTP contract."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from academy.models import AuditEntry, Role, User
from candidates.models import Candidate, Consent, ConsentKind, ContactLog, PipelineStage, StageChange
from candidates.services import bulk
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

BULK_URL = "/candidates/bulk/"


def stage(slug: str) -> PipelineStage:
    return PipelineStage.objects.get(slug=slug)


def consent(candidate: Candidate, granted: bool, minutes_ago: int = 0) -> None:
    Consent.objects.create(
        candidate=candidate,
        kind=ConsentKind.CONTACT_EMAIL,
        granted=granted,
        recorded_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def flash(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


@pytest.fixture
def three() -> list[Candidate]:
    return [CandidateFactory.create(first_name=name) for name in ("Ada", "Bo", "Cy")]


def ids(candidates: list[Candidate]) -> list[str]:
    return [str(c.public_id) for c in candidates]


class TestMoveStageService:
    def test_moves_each_with_history_and_audit(self, staff: User, three: list[Candidate]) -> None:
        result = bulk.candidates_bulk_move_stage(candidates=three, actor=staff, stage=stage("screening"))
        assert result == bulk.BulkChangeResult(changed=3, unchanged=0)
        for candidate in three:
            candidate.refresh_from_db()
            assert candidate.stage.slug == "screening"
        assert StageChange.objects.filter(to_stage__slug="screening", changed_by=staff).count() == 3
        assert AuditEntry.objects.filter(action="candidate.stage").count() == 3
        summary = AuditEntry.objects.get(action="candidate.bulk_stage")
        assert summary.data["changed"] == 3
        assert summary.data["candidates"] == ids(three)

    def test_those_already_there_are_left_alone(self, staff: User, three: list[Candidate]) -> None:
        result = bulk.candidates_bulk_move_stage(candidates=three, actor=staff, stage=stage("enquiry"))
        assert result == bulk.BulkChangeResult(changed=0, unchanged=3)
        assert not AuditEntry.objects.filter(action="candidate.stage").exists()

    def test_closed_stage_needs_a_reason(self, staff: User, three: list[Candidate]) -> None:
        with pytest.raises(ValidationError):
            bulk.candidates_bulk_move_stage(candidates=three, actor=staff, stage=stage("closed"))
        result = bulk.candidates_bulk_move_stage(
            candidates=three, actor=staff, stage=stage("closed"), reason="withdrew"
        )
        assert result.changed == 3
        assert {c.closed_reason for c in Candidate.objects.all()} == {"withdrew"}

    def test_all_or_nothing(self, staff: User, three: list[Candidate]) -> None:
        retired = PipelineStage.objects.create(name="Retired", slug="retired", position=99, is_active=False)
        with pytest.raises(ValidationError):
            bulk.candidates_bulk_move_stage(candidates=three, actor=staff, stage=retired)
        assert set(Candidate.objects.values_list("stage__slug", flat=True)) == {"enquiry"}
        assert not AuditEntry.objects.filter(action="candidate.bulk_stage").exists()


class TestAssignOwnerService:
    def test_assigns_and_audits_each_record(self, staff: User, manager: User, three: list[Candidate]) -> None:
        three[0].owner = manager
        three[0].save()
        result = bulk.candidates_bulk_assign_owner(candidates=three, actor=staff, owner=manager)
        assert result == bulk.BulkChangeResult(changed=2, unchanged=1)
        assert set(Candidate.objects.values_list("owner", flat=True)) == {manager.pk}
        assert AuditEntry.objects.filter(action="candidate.update", data__changed=["owner"]).count() == 2
        assert AuditEntry.objects.get(action="candidate.bulk_owner").data["owner"] == str(manager.public_id)

    def test_unassign(self, staff: User, three: list[Candidate]) -> None:
        for candidate in three:
            candidate.owner = staff
            candidate.save()
        result = bulk.candidates_bulk_assign_owner(candidates=three, actor=staff, owner=None)
        assert result.changed == 3
        assert set(Candidate.objects.values_list("owner", flat=True)) == {None}

    @pytest.mark.parametrize("who", ["learner", "provider", "inactive staff"])
    def test_only_active_academy_staff_can_own(self, staff: User, three: list[Candidate], who: str) -> None:
        owner = {
            "learner": lambda: UserFactory.create(role=Role.LEARNER),
            "provider": lambda: UserFactory.create(role=Role.PROVIDER),
            "inactive staff": lambda: UserFactory.create(role=Role.STAFF, is_active=False),
        }[who]()
        with pytest.raises(ValidationError):
            bulk.candidates_bulk_assign_owner(candidates=three, actor=staff, owner=owner)


class TestEmailService:
    def test_only_to_those_with_an_address_and_current_consent(
        self, staff: User, django_capture_on_commit_callbacks
    ) -> None:
        yes = CandidateFactory.create(first_name="Yes", email="yes@example.org")
        consent(yes, True)
        withdrawn = CandidateFactory.create(first_name="Withdrawn", email="withdrawn@example.org")
        consent(withdrawn, True, minutes_ago=60)
        consent(withdrawn, False)  # the newest record wins
        regranted = CandidateFactory.create(first_name="Regranted", email="regranted@example.org")
        consent(regranted, False, minutes_ago=60)
        consent(regranted, True)
        never = CandidateFactory.create(first_name="Never", email="never@example.org")
        no_address = CandidateFactory.create(first_name="Noaddress", email="")
        consent(no_address, True)
        with django_capture_on_commit_callbacks(execute=True):
            audience = bulk.candidates_bulk_email(
                candidates=Candidate.objects.all(), actor=staff, subject="Open day", message="Come on Friday."
            )
        assert {c.first_name for c in audience.recipients} == {"Yes", "Regranted"}
        assert {c.first_name for c in audience.no_consent} == {"Withdrawn", "Never"}
        assert [c.first_name for c in audience.no_email] == ["Noaddress"]
        assert sorted(m.to[0] for m in mail.outbox) == ["regranted@example.org", "yes@example.org"]
        assert all(m.subject == "Open day" for m in mail.outbox)
        assert never.email not in [m.to[0] for m in mail.outbox]

    def test_message_is_personal_and_says_how_to_stop(
        self, staff: User, candidate: Candidate, walk_in: Candidate, django_capture_on_commit_callbacks
    ) -> None:
        consent(candidate, True)
        consent(walk_in, True)
        with django_capture_on_commit_callbacks(execute=True):
            bulk.candidates_bulk_email(
                candidates=Candidate.objects.all(), actor=staff, subject="Hi", message="Line one\n\n<b>not html</b>"
            )
        by_address = {m.to[0]: m.body for m in mail.outbox}
        assert by_address[walk_in.email].startswith("Dear Wendy,\n\nLine one\n\n<b>not html</b>")
        assert "tell " in by_address[walk_in.email]  # no account: how to stop without signing in
        assert "/me/consent/" in by_address[candidate.email]

    def test_recorded_in_each_contact_log_and_audited(
        self, staff: User, three: list[Candidate], django_capture_on_commit_callbacks
    ) -> None:
        for candidate in three[:2]:
            consent(candidate, True)
        with django_capture_on_commit_callbacks(execute=True):
            bulk.candidates_bulk_email(
                candidates=Candidate.objects.all(), actor=staff, subject="Open day", message="Friday"
            )
        logs = ContactLog.objects.filter(kind="email", created_by=staff)
        assert {log.candidate_id for log in logs} == {three[0].pk, three[1].pk}
        entry = AuditEntry.objects.get(action="candidate.bulk_email")
        assert entry.data["sent"] == 2
        assert entry.data["skipped_no_consent"] == 1

    def test_no_mail_before_commit(
        self, staff: User, three: list[Candidate], django_capture_on_commit_callbacks
    ) -> None:
        consent(three[0], True)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            bulk.candidates_bulk_email(candidates=Candidate.objects.all(), actor=staff, subject="S", message="M")
        assert mail.outbox == []
        assert len(callbacks) == 1


class TestBulkView:
    def test_get_is_not_allowed(self, staff_client: Client) -> None:
        assert staff_client.get(BULK_URL).status_code == 405

    def test_nothing_selected_goes_back_to_the_list_with_an_error(self, staff_client: Client) -> None:
        response = staff_client.post(
            BULK_URL, {"action": "stage", "stage": "screening", "return_to": "source=website&page=2&select=page"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/candidates/?source=website&page=2"
        assert flash(response) == ["Select at least one candidate, then choose what to do."]

    def test_return_to_cannot_send_people_elsewhere(self, staff_client: Client) -> None:
        response = staff_client.post(BULK_URL, {"return_to": "//evil.example/?x=1"})
        assert response["Location"].startswith("/candidates/?")

    def test_move_stage(self, staff_client: Client, staff: User, three: list[Candidate]) -> None:
        response = staff_client.post(
            BULK_URL, {"candidates": ids(three[:2]), "action": "stage", "stage": "screening", "return_to": "q=a"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/candidates/?q=a"
        assert flash(response) == ["2 candidates moved to Screening."]
        assert list(Candidate.objects.filter(stage__slug="screening").order_by("first_name")) == three[:2]

    def test_move_stage_reports_those_already_there(self, staff_client: Client, three: list[Candidate]) -> None:
        response = staff_client.post(BULK_URL, {"candidates": ids(three), "action": "stage", "stage": "enquiry"})
        assert flash(response) == ["0 candidates moved to Enquiry. 3 were already in Enquiry."]

    def test_closed_stage_without_reason_shows_the_form_again(
        self, staff_client: Client, three: list[Candidate]
    ) -> None:
        response = staff_client.post(BULK_URL, {"candidates": ids(three), "action": "stage", "stage": "closed"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Error: Act on selected candidates" in page
        assert '<a href="#bulk_reason">Choose why you are moving them to Closed</a>' in page
        assert page.count('name="candidates"') == 3  # the selection is kept
        assert set(Candidate.objects.values_list("stage__slug", flat=True)) == {"enquiry"}

    def test_closed_stage_with_reason(self, staff_client: Client, three: list[Candidate]) -> None:
        response = staff_client.post(
            BULK_URL, {"candidates": ids(three), "action": "stage", "stage": "closed", "reason": "lost_contact"}
        )
        assert flash(response) == ["3 candidates moved to Closed."]
        assert {c.closed_reason for c in Candidate.objects.all()} == {"lost_contact"}

    def test_no_action_or_stage_chosen(self, staff_client: Client, three: list[Candidate]) -> None:
        page = staff_client.post(BULK_URL, {"candidates": ids(three)}).content.decode()
        assert '<a href="#bulk_action_1">Choose what to do with the selected candidates</a>' in page
        page = staff_client.post(BULK_URL, {"candidates": ids(three), "action": "stage"}).content.decode()
        assert "Choose the stage to move them to" in page

    def test_assign_owner(self, staff_client: Client, manager: User, three: list[Candidate]) -> None:
        response = staff_client.post(
            BULK_URL, {"candidates": ids(three), "action": "owner", "owner": str(manager.public_id)}
        )
        assert flash(response) == [f"3 candidates assigned to {manager.get_full_name()}."]
        assert set(Candidate.objects.values_list("owner", flat=True)) == {manager.pk}
        response = staff_client.post(BULK_URL, {"candidates": ids(three[:1]), "action": "owner", "owner": "unassigned"})
        assert flash(response)[-1] == "Owner removed from 1 candidate."

    def test_owner_must_be_chosen_from_active_staff(self, staff_client: Client, three: list[Candidate]) -> None:
        inactive = UserFactory.create(role=Role.STAFF, is_active=False)
        page = staff_client.post(
            BULK_URL, {"candidates": ids(three), "action": "owner", "owner": str(inactive.public_id)}
        ).content.decode()
        assert "Choose a staff owner from the list" in page
        page = staff_client.post(BULK_URL, {"candidates": ids(three), "action": "owner"}).content.decode()
        assert "Choose who will own the records" in page

    def test_records_outside_the_list_cannot_be_targeted(self, staff_client: Client, three: list[Candidate]) -> None:
        Candidate.objects.filter(pk=three[0].pk).update(anonymised_at=timezone.now())
        response = staff_client.post(BULK_URL, {"candidates": ids(three), "action": "stage", "stage": "screening"})
        assert response.status_code == 302
        assert "no longer in the list" in flash(response)[0]
        assert not Candidate.objects.filter(stage__slug="screening").exists()
        response = staff_client.post(BULK_URL, {"candidates": ["not-a-uuid"], "action": "stage", "stage": "dbs"})
        assert "no longer in the list" in flash(response)[0]


class TestBulkEmailView:
    @pytest.fixture
    def audience(self) -> list[Candidate]:
        yes = CandidateFactory.create(first_name="Yasmin", email="yasmin@example.org")
        consent(yes, True)
        no = CandidateFactory.create(first_name="Nora", email="nora@example.org")
        consent(no, False)
        blank = CandidateFactory.create(first_name="Blanca", email="")
        return [yes, no, blank]

    def post(self, client: Client, audience: list[Candidate], **extra: str) -> Any:
        data = {"candidates": ids(audience), "action": "email", "subject": "Open day", "message": "See you Friday."}
        return client.post(BULK_URL, {**data, **extra})

    def test_first_shows_a_preview_and_who_gets_it(
        self, staff_client: Client, audience: list[Candidate], django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(staff_client, audience)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Check the email before you send it" in page
        assert "Dear Yasmin," in page
        assert "Send email to 1 candidate" in page
        assert "2 candidates will not get it" in page
        assert "Nora" in page
        assert "Blanca" in page
        assert mail.outbox == []
        assert not AuditEntry.objects.filter(action="candidate.bulk_email").exists()

    def test_confirm_sends_only_to_consented(
        self, staff_client: Client, audience: list[Candidate], django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(staff_client, audience, confirm="1", return_to="stage=enquiry")
        assert response["Location"] == "/candidates/?stage=enquiry"
        assert [m.to for m in mail.outbox] == [["yasmin@example.org"]]
        assert flash(response) == [
            "Email sent to 1 candidate.",
            "2 candidates not emailed: 1 has not agreed to be contacted by email, 1 has no email address.",
        ]

    def test_change_the_email_goes_back_to_the_form(self, staff_client: Client, audience: list[Candidate]) -> None:
        page = self.post(staff_client, audience, edit="1").content.decode()
        assert "Act on 3 selected candidates" in page
        assert 'value="Open day"' in page
        assert "See you Friday.</textarea>" in page
        assert mail.outbox == []

    def test_subject_and_message_are_required(self, staff_client: Client, audience: list[Candidate]) -> None:
        page = self.post(staff_client, audience, subject="", message="").content.decode()
        assert "Enter a subject for the email" in page
        assert "Enter the message" in page

    def test_nobody_can_be_emailed(self, staff_client: Client, audience: list[Candidate]) -> None:
        page = self.post(staff_client, audience[1:]).content.decode()
        assert "None of the selected candidates can be emailed" in page
        assert "Send email" not in page
