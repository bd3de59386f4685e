"""Code moves people by fixed milestones; managers rename, reorder and switch off the stages carrying them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from academy.models import AuditEntry, User
from candidates.models import Candidate, Milestone, PipelineStage
from candidates.services.pipeline import candidate_advance_to_milestone, candidate_move_to_milestone
from candidates.services.stages import stage_create, stage_update
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def milestone_stage(milestone: str) -> PipelineStage:
    return PipelineStage.objects.get(milestone=milestone)


def test_every_milestone_is_carried_by_exactly_one_stage() -> None:
    assert sorted(PipelineStage.objects.exclude(milestone="").values_list("milestone", flat=True)) == sorted(
        Milestone.values
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PipelineStage.objects.create(name="Second on course", slug="second", milestone=Milestone.ON_COURSE)


def test_stages_managers_add_carry_no_milestone(manager: User) -> None:
    stage = stage_create(actor=manager, name="Waiting for interview", position=45)
    assert stage.milestone == ""


def test_moves_to_the_milestone_whatever_the_stage_is_called(staff: User, manager: User) -> None:
    dbs = milestone_stage(Milestone.DBS)
    stage_update(stage=dbs, actor=manager, name="Police check", position=5, is_closed=False, is_active=True)
    candidate = CandidateFactory.create()

    candidate_move_to_milestone(candidate=candidate, milestone=Milestone.DBS, actor=staff, note="Booked")

    candidate.refresh_from_db()
    assert candidate.stage == dbs
    assert candidate.stage_changes.get(to_stage=dbs).note == "Booked"


def test_a_switched_off_milestone_stage_raises_a_readable_error(staff: User, manager: User) -> None:
    stage = milestone_stage(Milestone.JOB_READY)
    stage_update(stage=stage, actor=manager, name="Job search", position=60, is_closed=False, is_active=False)
    candidate = CandidateFactory.create(first_name="Ada", last_name="Lovelace")

    with pytest.raises(ValidationError) as caught:
        candidate_move_to_milestone(candidate=candidate, milestone=Milestone.JOB_READY, actor=staff)

    assert caught.value.messages == [
        "Ada Lovelace could not be moved to Job search (the “Job ready” milestone): a manager has switched that "
        "stage off. Switch it back on in the pipeline stages, or move them by hand."
    ]
    candidate.refresh_from_db()
    assert candidate.stage.milestone == Milestone.REGISTERED


def test_a_closing_milestone_needs_a_reason(staff: User) -> None:
    candidate = CandidateFactory.create()
    with pytest.raises(ValidationError):
        candidate_move_to_milestone(candidate=candidate, milestone=Milestone.CLOSED, actor=staff)
    candidate_move_to_milestone(candidate=candidate, milestone=Milestone.CLOSED, actor=staff, reason="moved_away")
    candidate.refresh_from_db()
    assert (candidate.stage.milestone, candidate.closed_reason) == (Milestone.CLOSED, "moved_away")


def test_forward_only_follows_the_milestone_order_not_the_stage_order(staff: User, manager: User) -> None:
    # A manager puts "In work" before "On course" in the list: someone in work is still further on.
    in_work = milestone_stage(Milestone.IN_WORK)
    stage_update(stage=in_work, actor=manager, name="Employed", position=1, is_closed=False, is_active=True)
    employed = CandidateFactory.create(stage=in_work)
    screened = CandidateFactory.create(stage=milestone_stage(Milestone.SCREENED))

    for candidate in (employed, screened):
        candidate_move_to_milestone(candidate=candidate, milestone=Milestone.ON_COURSE, actor=staff, only_forward=True)

    assert Candidate.objects.get(pk=employed.pk).stage == in_work
    assert Candidate.objects.get(pk=screened.pk).stage.milestone == Milestone.ON_COURSE


def test_forward_only_uses_the_managers_order_for_a_stage_without_a_milestone(staff: User, manager: User) -> None:
    before = stage_create(actor=manager, name="Taster day", position=25)
    after = stage_create(actor=manager, name="Awaiting references", position=95)
    early, late = CandidateFactory.create(stage=before), CandidateFactory.create(stage=after)

    for candidate in (early, late):
        candidate_move_to_milestone(candidate=candidate, milestone=Milestone.ON_COURSE, actor=staff, only_forward=True)

    assert Candidate.objects.get(pk=early.pk).stage.milestone == Milestone.ON_COURSE
    assert Candidate.objects.get(pk=late.pk).stage == after


def test_advancing_reports_and_audits_a_move_that_cannot_happen(staff: User) -> None:
    PipelineStage.objects.filter(milestone=Milestone.ON_COURSE).update(is_active=False)
    candidate = CandidateFactory.create(first_name="Ben", last_name="Bloggs")

    move = candidate_advance_to_milestone(candidate=candidate, milestone=Milestone.ON_COURSE, actor=staff)

    assert move.moved_to is None
    assert move.problem.startswith("Ben Bloggs could not be moved to On course")
    entry = AuditEntry.objects.get(action="candidate.milestone_missed")
    assert (entry.object_id, entry.actor, entry.data["milestone"]) == (str(candidate.pk), staff, "on_course")


def test_advancing_says_nothing_when_no_move_is_needed_even_to_a_switched_off_stage(staff: User) -> None:
    PipelineStage.objects.filter(milestone=Milestone.ON_COURSE).update(is_active=False)
    candidate = CandidateFactory.create(stage=milestone_stage(Milestone.SUSTAINED))
    move = candidate_advance_to_milestone(candidate=candidate, milestone=Milestone.ON_COURSE, actor=staff)
    assert (move.moved_to, move.problem) == (None, "")
    assert not AuditEntry.objects.filter(action="candidate.milestone_missed").exists()


def test_managers_see_which_stages_carry_a_milestone(client_for: Callable[[str], Client]) -> None:
    manager_client = client_for("manager")
    page = manager_client.get(reverse("candidates:stage-list")).content.decode()
    assert '<td class="govuk-table__cell">DBS check</td>' in page  # the stage is called "DBS"
    stage = milestone_stage(Milestone.ON_COURSE)
    edit = manager_client.get(reverse("candidates:stage-update", kwargs={"slug": stage.slug})).content.decode()
    assert "carries the “On course” milestone" in edit
