"""One meaning of "current": not merged into another record and not anonymised.

Lists, pickers, work queues and messages read `Candidate.objects.current()`; figures that must stay
intact after erasure, and staff following a link to an anonymised record, read `one_per_person()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from academy.models import User
from candidates.models import CURRENT, Candidate, PipelineStage, current_q
from candidates.selectors.casework import caseload_for
from candidates.selectors.stages import stage_list
from candidates.services.stages import stage_update
from courses.selectors.delivery import cohort_message_audience
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three() -> tuple[Candidate, Candidate, Candidate]:
    """A record in use, one merged into it and one anonymised."""
    kept, merged, anonymised = CandidateFactory.create_batch(3)
    Candidate.objects.filter(pk=merged.pk).update(merged_into=kept)
    Candidate.objects.filter(pk=anonymised.pk).update(anonymised_at=timezone.now())
    return kept, merged, anonymised


def test_current_leaves_out_merged_and_anonymised_records(three: tuple[Candidate, Candidate, Candidate]) -> None:
    kept, merged, anonymised = three
    assert list(Candidate.objects.current()) == [kept]
    assert list(Candidate.objects.filter(CURRENT)) == [kept]
    assert [c.is_current for c in (kept, *Candidate.objects.filter(pk__in=[merged.pk, anonymised.pk]))] == [
        True,
        False,
        False,
    ]
    assert set(Candidate.objects.one_per_person()) == {kept, anonymised}


def test_current_through_a_relation(three: tuple[Candidate, Candidate, Candidate]) -> None:
    kept, _merged, _anonymised = three
    cohort = CohortFactory.create()
    for candidate in three:
        EnrolmentFactory.create(cohort=cohort, candidate=candidate)
    enrolled = cohort.enrolments.filter(current_q("candidate")).values_list("candidate", flat=True)
    assert list(enrolled) == [kept.pk]


def test_a_stage_holding_only_anonymised_people_can_be_retired(manager: User) -> None:
    """Staff cannot move an anonymised record (it is on no list), so it must not block retiring its stage."""
    stage = PipelineStage.objects.get(slug="screening")
    anonymised = CandidateFactory.create(stage=stage)
    Candidate.objects.filter(pk=anonymised.pk).update(anonymised_at=timezone.now())
    stage_update(stage=stage, actor=manager, name=stage.name, position=stage.position, is_closed=False, is_active=False)
    stage.refresh_from_db()
    assert not stage.is_active
    anonymised.refresh_from_db()
    assert anonymised.stage == stage  # the figures still count them where they were
    assert stage_list(stages=PipelineStage.objects.filter(pk=stage.pk)).get().candidate_count == 0  # type: ignore[attr-defined]


def test_caseload_leaves_out_anonymised_records(staff: User) -> None:
    mine = CandidateFactory.create(owner=staff)
    gone = CandidateFactory.create(owner=staff)
    Candidate.objects.filter(pk=gone.pk).update(anonymised_at=timezone.now())
    assert list(caseload_for(user=staff, today=date(2026, 12, 2))) == [mine]


def test_a_cohort_message_does_not_reach_a_merged_record_twice(staff: User) -> None:
    """Both records of one person were on the cohort; after the merge the duplicate's enrolment stays with it."""
    cohort = CohortFactory.create()
    person = CandidateFactory.create(email="ann@example.org")
    earlier = CandidateFactory.create(email="ann.old@example.org")
    for candidate in (person, earlier):
        EnrolmentFactory.create(cohort=cohort, candidate=candidate)
    Candidate.objects.filter(pk=earlier.pk).update(merged_into=person)
    audience = cohort_message_audience(cohort)
    assert [candidate for candidate, _ in audience.recipients] == [person]


def test_staff_can_still_open_an_anonymised_record_from_a_link(
    client_for: Callable[[str], Client], three: tuple[Candidate, Candidate, Candidate]
) -> None:
    _kept, merged, anonymised = three
    staff_client = client_for("staff")
    assert staff_client.get(anonymised.get_absolute_url()).status_code == 200
    assert staff_client.get(merged.get_absolute_url()).status_code == 404
