"""The daily DBS reminder sweep: what is due on which day, to whom, and never twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, Consent, ConsentKind, DbsCheck, DbsPolicy, DbsReminder, DbsShare
from candidates.services.dbs_reminders import dbs_reminders_sweep
from candidates.tasks import dbs_reminders_sweep_task
from providers.models import Provider
from tests.candidates.factories_dbs_reminders import (
    DbsCheckFactory,
    Sweeper,
    cleared_check,
    eight_am,
    sent_to,
    share,
    submitted_check,
)
from tests.factories import CandidateFactory, ProviderFactory

pytestmark = pytest.mark.django_db

Kind = DbsReminder.Kind
Recipient = DbsReminder.Recipient
Status = DbsReminder.Status
START = date(2026, 3, 2)


@pytest.fixture
def sweep(time_machine, django_capture_on_commit_callbacks) -> Sweeper:
    return Sweeper(time_machine, django_capture_on_commit_callbacks)


@pytest.fixture
def owned(candidate: Candidate, staff: User) -> Candidate:
    """The learner persona's record, owned by the staff persona."""
    candidate.owner = staff
    candidate.save(update_fields=["owner"])
    return candidate


def reminders() -> list[tuple[str, str, date, str]]:
    return sorted(DbsReminder.objects.values_list("kind", "recipient", "due_on", "status"))


def test_learner_is_chased_once_when_the_application_is_not_finished(sweep, owned) -> None:
    DbsCheckFactory.create(candidate=owned, started_on=START)

    sweep(START + timedelta(days=4))
    assert reminders() == []

    sweep(START + timedelta(days=5))
    sweep(START + timedelta(days=5))  # the same day again: nothing more
    sweep(START + timedelta(days=6))  # and later days: still nothing more

    assert reminders() == [(Kind.APPLICATION_INCOMPLETE, Recipient.LEARNER, START + timedelta(days=5), Status.SENT)]
    assert sent_to(mail.outbox) == [("learner@example.org", "Please finish your DBS application")]


def test_id_verified_is_still_an_unfinished_application(sweep, owned) -> None:
    DbsCheckFactory.create(candidate=owned, started_on=START, status=DbsCheck.Status.ID_VERIFIED, id_verified_on=START)
    sweep(START + timedelta(days=5))
    assert [r[0] for r in reminders()] == [Kind.APPLICATION_INCOMPLETE]


def test_certificate_chases_go_to_the_learner_then_also_to_the_owner(sweep, owned) -> None:
    submitted_check(owned, on=START)

    for offset in range(0, 40):
        sweep(START + timedelta(days=offset))

    assert reminders() == [
        (Kind.CERTIFICATE_FIRST_CHASE, Recipient.LEARNER, START + timedelta(days=14), Status.SENT),
        (Kind.CERTIFICATE_SECOND_CHASE, Recipient.LEARNER, START + timedelta(days=28), Status.SENT),
        (Kind.CERTIFICATE_SECOND_CHASE, Recipient.STAFF, START + timedelta(days=28), Status.SENT),
    ]
    assert sent_to(mail.outbox) == [
        ("learner@example.org", "Has your DBS certificate arrived?"),
        ("learner@example.org", "Your DBS certificate: we are chasing it"),
        ("staff@example.org", "DBS certificate overdue: Lena Learner"),
    ]


def test_a_late_sweep_sends_the_second_chase_without_the_first(sweep, owned) -> None:
    submitted_check(owned, on=START)
    sweep(START + timedelta(days=30))
    assert {(r[0], r[1]) for r in reminders()} == {
        (Kind.CERTIFICATE_SECOND_CHASE, Recipient.LEARNER),
        (Kind.CERTIFICATE_SECOND_CHASE, Recipient.STAFF),
    }


def test_no_chase_once_the_certificate_is_issued(sweep, owned) -> None:
    submitted_check(owned, on=START, status=DbsCheck.Status.CERTIFICATE_ISSUED, certificate_issued_on=START)
    sweep(START + timedelta(days=30))
    assert reminders() == []


def test_a_reminder_without_an_address_is_recorded_as_not_sent(sweep, walk_in: Candidate) -> None:
    """Nobody owns the walk-in's record: the staff chase is kept in the history with the reason."""
    submitted_check(walk_in, on=START)
    sweep(START + timedelta(days=28))

    staff_reminder = DbsReminder.objects.get(recipient=Recipient.STAFF)
    assert staff_reminder.status == Status.SKIPPED
    assert staff_reminder.last_error == "Nobody with an active account owns this record."
    assert sent_to(mail.outbox) == [("wendy@example.org", "Your DBS certificate: we are chasing it")]


def test_an_inactive_owner_is_not_emailed(sweep, owned, staff: User) -> None:
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    submitted_check(owned, on=START)
    sweep(START + timedelta(days=28))
    assert DbsReminder.objects.get(recipient=Recipient.STAFF).status == Status.SKIPPED


def test_the_learner_is_reached_through_their_account_when_the_record_has_no_email(sweep, owned) -> None:
    Candidate.objects.filter(pk=owned.pk).update(email="")
    DbsCheckFactory.create(candidate=owned, started_on=START)
    sweep(START + timedelta(days=5))
    assert sent_to(mail.outbox) == [("learner@example.org", "Please finish your DBS application")]


def test_only_the_current_check_is_chased(sweep, owned) -> None:
    """An older check left at "submitted" is history once a newer one exists."""
    submitted_check(owned, on=START - timedelta(days=60), started_on=START - timedelta(days=60))
    DbsCheckFactory.create(candidate=owned, started_on=START, status=DbsCheck.Status.NOT_STARTED)
    sweep(START + timedelta(days=5))
    assert [r[0] for r in reminders()] == [Kind.APPLICATION_INCOMPLETE]


def test_anonymised_and_merged_records_are_not_chased(sweep, walk_in: Candidate) -> None:
    survivor = CandidateFactory.create()
    merged = CandidateFactory.create()
    Candidate.objects.filter(pk=merged.pk).update(merged_into=survivor)
    Candidate.objects.filter(pk=walk_in.pk).update(anonymised_at=timezone.now())
    submitted_check(walk_in, on=START)
    submitted_check(merged, on=START)
    sweep(START + timedelta(days=28))
    assert reminders() == []


def test_update_service_renewal_reminds_learner_and_owner_30_days_before(sweep, owned) -> None:
    renewal = date(2026, 6, 30)
    cleared_check(
        owned,
        decided_on=date(2025, 7, 1),
        decided_by=None,
        update_service_id="C0123456789",
        update_service_subscribed_on=date(2025, 6, 30),
        update_service_renewal_due_on=renewal,
    )
    sweep(renewal - timedelta(days=31))
    assert reminders() == []
    sweep(renewal - timedelta(days=30))
    assert {(r[0], r[1], r[2]) for r in reminders()} == {
        (Kind.UPDATE_SERVICE_RENEWAL, Recipient.LEARNER, renewal - timedelta(days=30)),
        (Kind.UPDATE_SERVICE_RENEWAL, Recipient.STAFF, renewal - timedelta(days=30)),
    }
    assert {to for to, _ in sent_to(mail.outbox)} == {"learner@example.org", "staff@example.org"}


def test_next_years_renewal_is_reminded_again(sweep, owned) -> None:
    check = cleared_check(
        owned,
        decided_on=date(2025, 7, 1),
        decided_by=None,
        update_service_id="C0123456789",
        update_service_subscribed_on=date(2025, 6, 30),
        update_service_renewal_due_on=date(2026, 6, 30),
    )
    sweep(date(2026, 6, 1))
    check.update_service_subscribed_on, check.update_service_renewal_due_on = date(2026, 6, 20), date(2027, 6, 20)
    check.save()
    sweep(date(2026, 6, 25))
    assert DbsReminder.objects.filter(recipient=Recipient.LEARNER).count() == 1
    sweep(date(2027, 5, 21))
    assert sorted(DbsReminder.objects.filter(recipient=Recipient.LEARNER).values_list("due_on", flat=True)) == [
        date(2026, 5, 31),
        date(2027, 5, 21),
    ]


def test_no_renewal_reminder_for_a_lapsed_or_missing_subscription(sweep, owned, other_candidate) -> None:
    cleared_check(owned, decided_on=date(2025, 7, 1), decided_by=None, update_service_renewal_due_on=date(2026, 6, 1))
    cleared_check(
        other_candidate,
        decided_on=date(2025, 7, 1),
        decided_by=None,
        update_service_id="C0123456789",
        update_service_renewal_due_on=date(2026, 5, 31),
    )
    sweep(date(2026, 6, 1))  # the first has no subscription ID; the second lapsed yesterday
    assert reminders() == []


def test_recheck_reminds_the_owner_and_each_provider_the_outcome_is_shared_with(sweep, owned, staff) -> None:
    provider_b = ProviderFactory.create(name="Second Provider", contact_email="dbs@second.example.org")
    provider_a = ProviderFactory.create(name="First Provider", contact_email="dbs@first.example.org")
    check = cleared_check(owned, decided_on=date(2023, 5, 1), decided_by=staff, recheck_due_on=date(2026, 5, 1))
    share(check, provider_a)
    share(check, provider_b)

    sweep(date(2026, 3, 1))
    assert reminders() == []
    sweep(date(2026, 3, 2))  # 60 days before
    sweep(date(2026, 3, 3))

    assert {(r.recipient, r.recipient_email, r.due_on) for r in DbsReminder.objects.all()} == {
        (Recipient.STAFF, "staff@example.org", date(2026, 3, 2)),
        (Recipient.PROVIDER, "dbs@first.example.org", date(2026, 3, 2)),
        (Recipient.PROVIDER, "dbs@second.example.org", date(2026, 3, 2)),
    }
    assert sorted(to for to, _ in sent_to(mail.outbox)) == [
        "dbs@first.example.org",
        "dbs@second.example.org",
        "staff@example.org",
    ]


def test_providers_hear_nothing_without_an_active_share_and_consent(sweep, owned, staff, other_candidate) -> None:
    stopped, inactive, unconsented = (
        ProviderFactory.create(contact_email="a@example.org"),
        ProviderFactory.create(contact_email="b@example.org", is_active=False),
        ProviderFactory.create(contact_email="c@example.org"),
    )
    check = cleared_check(owned, decided_on=date(2023, 5, 1), decided_by=staff, recheck_due_on=date(2026, 5, 1))
    DbsShare.objects.filter(pk=share(check, stopped).pk).update(revoked_at=timezone.now())
    share(check, inactive)
    other = cleared_check(
        other_candidate, decided_on=date(2023, 5, 1), decided_by=staff, recheck_due_on=date(2026, 5, 1)
    )
    share(other, unconsented)
    Consent.objects.create(candidate=other_candidate, kind=ConsentKind.SHARE_WITH_PROVIDERS, granted=False)

    sweep(date(2026, 3, 2))
    assert not DbsReminder.objects.filter(recipient=Recipient.PROVIDER).exists()


def test_changing_the_policy_does_not_send_the_same_reminder_again(sweep, owned, manager) -> None:
    DbsCheckFactory.create(candidate=owned, started_on=START)
    sweep(START + timedelta(days=5))
    DbsPolicy.objects.filter(pk=1).update(chase_application_days=7)
    sweep(START + timedelta(days=7))
    sweep(START + timedelta(days=8))
    assert len(reminders()) == 1
    assert len(mail.outbox) == 1


def test_dry_run_lists_what_is_due_and_changes_nothing(sweep, owned, walk_in) -> None:
    DbsCheckFactory.create(candidate=owned, started_on=START)
    submitted_check(walk_in, on=START - timedelta(days=23))

    result = sweep(START + timedelta(days=5), dry_run=True)

    assert DbsReminder.objects.count() == 0
    assert mail.outbox == []
    assert [(line.kind, line.recipient, line.email, line.status) for line in result.planned] == [
        ("Application not completed", "Learner", "learner@example.org", Status.PENDING),
        ("No certificate yet (second chase)", "Learner", "wendy@example.org", Status.PENDING),
        ("No certificate yet (second chase)", "Owning staff member", "", Status.SKIPPED),
    ]
    assert (result.queued_new, result.queued_earlier, result.created_ids) == (2, 0, [])


def test_sweep_reports_what_it_created_and_queued(sweep, owned) -> None:
    DbsCheckFactory.create(candidate=owned, started_on=START)
    result = sweep(START + timedelta(days=5))
    assert result.created_ids == list(DbsReminder.objects.values_list("pk", flat=True))
    assert (result.queued_new, result.queued_earlier, result.released) == (1, 0, 0)


def _due_checks(count: int, owner: User, provider: Provider) -> None:
    """`count` checks due for each kind of reminder, every recipient present."""
    for _ in range(count):
        person = CandidateFactory.create(owner=owner)
        DbsCheckFactory.create(candidate=person, started_on=START)
        submitted_check(CandidateFactory.create(owner=owner), on=START - timedelta(days=9))  # first chase
        submitted_check(CandidateFactory.create(owner=owner), on=START - timedelta(days=23))  # second chase
        cleared_check(
            CandidateFactory.create(owner=owner),
            decided_on=date(2023, 4, 1),
            decided_by=owner,
            update_service_id="C0123456789",
            update_service_renewal_due_on=START + timedelta(days=20),
            recheck_due_on=START + timedelta(days=30),
        )
        share(DbsCheck.objects.latest("created_at"), provider)


@pytest.mark.parametrize("count", [2, 20])
def test_the_sweep_makes_the_same_queries_however_many_checks_are_due(
    count: int, staff: User, django_assert_num_queries, time_machine
) -> None:
    _due_checks(count, staff, ProviderFactory.create(contact_email="dbs@provider.example.org"))
    # The policies (academies with their own, then the portal's); a savepoint around: releasing stuck
    # claims, 8 INSERT ... SELECT (each kind and recipient) per policy, reading what to send.
    with django_assert_num_queries(14):
        result = dbs_reminders_sweep(today=START + timedelta(days=5))
    assert len(result.created_ids) == count * 8


def test_the_daily_task_sweeps_as_of_today(owned, time_machine, django_capture_on_commit_callbacks) -> None:
    DbsCheckFactory.create(candidate=owned, started_on=START)
    time_machine.move_to(eight_am(START + timedelta(days=5)), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert dbs_reminders_sweep_task.delay().get() == 1
    assert sent_to(mail.outbox) == [("learner@example.org", "Please finish your DBS application")]
