"""The ready-to-start checklist and the confirmed job start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, OutboxMessage, User
from candidates.models import Candidate, DbsCheck, Milestone, PipelineStage
from courses.models import Enrolment
from placements.models import ContractType, JobApplication, JobRole, JobStart, PersonnelFolder, Reference, Vacancy
from placements.selectors.starts import ready_to_start_checklist
from placements.services import folders, starts
from providers.models import Provider
from tests.candidates.factories_dbs_records import at_status, consent_to_sharing, shared
from tests.courses.factories import EnrolmentFactory
from tests.placements.factories_starts import offered

Status = JobApplication.Status
pytestmark = pytest.mark.django_db


def _items(application: JobApplication, viewer: User) -> dict[str, bool]:
    return {item.key: item.met for item in ready_to_start_checklist(application=application, viewer=viewer).items}


def test_every_item_starts_pending(provider_user: User, provider_a: Provider, walk_in: Candidate) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    assert _items(application, provider_user) == dict.fromkeys(
        ["dbs", "right_to_work", "references", "training", "start_date"], False
    )


def test_items_are_met_from_the_records_and_the_manual_marks(
    provider_user: User, provider_a: Provider, walk_in: Candidate, staff: User
) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    check = at_status(DbsCheck.Status.CLEARED, candidate=walk_in, staff=staff)
    # A clear outcome not shared with the provider: met for staff, pending for the provider.
    assert _items(application, staff)["dbs"] is True
    assert _items(application, provider_user)["dbs"] is False
    consent_to_sharing(walk_in)
    shared(check, provider_a)
    folders.folder_update(
        candidate=walk_in,
        actor=staff,
        employment_history="Retail assistant, 2019 to 2024",
        right_to_work_evidence=PersonnelFolder.RightToWorkEvidence.PASSPORT_UK,
        right_to_work_seen_on=timezone.localdate(),
    )
    for name in ("Ann Bell", "Cal Dunn"):
        folders.reference_add(
            candidate=walk_in,
            actor=staff,
            referee_name=name,
            relationship="Manager",
            status=Reference.Status.RECEIVED,
            received_on=timezone.localdate(),
        )
    starts.checklist_mark_training(application=application, actor=provider_user, met=True)
    starts.checklist_agree_start_date(
        application=application, actor=provider_user, start_date=timezone.localdate() + dt.timedelta(days=3)
    )
    application.refresh_from_db()
    assert all(_items(application, provider_user).values())
    assert PersonnelFolder.objects.get(candidate=walk_in).right_to_work_seen_by == staff


def test_one_satisfactory_reference_is_not_enough(staff: User, provider_a: Provider, walk_in: Candidate) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    folders.reference_add(
        candidate=walk_in,
        actor=staff,
        referee_name="A",
        relationship="Tutor",
        status=Reference.Status.RECEIVED,
        received_on=timezone.localdate(),
    )
    folders.reference_add(
        candidate=walk_in,
        actor=staff,
        referee_name="B",
        relationship="Tutor",
        status=Reference.Status.UNSATISFACTORY,
        received_on=timezone.localdate(),
    )
    assert _items(application, staff)["references"] is False


def test_a_completed_course_meets_the_training_item(staff: User, provider_a: Provider, walk_in: Candidate) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    EnrolmentFactory.create(candidate=walk_in, status=Enrolment.Status.COMPLETED)
    assert _items(application, staff)["training"] is True


def test_the_agreed_start_cannot_be_before_the_offer(staff: User, provider_a: Provider) -> None:
    application = offered(provider_a, status=Status.ACCEPTED)
    with pytest.raises(ValidationError, match="before the offer"):
        starts.checklist_agree_start_date(
            application=application, actor=staff, start_date=timezone.localdate() - dt.timedelta(days=5)
        )


def test_reference_dates_and_evidence_need_each_other(staff: User, walk_in: Candidate) -> None:
    with pytest.raises(ValidationError, match="date the reference was received"):
        folders.reference_add(
            candidate=walk_in, actor=staff, referee_name="A", relationship="B", status=Reference.Status.RECEIVED
        )
    with pytest.raises(ValidationError, match="date you saw"):
        folders.folder_update(
            candidate=walk_in,
            actor=staff,
            employment_history="",
            right_to_work_evidence="passport_uk",
            right_to_work_seen_on=None,
        )


# --- the start ----------------------------------------------------------------------------------


def _confirm(application: JobApplication, actor: User, **extra: object) -> JobStart:
    fields: dict[str, object] = {
        "job_role": JobRole.CARE_WORKER,
        "hours_per_week": Decimal("30"),
        "contract_type": ContractType.PERMANENT,
        "start_date": timezone.localdate() + dt.timedelta(days=2),
    }
    fields.update(extra)
    return starts.job_start_confirm(application=application, actor=actor, **fields)  # type: ignore[arg-type]


def test_confirming_a_start_takes_the_place_and_moves_the_person_in_work(
    provider_user: User, provider_a: Provider, walk_in: Candidate
) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    job_start = _confirm(application, provider_user)
    application.refresh_from_db()
    walk_in.refresh_from_db()
    vacancy = Vacancy.objects.get(pk=application.vacancy_id)
    assert application.status == Status.STARTED
    assert (job_start.employer_name, job_start.provider) == ("Provider A", provider_a)
    assert (vacancy.places_filled, vacancy.status) == (1, Vacancy.Status.FILLED)
    assert PipelineStage.objects.get(pk=walk_in.stage_id).milestone == Milestone.IN_WORK
    assert AuditEntry.objects.filter(action="job_start.confirm", object_id=str(job_start.pk)).exists()
    assert OutboxMessage.objects.filter(kind="placements/email/job_start_confirmed", to=["wendy@example.org"]).exists()


def test_a_start_needs_an_accepted_offer_sane_hours_and_a_date_after_the_offer(
    staff: User, provider_a: Provider
) -> None:
    with pytest.raises(ValidationError, match="accepted the offer"):
        _confirm(offered(provider_a), staff)
    application = offered(provider_a, status=Status.ACCEPTED)
    with pytest.raises(ValidationError, match="Hours per week"):
        _confirm(application, staff, hours_per_week=Decimal("61"))
    with pytest.raises(ValidationError, match="before the offer"):
        _confirm(application, staff, start_date=timezone.localdate() - dt.timedelta(days=3))
    assert not JobStart.objects.exists()


def test_staff_record_a_start_elsewhere(staff: User, walk_in: Candidate) -> None:
    job_start = starts.job_start_record(
        candidate=walk_in,
        actor=staff,
        employer_name="Sunrise Homecare",
        job_role=JobRole.SUPPORT_WORKER,
        hours_per_week=Decimal("20"),
        contract_type=ContractType.ZERO_HOURS,
        start_date=timezone.localdate(),
    )
    assert job_start.application is None and job_start.provider is None
    walk_in.refresh_from_db()
    assert PipelineStage.objects.get(pk=walk_in.stage_id).milestone == Milestone.IN_WORK


def test_a_withdrawn_consent_hides_the_shared_dbs_from_the_checklist(
    provider_user: User, provider_a: Provider, walk_in: Candidate, staff: User
) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    consent_to_sharing(walk_in)
    shared(at_status(DbsCheck.Status.CLEARED, candidate=walk_in, staff=staff), provider_a)
    assert _items(application, provider_user)["dbs"] is True
    consent_to_sharing(walk_in, granted=False, at=timezone.now() + dt.timedelta(seconds=1))
    assert _items(application, provider_user)["dbs"] is False


def test_the_job_start_list_filters_by_month_provider_and_name(
    staff: User, provider_a: Provider, provider_b: Provider
) -> None:
    from placements.selectors.starts import job_start_list
    from tests.factories import CandidateFactory

    def start(provider: Provider | None, day: dt.date, first_name: str) -> JobStart:
        return JobStart.objects.create(
            candidate=CandidateFactory.create(first_name=first_name),
            provider=provider,
            employer_name=provider.name if provider else "Elsewhere Ltd",
            job_role=JobRole.CARE_WORKER,
            hours_per_week=Decimal("20"),
            contract_type=ContractType.BANK,
            start_date=day,
            confirmed_at=timezone.now(),
        )

    march = start(provider_a, dt.date(2027, 3, 8), "Amira")
    april = start(provider_a, dt.date(2027, 4, 2), "Bilal")
    other = start(provider_b, dt.date(2027, 3, 20), "Chen")
    elsewhere = start(None, dt.date(2027, 3, 1), "Dora")
    everything = JobStart.objects.all()
    assert list(job_start_list(starts=everything)) == [april, other, march, elsewhere]
    assert list(job_start_list(starts=everything, month=dt.date(2027, 3, 1))) == [other, march, elsewhere]
    assert list(job_start_list(starts=everything, provider_id=provider_a.pk)) == [april, march]
    assert list(job_start_list(starts=everything, search="bil")) == [april]
