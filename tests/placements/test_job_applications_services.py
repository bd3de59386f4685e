"""Job applications: applying, refusals, consent, referrals, the table of moves and the guaranteed interview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate
from courses.models import Enrolment, EnrolmentStatusChange
from courses.services.history import enrolment_history_record
from placements.models import Cv, Interview, InterviewDue, JobApplication, JobApplicationStatusChange, Vacancy
from placements.services.job_applications import (
    TRANSITIONS,
    interview_due_meet,
    interviews_due_backfill,
    job_application_move,
    job_application_withdraw,
    job_apply,
    job_refer,
    job_referral_agree,
    job_referral_decline,
)
from providers.models import Provider
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory
from tests.placements.factories_applications import JobApplicationFactory, PublishedVacancyFactory

pytestmark = pytest.mark.django_db

Status = JobApplication.Status
Reason = JobApplication.NotProgressedReason


def history(application: JobApplication) -> list[tuple[str, str]]:
    return list(
        JobApplicationStatusChange.objects.filter(application=application)
        .order_by("changed_at", "pk")
        .values_list("from_status", "to_status")
    )


def test_apply_records_consent_history_audit_and_emails_provider_and_learner(
    candidate: Candidate, learner: User, provider_user: User, provider_a: Provider, django_capture_on_commit_callbacks
) -> None:
    vacancy = PublishedVacancyFactory.create(provider=provider_a, title="Home care worker")
    Cv.objects.create(candidate=candidate, personal_statement="Kind and reliable.")
    with django_capture_on_commit_callbacks(execute=True):
        application = job_apply(
            vacancy=vacancy,
            candidate=candidate,
            actor=learner,
            supporting_statement="  I looked after my nan.  ",
            attach_cv=True,
            folder_release_consented=True,
        )
    assert application.status == Status.APPLIED
    assert application.route == JobApplication.Route.APPLIED
    assert application.consented_at is not None
    assert application.cv_attached and application.folder_release_consented
    assert application.supporting_statement == "I looked after my nan."
    assert history(application) == [("", Status.APPLIED)]
    assert AuditEntry.objects.filter(action="job_application.apply", actor=learner).exists()
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert by_recipient[(provider_user.email,)].subject == "New applicant for Home care worker"
    assert "/provider/applicants/" in by_recipient[(provider_user.email,)].body
    assert by_recipient[(candidate.email,)].subject == "Your application for Home care worker has been sent"


def test_attaching_a_cv_needs_a_cv(candidate: Candidate, learner: User) -> None:
    with pytest.raises(ValidationError) as exc:
        job_apply(vacancy=PublishedVacancyFactory.create(), candidate=candidate, actor=learner, attach_cv=True)
    assert "no CV" in str(exc.value)
    assert not JobApplication.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Vacancy.Status.CLOSED}, "has closed"),
        ({"status": Vacancy.Status.FILLED}, "has been filled"),
        ({"places": 1, "places_filled": 1}, "has been filled"),
        ({"status": Vacancy.Status.DRAFT}, "is not open"),
        ({"status": Vacancy.Status.SUBMITTED}, "is not open"),
    ],
)
def test_apply_refuses_a_vacancy_that_is_not_open(
    candidate: Candidate, learner: User, changes: dict[str, object], message: str
) -> None:
    vacancy = PublishedVacancyFactory.create(**changes)
    with pytest.raises(ValidationError, match=message):
        job_apply(vacancy=vacancy, candidate=candidate, actor=learner)
    assert not JobApplication.objects.exists()


def test_apply_refuses_after_the_closing_date(candidate: Candidate, learner: User) -> None:
    vacancy = PublishedVacancyFactory.create()
    Vacancy.objects.filter(pk=vacancy.pk).update(closing_date=timezone.localdate() - dt.timedelta(days=1))
    vacancy.refresh_from_db()
    with pytest.raises(ValidationError, match="has closed"):
        job_apply(vacancy=vacancy, candidate=candidate, actor=learner)


def test_ring_fenced_vacancy_takes_only_that_cohorts_completers(candidate: Candidate, learner: User) -> None:
    cohort = CohortFactory.create(name="Leeds spring")
    vacancy = PublishedVacancyFactory.create(ring_fenced_cohort=cohort)
    enrolment = EnrolmentFactory.create(cohort=cohort, candidate=candidate)  # enrolled, not completed
    with pytest.raises(ValidationError, match="only for people who completed"):
        job_apply(vacancy=vacancy, candidate=candidate, actor=learner)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.save()
    assert job_apply(vacancy=vacancy, candidate=candidate, actor=learner).status == Status.APPLIED


def test_second_live_application_is_refused_but_a_withdrawn_one_can_be_made_again(
    candidate: Candidate, learner: User
) -> None:
    vacancy = PublishedVacancyFactory.create()
    first = job_apply(vacancy=vacancy, candidate=candidate, actor=learner)
    with pytest.raises(ValidationError, match="already an application"):
        job_apply(vacancy=vacancy, candidate=candidate, actor=learner)
    job_application_withdraw(application=first, actor=learner)
    again = job_apply(vacancy=vacancy, candidate=candidate, actor=learner)
    assert again.pk != first.pk
    assert JobApplication.objects.filter(vacancy=vacancy, candidate=candidate).count() == 2


def test_referral_waits_for_the_learner_and_the_provider_hears_only_when_they_agree(
    candidate: Candidate,
    learner: User,
    staff: User,
    provider_user: User,
    provider_a: Provider,
    django_capture_on_commit_callbacks,
) -> None:
    vacancy = PublishedVacancyFactory.create(provider=provider_a, title="Support worker")
    with django_capture_on_commit_callbacks(execute=True):
        referral = job_refer(vacancy=vacancy, candidate=candidate, actor=staff, note="You said you love days out.")
    assert referral.status == Status.AWAITING_CONSENT
    assert referral.consented_at is None and referral.referred_by == staff
    assert [m.to for m in mail.outbox] == [[candidate.email]]
    assert "You said you love days out." in mail.outbox[0].body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        agreed = job_referral_agree(application=referral, actor=learner, folder_release_consented=True)
    assert agreed.status == Status.REFERRED
    assert agreed.consented_at is not None and agreed.folder_release_consented
    assert history(agreed) == [("", Status.AWAITING_CONSENT), (Status.AWAITING_CONSENT, Status.REFERRED)]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([candidate.email, provider_user.email])


def test_declined_referral_is_withdrawn_and_never_reaches_the_provider(
    candidate: Candidate,
    learner: User,
    staff: User,
    provider_user: User,
    provider_a: Provider,
    django_capture_on_commit_callbacks,
) -> None:
    referral = job_refer(
        vacancy=PublishedVacancyFactory.create(provider=provider_a), candidate=candidate, actor=staff, note="A match."
    )
    with django_capture_on_commit_callbacks(execute=True):
        declined = job_referral_decline(application=referral, actor=learner)
    assert declined.status == Status.WITHDRAWN
    assert declined.consented_at is None
    assert provider_user.email not in [m.to[0] for m in mail.outbox]
    with pytest.raises(ValidationError, match="nothing to agree to"):
        job_referral_agree(application=declined, actor=learner)


def test_referral_needs_a_note(candidate: Candidate, staff: User) -> None:
    with pytest.raises(ValidationError) as exc:
        job_refer(vacancy=PublishedVacancyFactory.create(), candidate=candidate, actor=staff, note="  ")
    assert "note" in exc.value.error_dict
    assert not JobApplication.objects.exists()


def test_the_whole_path_to_started_is_allowed_and_stamps_offer_and_acceptance(staff: User) -> None:
    application = JobApplicationFactory.create()
    for status in (Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED, Status.ACCEPTED, Status.STARTED):
        application = job_application_move(application, status, actor=staff)
    assert application.status == Status.STARTED
    assert application.offered_at is not None and application.accepted_at is not None
    assert [to for _, to in history(application)] == [
        Status.SHORTLISTED,
        Status.INTERVIEW,
        Status.OFFERED,
        Status.ACCEPTED,
        Status.STARTED,
    ]
    assert AuditEntry.objects.filter(action="job_application.started").count() == 1


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.APPLIED, Status.ACCEPTED),
        (Status.APPLIED, Status.STARTED),
        (Status.AWAITING_CONSENT, Status.SHORTLISTED),
        (Status.NOT_PROGRESSED, Status.SHORTLISTED),
        (Status.WITHDRAWN, Status.APPLIED),
        (Status.STARTED, Status.WITHDRAWN),
        (Status.SHORTLISTED, Status.SHORTLISTED),
    ],
)
def test_moves_outside_the_table_are_refused(staff: User, start: str, to: str) -> None:
    assert to not in TRANSITIONS.get(start, ())
    application = JobApplicationFactory.create(status=start)
    with pytest.raises(ValidationError, match="cannot be moved to"):
        job_application_move(application, to, actor=staff)
    application.refresh_from_db()
    assert application.status == start
    assert not JobApplicationStatusChange.objects.exists()


def test_not_progressed_needs_a_reason_and_other_needs_words(
    provider_user: User, candidate: Candidate, django_capture_on_commit_callbacks
) -> None:
    application = JobApplicationFactory.create(candidate=candidate)
    with pytest.raises(ValidationError) as exc:
        job_application_move(application, Status.NOT_PROGRESSED, actor=provider_user)
    assert "not_progressed_reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        job_application_move(
            application, Status.NOT_PROGRESSED, actor=provider_user, not_progressed_reason=Reason.OTHER
        )
    assert "reason" in exc.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        moved = job_application_move(
            application,
            Status.NOT_PROGRESSED,
            actor=provider_user,
            not_progressed_reason=Reason.OTHER,
            reason="We need someone who can drive.",
        )
    assert moved.not_progressed_reason == Reason.OTHER
    change = moved.status_changes.get()
    assert change.reason == "Other reason: We need someone who can drive."
    assert change.changed_by == provider_user
    assert mail.outbox[0].to == [candidate.email]
    assert "We need someone who can drive." in mail.outbox[0].body


def test_shortlisting_emails_the_learner(staff: User, candidate: Candidate, django_capture_on_commit_callbacks) -> None:
    application = JobApplicationFactory.create(candidate=candidate, vacancy__title="Night carer")
    with django_capture_on_commit_callbacks(execute=True):
        job_application_move(application, Status.SHORTLISTED, actor=staff)
    assert [m.subject for m in mail.outbox] == ["You have been shortlisted for Night carer"]


def test_withdrawing_tells_the_provider(
    candidate: Candidate, learner: User, provider_user: User, provider_a: Provider, django_capture_on_commit_callbacks
) -> None:
    application = JobApplicationFactory.create(candidate=candidate, vacancy__provider=provider_a)
    with django_capture_on_commit_callbacks(execute=True):
        job_application_withdraw(application=application, actor=learner)
    assert provider_user.email in [m.to[0] for m in mail.outbox]


# --- guaranteed interview ---


def complete(enrolment: Enrolment, *, on: dt.datetime | None = None) -> EnrolmentStatusChange:
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.ended_at = on or timezone.now()
    enrolment.save()
    return enrolment_history_record(enrolment=enrolment, from_status=Enrolment.Status.ENROLLED, actor=None, at=on)


def test_completing_a_guaranteed_interview_course_creates_one_interview_due_once(candidate: Candidate) -> None:
    cohort = CohortFactory.create(course__guaranteed_interview=True)
    enrolment = EnrolmentFactory.create(cohort=cohort, candidate=candidate)
    when = timezone.now() - dt.timedelta(days=3)
    complete(enrolment, on=when)
    due = InterviewDue.objects.get()
    assert due.candidate == candidate and due.enrolment == enrolment
    assert due.due_since == timezone.localdate(when)
    # A second completion record (e.g. a correction) does not make a second item.
    enrolment_history_record(enrolment=enrolment, from_status=Enrolment.Status.COMPLETED, actor=None)
    assert interviews_due_backfill() == 0
    assert InterviewDue.objects.count() == 1


def test_no_interview_due_without_the_promise_or_without_completing(candidate: Candidate) -> None:
    plain = EnrolmentFactory.create(
        cohort=CohortFactory.create(course__guaranteed_interview=False), candidate=candidate
    )
    complete(plain)
    promised = EnrolmentFactory.create(cohort=CohortFactory.create(course__guaranteed_interview=True))
    promised.status = Enrolment.Status.WITHDRAWN
    promised.save()
    enrolment_history_record(enrolment=promised, from_status=Enrolment.Status.ENROLLED, actor=None)
    assert not InterviewDue.objects.exists()


def test_backfill_command_creates_the_missing_items(candidate: Candidate, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = CohortFactory.create(course__guaranteed_interview=True)
    # Completed without a status-change row (as older data was written), so no receiver ran.
    EnrolmentFactory.create(
        cohort=cohort, candidate=candidate, status=Enrolment.Status.COMPLETED, ended_at=timezone.now()
    )
    call_command("interviews_due_backfill")
    assert "1 interview-due item created." in capsys.readouterr().out
    call_command("interviews_due_backfill")
    assert "0 interview-due items created." in capsys.readouterr().out
    assert InterviewDue.objects.filter(candidate=candidate).count() == 1


def test_interview_due_meet_marks_the_oldest_owed_once(candidate: Candidate) -> None:
    older = EnrolmentFactory.create(cohort=CohortFactory.create(course__guaranteed_interview=True), candidate=candidate)
    newer = EnrolmentFactory.create(cohort=CohortFactory.create(course__guaranteed_interview=True), candidate=candidate)
    complete(older, on=timezone.now() - dt.timedelta(days=30))
    complete(newer, on=timezone.now() - dt.timedelta(days=2))
    application = JobApplicationFactory.create(candidate=candidate)
    interview = Interview.objects.create(application=application, starts_at=timezone.now() + dt.timedelta(days=2))
    met = interview_due_meet(candidate, interview)
    assert met is not None and met.enrolment == older
    assert met.met_by == interview and met.met_at is not None
    assert interview_due_meet(candidate, interview) is None  # the same interview meets one guarantee
    assert InterviewDue.objects.filter(met_at__isnull=True).get().enrolment == newer
    assert interview_due_meet(CandidateFactory.create(), interview) is None


def test_a_live_application_made_at_the_same_moment_is_refused_in_words(
    candidate: Candidate, learner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The constraint is the last guard when the vacancy lock is not enough (two requests, SQLite)."""
    vacancy = PublishedVacancyFactory.create()
    JobApplicationFactory.create(vacancy=vacancy, candidate=candidate)
    monkeypatch.setattr("placements.services.job_applications.vacancy_application_problem", lambda **kwargs: "")
    with pytest.raises(ValidationError, match="already an application"):
        job_apply(vacancy=vacancy, candidate=candidate, actor=learner)
    assert JobApplication.objects.filter(vacancy=vacancy).count() == 1


def test_notify_false_writes_history_and_audit_but_no_email(
    staff: User, candidate: Candidate, django_capture_on_commit_callbacks
) -> None:
    application = JobApplicationFactory.create(candidate=candidate, status=Status.OFFERED)
    with django_capture_on_commit_callbacks(execute=True):
        job_application_move(
            application,
            Status.NOT_PROGRESSED,
            actor=staff,
            not_progressed_reason=Reason.OFFER_DECLINED,
            notify=False,
        )
    assert mail.outbox == []
    assert history(application) == [(Status.OFFERED, Status.NOT_PROGRESSED)]
    assert AuditEntry.objects.filter(action="job_application.not_progressed").exists()
