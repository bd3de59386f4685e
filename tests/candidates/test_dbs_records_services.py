"""DBS check services: starting a check, each step's order and dates, the Update Service, the policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from academy.models import AuditEntry, Role, User
from candidates.models import Candidate, DbsCheck, DbsPolicy, DbsStatusCheck
from candidates.services import dbs
from candidates.services.dbs_common import add_months
from candidates.services.dbs_policy import dbs_policy_update
from candidates.services.dbs_update_service import dbs_status_check_record, dbs_update_service_save
from tests.candidates.factories_dbs_records import TODAY, DbsCheckFactory, at_status
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = DbsCheck.Status


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def audit_actions(check: DbsCheck) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(check.pk)).order_by("pk").values_list("action", flat=True))


# --- add_months ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 5, 13), 36, date(2029, 5, 13)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -6, date(2025, 7, 15)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# --- start --------------------------------------------------------------------------------------


def test_start_a_check(walk_in: Candidate, staff: User) -> None:
    check = dbs.dbs_check_start(
        candidate=walk_in,
        actor=staff,
        level=DbsCheck.Level.ENHANCED_ADULTS,
        workforce=DbsCheck.Workforce.ADULT,
        paid_by=DbsCheck.PaidBy.ACADEMY,
        started_on=TODAY,
        today=TODAY,
    )
    assert check.status == Status.NOT_STARTED
    assert check.started_on == TODAY
    entry = AuditEntry.objects.get(action="dbs.start")
    assert entry.actor == staff
    assert entry.data["candidate"] == str(walk_in.public_id)


def _start(candidate: Candidate, staff: User, **overrides: object) -> DbsCheck:
    kwargs: dict[str, object] = {
        "level": DbsCheck.Level.ENHANCED_ADULTS,
        "workforce": DbsCheck.Workforce.ADULT,
        "paid_by": DbsCheck.PaidBy.ACADEMY,
        "started_on": TODAY,
        "today": TODAY,
    }
    kwargs.update(overrides)
    return dbs.dbs_check_start(candidate=candidate, actor=staff, **kwargs)  # type: ignore[arg-type]


def test_only_one_check_in_progress_at_a_time(walk_in: Candidate, staff: User) -> None:
    at_status(Status.SUBMITTED, candidate=walk_in)
    with pytest.raises(ValidationError, match="already has a DBS check in progress"):
        _start(walk_in, staff)


def test_a_new_check_after_a_finished_one_becomes_current(walk_in: Candidate, staff: User) -> None:
    old = at_status(Status.CLEARED, candidate=walk_in, started_on=TODAY - timedelta(days=1200), staff=staff)
    new = _start(walk_in, staff)
    assert list(walk_in.dbs_checks.order_by("-started_on")) == [new, old]


def test_start_date_rules(walk_in: Candidate, staff: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _start(walk_in, staff, started_on=TODAY + timedelta(days=1))
    assert errors_of(excinfo) == {"started_on": ["The start date must be today or in the past"]}
    at_status(Status.WITHDRAWN, candidate=walk_in, started_on=TODAY - timedelta(days=10))
    with pytest.raises(ValidationError) as excinfo:
        _start(walk_in, staff, started_on=TODAY - timedelta(days=11))
    assert errors_of(excinfo)["started_on"][0].startswith(
        "The start date must be on or after the start of their previous check"
    )


def test_start_rejects_an_unknown_level(walk_in: Candidate, staff: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _start(walk_in, staff, level="platinum")
    assert "level" in errors_of(excinfo)


# --- the steps ----------------------------------------------------------------------------------


def test_every_step_from_id_verification_to_a_decision_after_a_disclosure(staff: User, manager: User) -> None:
    check = DbsCheckFactory.create(started_on=TODAY - timedelta(days=40))
    day = TODAY - timedelta(days=39)
    check = dbs.dbs_check_verify_id(check=check, actor=staff, id_verified_on=day, today=TODAY)
    check = dbs.dbs_check_submit(
        check=check, actor=staff, submitted_on=day, application_reference=" E000 1234567 ", today=TODAY
    )
    assert check.application_reference == "E000 1234567"
    check = dbs.dbs_check_certificate_issued(
        check=check,
        actor=staff,
        certificate_number="0012 3456 7890",
        certificate_issued_on=TODAY - timedelta(days=10),
        today=TODAY,
    )
    assert check.certificate_number == "001234567890"
    check = dbs.dbs_check_original_seen(check=check, actor=staff)
    assert check.original_seen_by == staff
    assert check.original_seen_at is not None
    check = dbs.dbs_check_disclose(check=check, actor=staff, disclosure_notes="A caution from 2009.")
    check = dbs.dbs_check_risk_assess(check=check, actor=staff, risk_assessment="Low risk, discussed.", today=TODAY)
    assert "A caution from 2009." in check.disclosure_notes
    assert "Risk assessment (13 May 2026" in check.disclosure_notes
    check = dbs.dbs_check_decide(
        check=check,
        actor=staff,
        decision=DbsCheck.Decision.SUITABLE,
        decision_on=TODAY,
        decision_by=manager,
        today=TODAY,
    )
    check.refresh_from_db()
    assert check.status == Status.DECISION_MADE
    assert check.decision_by == manager
    assert check.recheck_due_on == date(2029, 5, 13)  # the policy's 36 months
    assert audit_actions(check) == [
        "dbs.id_verified",
        "dbs.submitted",
        "dbs.certificate_issued",
        "dbs.original_seen",
        "dbs.disclosed",
        "dbs.risk_assessment",
        "dbs.decision",
    ]


def test_the_audit_log_never_holds_certificate_details(staff: User) -> None:
    check = at_status(Status.SUBMITTED)
    dbs.dbs_check_certificate_issued(
        check=check, actor=staff, certificate_number="998877665544", certificate_issued_on=TODAY, today=TODAY
    )
    dbs.dbs_check_original_seen(check=check, actor=staff)
    dbs.dbs_check_disclose(check=check, actor=staff, disclosure_notes="Secret conviction text")
    logged = str(list(AuditEntry.objects.values_list("data", flat=True)))
    assert "998877665544" not in logged
    assert "Secret conviction text" not in logged
    assert "E0001234567" not in logged


def test_cleared_sets_the_decision_and_the_recheck_from_the_policy(staff: User) -> None:
    DbsPolicy.objects.filter(pk=1).update(recheck_interval_months=12)
    check = at_status(Status.CERTIFICATE_ISSUED, original_seen_by=staff, original_seen_at=None)
    dbs.dbs_check_original_seen(check=check, actor=staff)
    check = dbs.dbs_check_clear(check=check, actor=staff, decision_on=TODAY, today=TODAY)
    assert (check.status, check.decision, check.decision_by, check.decision_on) == (
        Status.CLEARED,
        DbsCheck.Decision.SUITABLE,
        staff,
        TODAY,
    )
    assert check.recheck_due_on == date(2027, 5, 13)


def test_not_suitable_has_no_recheck(staff: User) -> None:
    check = at_status(Status.RISK_ASSESSMENT, staff=staff)
    check = dbs.dbs_check_decide(
        check=check,
        actor=staff,
        decision=DbsCheck.Decision.NOT_SUITABLE,
        decision_on=TODAY,
        decision_by=staff,
        today=TODAY,
    )
    assert check.recheck_due_on is None


@pytest.mark.parametrize(
    ("status", "service", "kwargs"),
    [
        (Status.NOT_STARTED, dbs.dbs_check_submit, {"submitted_on": TODAY, "application_reference": "E1"}),
        (Status.ID_VERIFIED, dbs.dbs_check_verify_id, {"id_verified_on": TODAY}),
        (Status.SUBMITTED, dbs.dbs_check_clear, {"decision_on": TODAY}),
        (Status.CERTIFICATE_ISSUED, dbs.dbs_check_risk_assess, {"risk_assessment": "x"}),
        (Status.DISCLOSED, dbs.dbs_check_decide, {}),
        (Status.CLEARED, dbs.dbs_check_withdraw, {"withdrawn_on": TODAY}),
        (Status.WITHDRAWN, dbs.dbs_check_verify_id, {"id_verified_on": TODAY}),
    ],
)
def test_steps_must_come_in_order(status: str, service, kwargs: dict, staff: User) -> None:
    check = at_status(status, staff=staff)
    if service is dbs.dbs_check_decide:
        kwargs = {"decision": "suitable", "decision_on": TODAY, "decision_by": staff}
    with pytest.raises(ValidationError, match=r"You cannot record .* now: this check is at"):
        service(check=check, actor=staff, **kwargs)


def test_step_dates_cannot_be_in_the_future_or_before_the_step_before(staff: User) -> None:
    check = at_status(Status.NOT_STARTED, started_on=TODAY - timedelta(days=5))
    with pytest.raises(ValidationError) as excinfo:
        dbs.dbs_check_verify_id(check=check, actor=staff, id_verified_on=TODAY + timedelta(days=1), today=TODAY)
    assert errors_of(excinfo) == {"id_verified_on": ["The date ID was verified must be today or in the past"]}
    with pytest.raises(ValidationError) as excinfo:
        dbs.dbs_check_verify_id(check=check, actor=staff, id_verified_on=TODAY - timedelta(days=6), today=TODAY)
    assert errors_of(excinfo) == {
        "id_verified_on": ["The date ID was verified must be on or after the date the check started (8 May 2026)"]
    }


def test_certificate_step_names_both_bad_fields(staff: User) -> None:
    check = at_status(Status.SUBMITTED, started_on=TODAY - timedelta(days=5))  # submitted 10 May
    with pytest.raises(ValidationError) as excinfo:
        dbs.dbs_check_certificate_issued(
            check=check,
            actor=staff,
            certificate_number="12345",
            certificate_issued_on=TODAY - timedelta(days=4),
            today=TODAY,
        )
    assert errors_of(excinfo) == {
        "certificate_number": ["Enter the certificate number as it is on the certificate: 12 digits"],
        "certificate_issued_on": [
            "The certificate issue date must be on or after the date the application was submitted (10 May 2026)"
        ],
    }


def test_submission_needs_a_reference(staff: User) -> None:
    check = at_status(Status.ID_VERIFIED)
    with pytest.raises(ValidationError) as excinfo:
        dbs.dbs_check_submit(check=check, actor=staff, submitted_on=TODAY, application_reference="  ", today=TODAY)
    assert errors_of(excinfo) == {"application_reference": ["Enter the application reference"]}


def test_an_outcome_needs_the_original_certificate_seen_once(staff: User) -> None:
    check = at_status(Status.CERTIFICATE_ISSUED)
    with pytest.raises(ValidationError, match="seen the original certificate first"):
        dbs.dbs_check_clear(check=check, actor=staff, decision_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="seen the original certificate first"):
        dbs.dbs_check_disclose(check=check, actor=staff, disclosure_notes="x")
    dbs.dbs_check_original_seen(check=check, actor=staff)
    with pytest.raises(ValidationError, match="already recorded seeing"):
        dbs.dbs_check_original_seen(check=check, actor=staff)


def test_the_decision_is_made_by_academy_staff(staff: User) -> None:
    check = at_status(Status.RISK_ASSESSMENT, staff=staff)
    provider_person = UserFactory.create(role=Role.PROVIDER)
    with pytest.raises(ValidationError) as excinfo:
        dbs.dbs_check_decide(
            check=check, actor=staff, decision="maybe", decision_on=TODAY, decision_by=provider_person, today=TODAY
        )
    assert set(errors_of(excinfo)) == {"decision", "decision_by"}


def test_withdraw_not_before_the_last_step(staff: User) -> None:
    check = at_status(Status.SUBMITTED, started_on=TODAY - timedelta(days=5))  # submitted 10 May
    with pytest.raises(ValidationError) as excinfo:
        dbs.dbs_check_withdraw(check=check, actor=staff, withdrawn_on=TODAY - timedelta(days=4), today=TODAY)
    assert errors_of(excinfo) == {
        "withdrawn_on": ["The date withdrawn must be on or after the last step recorded (10 May 2026)"]
    }
    check = dbs.dbs_check_withdraw(check=check, actor=staff, withdrawn_on=TODAY, today=TODAY)
    assert check.status == Status.WITHDRAWN


def test_a_step_re_reads_the_check_so_a_stale_copy_cannot_repeat_it(staff: User) -> None:
    check = at_status(Status.NOT_STARTED)
    stale = DbsCheck.objects.get(pk=check.pk)
    dbs.dbs_check_verify_id(check=check, actor=staff, id_verified_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="this check is at “ID verified”"):
        dbs.dbs_check_verify_id(check=stale, actor=staff, id_verified_on=TODAY, today=TODAY)
    assert AuditEntry.objects.filter(action="dbs.id_verified").count() == 1


@pytest.mark.parametrize(
    ("status", "seen", "expected"),
    [
        (Status.NOT_STARTED, False, ["id-verified", "withdrawn"]),
        (Status.SUBMITTED, False, ["certificate", "withdrawn"]),
        (Status.CERTIFICATE_ISSUED, False, ["original-seen", "withdrawn"]),
        (Status.CERTIFICATE_ISSUED, True, ["cleared", "disclosed", "withdrawn"]),
        (Status.DISCLOSED, True, ["risk-assessment", "withdrawn"]),
        (Status.RISK_ASSESSMENT, True, ["decision", "withdrawn"]),
        (Status.CLEARED, True, []),
        (Status.WITHDRAWN, False, []),
    ],
)
def test_steps_available(status: str, seen: bool, expected: list[str], staff: User) -> None:
    check = at_status(status, staff=staff)
    if seen and check.original_seen_at is None:
        check.original_seen_at = check.created_at
    assert [step.slug for step in dbs.dbs_steps_available(check)] == expected


# --- the policy ---------------------------------------------------------------------------------


def test_policy_update_logs_what_changed(manager: User) -> None:
    policy = dbs_policy_update(actor=manager, data={"recheck_interval_months": 24, "recheck_notice_days": 60})
    assert policy.recheck_interval_months == 24
    assert policy.updated_by == manager
    entry = AuditEntry.objects.get(action="dbs.policy_update")
    assert entry.data == {"recheck_interval_months": [36, 24]}
    dbs_policy_update(actor=manager, data={"recheck_interval_months": 24})
    assert AuditEntry.objects.filter(action="dbs.policy_update").count() == 1


def test_policy_second_chase_after_the_first(manager: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        dbs_policy_update(actor=manager, data={"chase_certificate_first_days": 20, "chase_certificate_second_days": 20})
    assert list(errors_of(excinfo)) == ["chase_certificate_second_days"]


@pytest.mark.parametrize("field", ["update_service_renewal_notice_days", "recheck_notice_days"])
@pytest.mark.parametrize("days", [0, 366, 400])
def test_policy_notice_is_one_day_to_a_year(manager: User, field: str, days: int) -> None:
    """A notice over a year would fall in the episode before, so the same renewal would be reminded twice."""
    with pytest.raises(ValidationError) as excinfo:
        dbs_policy_update(actor=manager, data={field: days})

    assert "between 1 and 365 days" in errors_of(excinfo)[field][0]
    assert getattr(DbsPolicy.current(), field) != days
    assert not AuditEntry.objects.filter(action="dbs.policy_update").exists()


@pytest.mark.parametrize("field", ["update_service_renewal_notice_days", "recheck_notice_days"])
def test_the_model_refuses_a_notice_over_a_year(field: str) -> None:
    policy = DbsPolicy.current()
    setattr(policy, field, 366)
    with pytest.raises(ValidationError) as excinfo:
        policy.full_clean()
    assert "between 1 and 365 days" in excinfo.value.message_dict[field][0]
    setattr(policy, field, 365)
    policy.full_clean()


# --- Update Service -----------------------------------------------------------------------------


def test_update_service_subscription_renews_a_year_on_and_records_consent(staff: User) -> None:
    check = at_status(Status.CLEARED, staff=staff)
    check = dbs_update_service_save(
        check=check,
        actor=staff,
        update_service_id=" c0123 456789 ",
        update_service_subscribed_on=date(2026, 4, 30),
        status_check_consent=True,
        status_check_consent_on=TODAY - timedelta(days=1),
        today=TODAY,
    )
    assert check.update_service_id == "C0123456789"
    assert check.update_service_renewal_due_on == date(2027, 4, 30)
    assert check.status_check_consent_at is not None
    assert check.status_check_consent_at.date() == TODAY - timedelta(days=1)
    entry = AuditEntry.objects.get(action="dbs.update_service")
    assert "C0123456789" not in str(entry.data)

    check = dbs_update_service_save(
        check=check,
        actor=staff,
        update_service_id="C0123456789",
        update_service_subscribed_on=date(2026, 4, 30),
        status_check_consent=False,
        today=TODAY,
    )
    assert not check.status_check_consent
    assert check.status_check_consent_at is not None  # when it was withdrawn


def test_update_service_errors_name_the_field(staff: User) -> None:
    check = at_status(Status.SUBMITTED, started_on=TODAY - timedelta(days=5))
    with pytest.raises(ValidationError) as excinfo:
        dbs_update_service_save(
            check=check,
            actor=staff,
            update_service_id="C1",
            update_service_subscribed_on=TODAY - timedelta(days=6),
            status_check_consent=True,
            today=TODAY,
        )
    assert set(errors_of(excinfo)) == {
        "update_service_id",
        "update_service_subscribed_on",
        "status_check_consent_on",
    }


def test_a_status_check_needs_a_subscription_and_consent(staff: User) -> None:
    check = at_status(Status.CLEARED, staff=staff)
    with pytest.raises(ValidationError, match="subscription first"):
        dbs_status_check_record(check=check, actor=staff, checked_on=TODAY, result="no_new_info", today=TODAY)
    DbsCheck.objects.filter(pk=check.pk).update(update_service_id="C0123456789", update_service_subscribed_on=TODAY)
    with pytest.raises(ValidationError, match="not agreed to status checks"):
        dbs_status_check_record(check=check, actor=staff, checked_on=TODAY, result="no_new_info", today=TODAY)


def test_a_status_check_with_new_information_stops_sharing(staff: User) -> None:
    check = at_status(
        Status.CLEARED,
        staff=staff,
        update_service_id="C0123456789",
        update_service_subscribed_on=TODAY - timedelta(days=30),
        status_check_consent=True,
    )
    share = check.shares.create(provider=ProviderFactory.create(), shared_at=check.created_at)
    status_check = dbs_status_check_record(
        check=check, actor=staff, checked_on=TODAY, result=DbsStatusCheck.Result.NEW_INFORMATION, today=TODAY
    )
    assert status_check.checked_by == staff
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert AuditEntry.objects.get(action="dbs.share_revoke").data["reason"] == "status check found new information"
