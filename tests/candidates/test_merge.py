"""Merging duplicates: both histories end up on the survivor, chosen values are kept, nothing is lost."""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from academy.models import AuditEntry, Role, User
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
from candidates.selectors.merge import candidate_merge_comparison
from candidates.services.merge import candidate_merge
from candidates.services.pipeline import candidate_move_stage
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survivor() -> Candidate:
    return CandidateFactory.create(
        first_name="Ann", last_name="Smith", email="ann@example.org", phone="0113 496 0000", date_of_birth=None
    )


@pytest.fixture
def duplicate() -> Candidate:
    return CandidateFactory.create(
        first_name="Anne",
        last_name="Smith",
        email="ann.smith@example.org",
        phone="07700 900123",
        date_of_birth=date(1985, 3, 27),
        postcode="LS2 7EY",
    )


def add_history(candidate: Candidate, actor: User, label: str) -> None:
    ContactLog.objects.create(candidate=candidate, kind=ContactLog.Kind.CALL, summary=f"Call {label}")
    Document.objects.create(
        candidate=candidate,
        kind=Document.Kind.CV,
        file=SimpleUploadedFile(f"{label}.pdf", b"%PDF-1.4"),
        original_name=f"{label}.pdf",
        content_type="application/pdf",
        size=8,
    )
    Consent.objects.create(candidate=candidate, kind=ConsentKind.CONTACT_EMAIL, granted=True)
    ActionPlanItem.objects.create(candidate=candidate, goal=f"Goal {label}", action="Act", owner="Them")
    ActionPlanReview.objects.create(candidate=candidate, review_on=date(2026, 12, 1))
    candidate_move_stage(candidate=candidate, actor=actor, stage=PipelineStage.objects.get(slug="screening"))


def test_merge_keeps_both_histories_on_the_survivor(survivor: Candidate, duplicate: Candidate, staff: User) -> None:
    add_history(survivor, staff, "survivor")
    add_history(duplicate, staff, "duplicate")
    counts_before = {model: model.objects.count() for model in (StageChange, ContactLog, Document, Consent)}

    result = candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})

    assert result == survivor
    assert sorted(ContactLog.objects.filter(candidate=survivor).values_list("summary", flat=True)) == [
        "Call duplicate",
        "Call survivor",
    ]
    assert sorted(Document.objects.filter(candidate=survivor).values_list("original_name", flat=True)) == [
        "duplicate.pdf",
        "survivor.pdf",
    ]
    assert StageChange.objects.filter(candidate=survivor).count() == 4  # created + screening, twice
    for history in (Consent, ActionPlanItem, ActionPlanReview):
        assert history.objects.filter(candidate=survivor).count() == 2
    for counted, count in counts_before.items():
        assert counted.objects.count() == count, "a merge deletes nothing"
    for relation in Candidate._meta.related_objects:
        related = cast(type[Model], relation.related_model)
        assert not related._default_manager.filter(**{relation.field.name: duplicate}).exists()

    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert list(Candidate.objects.current()) == [survivor]


def test_field_choices_are_applied(survivor: Candidate, duplicate: Candidate, staff: User) -> None:
    candidate_move_stage(candidate=duplicate, actor=staff, stage=PipelineStage.objects.get(slug="screening"))
    candidate_merge(
        survivor=survivor,
        duplicate=duplicate,
        actor=staff,
        field_choices={
            "first_name": survivor,
            "phone": duplicate,
            "date_of_birth": duplicate,
            "postcode": duplicate,
            "stage": duplicate,
        },
    )
    survivor.refresh_from_db()
    assert (survivor.first_name, survivor.email, survivor.phone, survivor.phone_key) == (
        "Ann",
        "ann@example.org",
        "07700 900123",
        "07700900123",
    )
    assert (survivor.date_of_birth, survivor.postcode, survivor.stage.slug) == (
        date(1985, 3, 27),
        "LS2 7EY",
        "screening",
    )
    enquiry = PipelineStage.objects.get(slug="enquiry")
    latest = StageChange.objects.filter(candidate=survivor).first()
    assert latest is not None
    assert (latest.from_stage, latest.to_stage.slug, latest.changed_by) == (enquiry, "screening", staff)
    assert "merged" in latest.note


def test_both_records_are_audited(survivor: Candidate, duplicate: Candidate, staff: User) -> None:
    add_history(duplicate, staff, "duplicate")
    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={"email": duplicate})
    on_survivor = AuditEntry.objects.get(action="candidate.merge", object_id=str(survivor.pk))
    assert on_survivor.actor == staff
    assert on_survivor.data["merged"] == str(duplicate.public_id)
    assert on_survivor.data["fields_from_merged"] == ["email"]
    assert on_survivor.data["moved"]["ContactLog"] == 1
    on_duplicate = AuditEntry.objects.get(action="candidate.merged_into", object_id=str(duplicate.pk))
    assert on_duplicate.data == {"into": str(survivor.public_id)}


def test_the_account_moves_when_only_the_duplicate_has_one(survivor: Candidate, duplicate: Candidate, staff: User):
    account = UserFactory.create(role=Role.LEARNER)
    Candidate.objects.filter(pk=duplicate.pk).update(user=account)
    duplicate.refresh_from_db()
    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.user, duplicate.user) == (account, None)


def test_two_active_accounts_cannot_be_merged(survivor: Candidate, duplicate: Candidate, staff: User) -> None:
    for candidate in (survivor, duplicate):
        Candidate.objects.filter(pk=candidate.pk).update(user=UserFactory.create(role=Role.LEARNER))
        candidate.refresh_from_db()
    with pytest.raises(ValidationError, match="Both records have their own portal account"):
        candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})
    # Once the account they no longer use is deactivated, the merge goes ahead and leaves it with the old record.
    User.objects.filter(candidate=duplicate).update(is_active=False)
    duplicate.refresh_from_db()
    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.user is not None


def test_refused_merges(survivor: Candidate, duplicate: Candidate, staff: User) -> None:
    other = CandidateFactory.create()
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        candidate_merge(survivor=survivor, duplicate=survivor, actor=staff, field_choices={})
    with pytest.raises(ValidationError, match="cannot be chosen"):
        candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={"anonymised_at": duplicate})
    with pytest.raises(ValidationError, match="one of the two records"):
        candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={"email": other})
    Candidate.objects.filter(pk=other.pk).update(anonymised_at=timezone.now())
    with pytest.raises(ValidationError, match="anonymised"):
        candidate_merge(survivor=survivor, duplicate=other, actor=staff, field_choices={})
    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})
    # The caller's copy of the duplicate is stale: the service checks the rows as they are now.
    stale = Candidate.objects.get(pk=duplicate.pk)
    stale.merged_into = None
    with pytest.raises(ValidationError, match="already been merged"):
        candidate_merge(survivor=CandidateFactory.create(), duplicate=stale, actor=staff, field_choices={})
    assert not AuditEntry.objects.filter(action="candidate.merge").exclude(object_id=str(survivor.pk)).exists()


def test_barriers_respect_one_row_per_barrier(survivor: Candidate, duplicate: Candidate, staff: User) -> None:
    CandidateBarrier.objects.create(candidate=survivor, barrier="transport")
    CandidateBarrier.objects.create(candidate=duplicate, barrier="transport", support_needed="Bus pass")
    CandidateBarrier.objects.create(candidate=duplicate, barrier="childcare", support_needed="Nursery")
    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})
    assert dict(CandidateBarrier.objects.filter(candidate=survivor).values_list("barrier", "support_needed")) == {
        "transport": "Bus pass",
        "childcare": "Nursery",
    }
    assert CandidateBarrier.objects.filter(candidate=duplicate).count() == 1  # kept with the merged record


def test_selection_results_respect_one_result_per_event(survivor: Candidate, duplicate: Candidate, staff: User):
    both = SelectionEvent.objects.create(title="Both attended", held_on=date(2026, 10, 1))
    only = SelectionEvent.objects.create(title="Duplicate only", held_on=date(2026, 11, 1))
    SelectionResult.objects.create(event=both, candidate=survivor, outcome="accepted")
    SelectionResult.objects.create(event=both, candidate=duplicate, outcome="pending")
    SelectionResult.objects.create(event=only, candidate=duplicate, outcome="accepted")
    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})
    assert set(SelectionResult.objects.filter(candidate=survivor).values_list("event__title", "outcome")) == {
        ("Both attended", "accepted"),
        ("Duplicate only", "accepted"),
    }
    assert SelectionResult.objects.filter(candidate=duplicate, event=both).exists()


def test_two_open_deletion_requests_become_one(survivor: Candidate, duplicate: Candidate, staff: User) -> None:
    DataRequest.objects.create(candidate=survivor, reason="Delete me")
    DataRequest.objects.create(candidate=duplicate, reason="Delete me too")
    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})
    requests = DataRequest.objects.filter(candidate=survivor)
    assert sorted(requests.values_list("status", flat=True)) == ["open", "rejected"]
    closed = requests.get(status="rejected")
    assert (closed.reason, closed.resolved_by) == ("Delete me too", staff)


def test_equality_answers_move_only_when_the_survivor_has_none(staff: User) -> None:
    first, second, third = CandidateFactory.create_batch(3)
    EqualityMonitoring.objects.create(candidate=second, ethnicity="asian_indian")
    candidate_merge(survivor=first, duplicate=second, actor=staff, field_choices={})
    assert EqualityMonitoring.objects.get(candidate=first).ethnicity == "asian_indian"

    EqualityMonitoring.objects.create(candidate=third, ethnicity="white_british")
    candidate_merge(survivor=first, duplicate=third, actor=staff, field_choices={})
    assert EqualityMonitoring.objects.get(candidate=first).ethnicity == "asian_indian"
    assert EqualityMonitoring.objects.filter(candidate=third).exists()


def test_records_merged_earlier_point_at_the_new_survivor(staff: User) -> None:
    first, second, third = CandidateFactory.create_batch(3)
    candidate_merge(survivor=second, duplicate=third, actor=staff, field_choices={})
    candidate_merge(survivor=first, duplicate=second, actor=staff, field_choices={})
    assert set(Candidate.objects.filter(merged_into=first).values_list("pk", flat=True)) == {second.pk, third.pk}


def test_comparison_counts_history_and_says_only_whether_equality_was_answered(
    survivor: Candidate, duplicate: Candidate, staff: User, django_assert_num_queries
) -> None:
    add_history(duplicate, staff, "duplicate")
    EqualityMonitoring.objects.create(candidate=duplicate, ethnicity="asian_indian")
    with django_assert_num_queries(1):
        comparison = candidate_merge_comparison(survivor, duplicate)
    history = {row.label: (row.first, row.second) for row in comparison.history}
    assert history["Stage changes"] == (1, 2)
    assert history["Documents"] == (0, 1)
    assert history["Contacts and notes"] == (0, 1)
    assert (comparison.first_has_equality, comparison.second_has_equality) == (False, True)
    assert [row.name for row in comparison.differing_fields] == [
        "first_name",
        "email",
        "phone",
        "postcode",
        "date_of_birth",
        "stage",
    ]
    assert comparison.reasons == []
