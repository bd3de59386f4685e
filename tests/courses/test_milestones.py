"""The course flow moves people by milestone, however a manager renamed and reordered the stages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, Milestone, PipelineStage
from candidates.services.stages import stage_update
from courses.models import Application, Enrolment
from courses.services.applications import application_accept
from courses.services.outcomes import enrolment_record_outcome
from tests.courses.factories import ApplicationFactory
from tests.courses.factories_outcomes import finished_cohort

pytestmark = pytest.mark.django_db


def rename_and_reverse_every_stage(manager: User) -> None:
    """Every stage gets a new name and the list is turned upside down (closed stays closed)."""
    stages = list(PipelineStage.objects.order_by("position"))
    for index, stage in enumerate(stages):
        stage_update(
            stage=stage,
            actor=manager,
            name=f"Step {len(stages) - index}: {stage.name[::-1]}",
            position=(len(stages) - index) * 7,
            is_closed=stage.is_closed,
            is_active=True,
        )


def test_accepting_and_completing_move_people_after_a_manager_renamed_and_reordered_every_stage(
    manager: User, staff: User, learner: User, candidate: Candidate
) -> None:
    rename_and_reverse_every_stage(manager)
    Candidate.objects.filter(pk=candidate.pk).update(stage=PipelineStage.objects.get(milestone=Milestone.SCREENED))
    candidate.refresh_from_db()
    application = ApplicationFactory.create(
        candidate=candidate, status=Application.Status.OFFERED, offered_at=timezone.now()
    )

    application_accept(application=application, actor=learner)
    candidate.refresh_from_db()
    assert candidate.stage.milestone == Milestone.ON_COURSE
    assert candidate.stage.name == "Step 8: esruoc nO"

    enrolment = finished_cohort(learners=1).enrolments[0]
    Candidate.objects.filter(pk=enrolment.candidate_id).update(stage=candidate.stage)
    result = enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Enrolment.Status.COMPLETED)
    assert result.moved_to == PipelineStage.objects.get(milestone=Milestone.COMPLETED_COURSE)
    assert result.moved_to.name == "Step 7: esruoc detelpmoC"
    assert not AuditEntry.objects.filter(action="candidate.milestone_missed").exists()


def test_accepting_a_place_goes_ahead_when_on_course_is_switched_off_and_staff_can_see_why(
    manager: User, learner: User, candidate: Candidate
) -> None:
    on_course = PipelineStage.objects.get(milestone=Milestone.ON_COURSE)
    stage_update(stage=on_course, actor=manager, name="Learning", position=30, is_closed=False, is_active=False)
    application = ApplicationFactory.create(
        candidate=candidate, status=Application.Status.OFFERED, offered_at=timezone.now()
    )

    enrolment = application_accept(application=application, actor=learner)

    assert enrolment.status == Enrolment.Status.ENROLLED
    candidate.refresh_from_db()
    assert candidate.stage.milestone == Milestone.REGISTERED
    missed = AuditEntry.objects.get(action="candidate.milestone_missed", object_id=str(candidate.pk))
    assert "could not be moved to Learning" in missed.data["problem"]
