"""Work placement services: arranging one, each move with its history and audit, and the hours rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, OutboxMessage
from courses.models import Enrolment
from placements.models import WorkPlacement, WorkPlacementStatusChange
from placements.services import work as services
from tests.courses.factories import EnrolmentFactory
from tests.factories import CandidateFactory, ProviderFactory
from tests.placements.factories_work import WorkPlacementFactory, past_cohort

Status = WorkPlacement.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return past_cohort(days_ago=5)


def _create(staff, cohort, candidate, **overrides):
    data = {
        "actor": staff,
        "candidate": candidate,
        "cohort": cohort,
        "provider": ProviderFactory.create(),
        "start_date": cohort.start_date + dt.timedelta(days=10),
        "end_date": cohort.start_date + dt.timedelta(days=13),
        "planned_hours": Decimal("28"),
        "supervisor_name": "Sam Supervisor",
    }
    data.update(overrides)
    return services.work_placement_create(**data)


def test_create_records_planned_status_history_and_audit(staff, cohort):
    enrolment = EnrolmentFactory.create(cohort=cohort)
    placement = _create(staff, cohort, enrolment.candidate)
    assert placement.status == Status.PLANNED
    change = WorkPlacementStatusChange.objects.get(placement=placement)
    assert (change.from_status, change.to_status, change.changed_by) == ("", Status.PLANNED, staff)
    assert AuditEntry.objects.filter(action="work_placement.create", object_id=str(placement.pk)).exists()


def test_a_learner_not_enrolled_on_the_cohort_is_refused(staff, cohort):
    stranger = CandidateFactory.create(first_name="Nora", last_name="Notenrolled")
    with pytest.raises(ValidationError) as exc:
        _create(staff, cohort, stranger)
    assert "Nora Notenrolled is not enrolled on" in str(exc.value)
    assert not WorkPlacement.objects.exists()


def test_a_withdrawn_learner_is_refused(staff, cohort):
    enrolment = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        _create(staff, cohort, enrolment.candidate)


def test_dates_before_the_cohort_and_impossible_hours_are_refused(staff, cohort):
    candidate = EnrolmentFactory.create(cohort=cohort).candidate
    with pytest.raises(ValidationError) as exc:
        _create(staff, cohort, candidate, start_date=cohort.start_date - dt.timedelta(days=1))
    assert "start_date" in exc.value.error_dict
    # Four days span one week: at most 60 hours.
    with pytest.raises(ValidationError) as exc:
        _create(staff, cohort, candidate, planned_hours=Decimal("60.5"))
    assert "60 hours a week" in exc.value.error_dict["planned_hours"][0].message
    assert _create(staff, cohort, candidate, planned_hours=Decimal("60")).planned_hours == 60


def test_overlapping_live_placement_is_refused(staff, cohort):
    candidate = EnrolmentFactory.create(cohort=cohort).candidate
    _create(staff, cohort, candidate)
    with pytest.raises(ValidationError, match="overlap"):
        _create(staff, cohort, candidate)


def test_the_full_journey_writes_a_history_row_and_an_audit_entry_per_move(staff, provider_user):
    placement = WorkPlacementFactory.create(start_date=timezone.localdate() - dt.timedelta(days=3))
    services.work_placement_start(placement=placement, actor=staff)
    services.work_placement_record_hours(placement=placement, actor=provider_user, worked_hours=Decimal("27.5"))
    services.work_placement_complete(placement=placement, actor=provider_user)
    services.work_placement_sign_off(placement=placement, actor=provider_user, review="  Kind and punctual. ")
    placement.refresh_from_db()
    assert placement.status == Status.SIGNED_OFF
    assert placement.review == "Kind and punctual."
    assert placement.signed_off_by == provider_user and placement.signed_off_at is not None
    moves = list(placement.status_changes.order_by("changed_at", "pk").values_list("from_status", "to_status"))
    assert moves == [
        (Status.PLANNED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.COMPLETED),
        (Status.COMPLETED, Status.SIGNED_OFF),
    ]
    actions = set(AuditEntry.objects.filter(object_id=str(placement.pk)).values_list("action", flat=True))
    assert {"work_placement.in_progress", "work_placement.completed", "work_placement.signed_off"} <= actions
    assert "work_placement.hours" in actions


def test_cannot_start_before_the_start_date(staff):
    placement = WorkPlacementFactory.create(
        cohort=past_cohort(days_ago=2), start_date=timezone.localdate() + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="mark it started on or after"):
        services.work_placement_start(placement=placement, actor=staff)
    assert not placement.status_changes.exists()


def test_moves_out_of_order_are_refused(staff, provider_user):
    placement = WorkPlacementFactory.create()
    with pytest.raises(ValidationError, match="cannot be marked signed off"):
        services.work_placement_sign_off(placement=placement, actor=provider_user, review="Good")
    with pytest.raises(ValidationError, match="cannot be marked completed"):
        services.work_placement_complete(placement=placement, actor=staff)
    placement.refresh_from_db()
    assert placement.status == Status.PLANNED and placement.review == ""


def test_completing_needs_hours(staff):
    placement = WorkPlacementFactory.create(status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="Record the hours"):
        services.work_placement_complete(placement=placement, actor=staff)


def test_end_early_needs_a_reason_and_keeps_it(staff):
    placement = WorkPlacementFactory.create(status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.work_placement_end_early(placement=placement, actor=staff, reason="  ")
    services.work_placement_end_early(placement=placement, actor=staff, reason="Found a job")
    placement.refresh_from_db()
    assert placement.status == Status.ENDED_EARLY and placement.status_reason == "Found a job"
    assert placement.status_changes.get().reason == "Found a job"
    with pytest.raises(ValidationError):
        services.work_placement_start(placement=placement, actor=staff)


@pytest.mark.parametrize(
    ("hours", "ok"),
    [("0", True), ("35", True), ("35.1", False), ("-1", False)],
)
def test_hours_worked_stay_between_zero_and_the_plan_plus_a_quarter(staff, hours, ok):
    placement = WorkPlacementFactory.create(status=Status.IN_PROGRESS, planned_hours=Decimal("28"))
    if ok:
        services.work_placement_record_hours(placement=placement, actor=staff, worked_hours=Decimal(hours))
        placement.refresh_from_db()
        assert placement.worked_hours == Decimal(hours)
    else:
        with pytest.raises(ValidationError) as exc:
            services.work_placement_record_hours(placement=placement, actor=staff, worked_hours=Decimal(hours))
        assert "worked_hours" in exc.value.error_dict
        placement.refresh_from_db()
        assert placement.worked_hours == 0


def test_hours_never_exceed_sixty_a_week_over_the_span(staff):
    # 55 planned over 4 days: plan + 25% is 68.8, but one week allows 60.
    placement = WorkPlacementFactory.create(status=Status.IN_PROGRESS, planned_hours=Decimal("55"))
    assert services.placement_max_worked_hours(placement) == Decimal("60")
    with pytest.raises(ValidationError, match="60 hours a week"):
        services.work_placement_record_hours(placement=placement, actor=staff, worked_hours=Decimal("61"))


def test_hours_cannot_be_recorded_on_a_planned_or_signed_off_placement(staff):
    for status in (Status.PLANNED, Status.SIGNED_OFF, Status.ENDED_EARLY):
        placement = WorkPlacementFactory.create(status=status)
        with pytest.raises(ValidationError, match="Hours can be recorded"):
            services.work_placement_record_hours(placement=placement, actor=staff, worked_hours=Decimal("4"))


def test_weeks_of_a_span():
    day = dt.date(2027, 3, 1)
    assert services.placement_weeks(day, day) == 1
    assert services.placement_weeks(day, day + dt.timedelta(days=6)) == 1
    assert services.placement_weeks(day, day + dt.timedelta(days=7)) == 2


def test_arranging_emails_the_provider_users_and_the_learner(staff, provider_user, candidate):
    cohort = past_cohort(days_ago=5)
    EnrolmentFactory.create(cohort=cohort, candidate=candidate)
    provider = provider_user.provider_membership.provider
    _create(staff, cohort, candidate, provider=provider)
    messages = {tuple(m.to): m for m in OutboxMessage.objects.all()}
    assert set(messages) == {(provider_user.email,), (candidate.email,)}
    assert "Work placement arranged: Lena Learner" in messages[(provider_user.email,)].subject
    assert "Sam Supervisor" in messages[(candidate.email,)].body


def test_a_learner_without_an_account_gets_no_email(staff, provider_user, walk_in):
    cohort = past_cohort(days_ago=5)
    EnrolmentFactory.create(cohort=cohort, candidate=walk_in)
    _create(staff, cohort, walk_in, provider=provider_user.provider_membership.provider)
    assert [m.to for m in OutboxMessage.objects.all()] == [[provider_user.email]]


def test_update_changes_the_plan_with_the_same_checks_and_audits(staff):
    placement = WorkPlacementFactory.create(status=Status.IN_PROGRESS, worked_hours=Decimal("20"))
    data: dict[str, Any] = {
        "provider": placement.provider,
        "start_date": placement.start_date,
        "end_date": placement.end_date + dt.timedelta(days=1),
        "planned_hours": Decimal("35"),
        "supervisor_name": "New Supervisor",
    }
    services.work_placement_update(placement=placement, actor=staff, **data)
    placement.refresh_from_db()
    assert (placement.planned_hours, placement.supervisor_name) == (Decimal("35"), "New Supervisor")
    entry = AuditEntry.objects.get(action="work_placement.update")
    assert set(entry.data["changed"]) == {"end_date", "planned_hours", "supervisor_name"}
    # Hours already worked must still fit the plan.
    with pytest.raises(ValidationError, match=r"20\.0 hours are already recorded"):
        services.work_placement_update(placement=placement, actor=staff, **{**data, "planned_hours": Decimal("10")})
    with pytest.raises(ValidationError, match="the provider cannot change"):
        services.work_placement_update(
            placement=placement, actor=staff, **{**data, "provider": ProviderFactory.create()}
        )
    placement.status = Status.SIGNED_OFF
    placement.save()
    with pytest.raises(ValidationError, match="only planned or in-progress"):
        services.work_placement_update(placement=placement, actor=staff, **data)
