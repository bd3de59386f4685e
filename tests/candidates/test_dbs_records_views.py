"""DBS check pages for staff: start, the check's page (audited), each step, the Update Service, the record page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck, DbsReminder, DbsStatusCheck
from tests.candidates.factories_dbs_records import TODAY, at_status, date_post, shared
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

Status = DbsCheck.Status


def html(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def _today(time_machine) -> None:
    time_machine.move_to(timezone.make_aware(datetime.combine(TODAY, time(10, 0))), tick=False)


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


def step_url(check: DbsCheck, step: str = "") -> str:
    url = reverse("candidates:dbs-update-step", kwargs={"public_id": check.public_id})
    return f"{url}?step={step}" if step else url


def detail_url(check: DbsCheck) -> str:
    return reverse("candidates:dbs-detail", kwargs={"public_id": check.public_id})


# --- the whole journey --------------------------------------------------------------------------


def test_staff_record_a_check_from_id_verification_to_decision(
    staff_client: Client, staff: User, manager: User, walk_in: Candidate
) -> None:
    started = TODAY - timedelta(days=30)
    response = staff_client.post(
        reverse("candidates:dbs-create", kwargs={"public_id": walk_in.public_id}),
        {"level": "enhanced_adults", "workforce": "adult", "paid_by": "academy", **date_post("started_on", started)},
    )
    check = walk_in.dbs_checks.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(check)

    steps = [
        ("id-verified", date_post("id_verified_on", started)),
        ("submitted", {**date_post("submitted_on", started + timedelta(days=1)), "application_reference": "E123"}),
        (
            "certificate",
            {**date_post("certificate_issued_on", TODAY - timedelta(days=5)), "certificate_number": "001 234 567 890"},
        ),
        ("original-seen", {"confirm": "on"}),
        ("disclosed", {"disclosure_notes": "Caution, 2009."}),
        ("risk-assessment", {"risk_assessment": "Low risk; discussed with them."}),
        ("decision", {"decision": "suitable", "decision_by": str(manager.pk), **date_post("decision_on", TODAY)}),
    ]
    for step, data in steps:
        assert staff_client.get(step_url(check, step)).status_code == 200, step
        response = staff_client.post(step_url(check, step), data)
        assert response.status_code == 302, (step, html(response))
        assert response["Location"] == detail_url(check)

    check.refresh_from_db()
    assert check.status == Status.DECISION_MADE
    assert check.certificate_number == "001234567890"
    assert check.original_seen_by == staff
    assert check.decision_by == manager
    assert check.recheck_due_on == TODAY.replace(year=TODAY.year + 3)
    page = html(staff_client.get(detail_url(check)))
    assert "Suitable to work on 13 May 2026" in page
    assert f"Decided by {escape(manager.get_full_name())}" in page
    assert "Certificate number 001234567890" in page
    assert "Next step" not in page  # nothing left to record


def test_the_cleared_path(staff_client: Client, staff: User) -> None:
    check = at_status(Status.CERTIFICATE_ISSUED)
    staff_client.post(step_url(check, "original-seen"), {"confirm": "on"})
    response = staff_client.post(step_url(check, "cleared"), date_post("decision_on", TODAY))
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.decision_by) == (Status.CLEARED, staff)


# --- errors -------------------------------------------------------------------------------------


def test_step_errors_name_the_field_and_the_title_says_error(staff_client: Client) -> None:
    check = at_status(Status.NOT_STARTED, started_on=TODAY - timedelta(days=3))
    response = staff_client.post(step_url(check, "id-verified"), date_post("id_verified_on", TODAY + timedelta(days=1)))
    page = html(response)
    assert response.status_code == 200
    assert "<title>Error: ID verified" in page
    assert 'href="#id_id_verified_on_0">The date ID was verified must be today or in the past</a>' in page
    response = staff_client.post(step_url(check, "id-verified"), {})
    assert "Enter the date id was verified" in html(response)


def test_certificate_number_error_links_to_the_field(staff_client: Client) -> None:
    check = at_status(Status.SUBMITTED)
    response = staff_client.post(
        step_url(check, "certificate"),
        {"certificate_number": "12", **date_post("certificate_issued_on", TODAY)},
    )
    assert 'href="#id_certificate_number">Enter the certificate number as it is on the certificate: 12 digits' in html(
        response
    )


def test_start_form_errors_name_the_fields(staff_client: Client, walk_in: Candidate) -> None:
    response = staff_client.post(reverse("candidates:dbs-create", kwargs={"public_id": walk_in.public_id}), {})
    page = html(response)
    for message in ("Select the level of check", "Select the workforce", "Select who pays", "Enter the start date"):
        assert message in page


def test_starting_a_second_check_warns_and_refuses(staff_client: Client, walk_in: Candidate) -> None:
    existing = at_status(Status.SUBMITTED, candidate=walk_in)
    url = reverse("candidates:dbs-create", kwargs={"public_id": walk_in.public_id})
    assert "already has a check in progress" in html(staff_client.get(url))
    response = staff_client.post(
        url, {"level": "basic", "workforce": "adult", "paid_by": "academy", **date_post("started_on", TODAY)}
    )
    assert "Withdraw it before starting a new one" in html(response)
    assert list(walk_in.dbs_checks.all()) == [existing]


def test_the_step_page_lists_what_can_be_recorded_next(staff_client: Client) -> None:
    check = at_status(Status.CERTIFICATE_ISSUED)
    page = html(staff_client.get(step_url(check)))
    assert "?step=original-seen" in page
    assert "?step=cleared" not in page
    response = staff_client.get(step_url(check, "cleared"))
    assert "“Cleared: nothing disclosed” cannot be recorded now" in html(response)
    assert "seen the original certificate first" in html(response)
    assert "There is no such step" in html(staff_client.get(step_url(check, "nonsense")))


def test_a_step_someone_else_just_recorded_is_a_conflict(staff_client: Client) -> None:
    check = at_status(Status.ID_VERIFIED)
    response = staff_client.post(step_url(check, "id-verified"), date_post("id_verified_on", TODAY))
    assert response.status_code == 409
    assert "cannot be recorded now" in html(response)


def test_withdraw(staff_client: Client) -> None:
    check = at_status(Status.SUBMITTED)
    page = html(staff_client.get(detail_url(check)))
    assert "govuk-button--warning" in page
    response = staff_client.post(step_url(check, "withdrawn"), date_post("withdrawn_on", TODAY))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == Status.WITHDRAWN


# --- the check's page ---------------------------------------------------------------------------


def test_every_view_of_the_page_is_logged_and_not_cached(staff_client: Client, staff: User) -> None:
    check = at_status(Status.CLEARED, staff=staff)
    response = staff_client.get(detail_url(check))
    staff_client.get(detail_url(check))
    assert "no-store" in response["Cache-Control"]
    views = AuditEntry.objects.filter(action="dbs.view", object_id=str(check.pk))
    assert views.count() == 2
    assert views.first().actor == staff  # type: ignore[union-attr]


def test_the_step_pages_showing_certificate_details_are_logged(staff_client: Client, staff: User) -> None:
    certificate = at_status(Status.CERTIFICATE_ISSUED)
    disclosed = at_status(Status.DISCLOSED, staff=staff)
    staff_client.get(step_url(certificate, "original-seen"))
    staff_client.get(step_url(disclosed, "risk-assessment"))
    staff_client.get(step_url(disclosed))  # the list of steps shows no details
    assert AuditEntry.objects.filter(action="dbs.view").count() == 2


def test_purged_details_are_gone_but_the_decision_stays(staff_client: Client, staff: User) -> None:
    check = at_status(
        Status.CLEARED,
        staff=staff,
        certificate_number="",
        application_reference="",
        original_seen_by=None,
        original_seen_at=None,
        details_purged_at=timezone.now(),
    )
    page = html(staff_client.get(detail_url(check)))
    assert "Certificate details were removed on 13 May 2026" in page
    assert "Certificate number" not in page
    assert "DBS cleared on" in page


def test_an_earlier_check_points_to_the_current_one(staff_client: Client, staff: User, walk_in: Candidate) -> None:
    old = at_status(Status.CLEARED, candidate=walk_in, staff=staff, started_on=TODAY - timedelta(days=1200))
    current = at_status(Status.SUBMITTED, candidate=walk_in)
    page = html(staff_client.get(detail_url(old)))
    assert "This is an earlier check" in page
    assert current.get_absolute_url() in page
    assert "Share the outcome with a provider" not in page


def _add_related(check: DbsCheck, staff: User, n: int, *, first: int = 0) -> None:
    for i in range(first, first + n):
        DbsStatusCheck.objects.create(
            dbs_check=check, checked_on=TODAY - timedelta(days=i), checked_by=staff, result="no_new_info"
        )
        shared(check, ProviderFactory.create(), by=staff)
        DbsReminder.objects.create(
            dbs_check=check, kind="recheck_due", recipient="staff", due_on=TODAY - timedelta(days=i)
        )


def test_the_check_page_query_count_does_not_grow(staff_client: Client, staff: User, django_assert_num_queries) -> None:
    check = at_status(
        Status.CLEARED,
        staff=staff,
        update_service_id="C0123456789",
        update_service_subscribed_on=TODAY - timedelta(days=100),
        update_service_renewal_due_on=TODAY + timedelta(days=265),
        status_check_consent=True,
    )
    url = detail_url(check)
    staff_client.get(url)  # the first request of a staff session writes its idle expiry once
    _add_related(check, staff, 2)
    with django_assert_num_queries(11):
        assert staff_client.get(url).status_code == 200
    _add_related(check, staff, 20, first=2)
    with django_assert_num_queries(11):
        assert staff_client.get(url).status_code == 200


# --- Update Service pages -----------------------------------------------------------------------


def test_record_the_update_service_and_a_status_check(staff_client: Client, staff: User) -> None:
    check = at_status(Status.CLEARED, staff=staff)
    status_url = reverse("candidates:dbs-status-check-create", kwargs={"public_id": check.public_id})
    assert "Record their Update Service subscription before a status check" in html(staff_client.get(status_url))
    response = staff_client.post(
        reverse("candidates:dbs-update-service", kwargs={"public_id": check.public_id}),
        {
            "update_service_id": "C0123456789",
            **date_post("update_service_subscribed_on", TODAY),
            "status_check_consent": "yes",
            **date_post("status_check_consent_on", TODAY),
        },
    )
    assert response.status_code == 302
    response = staff_client.post(status_url, {**date_post("checked_on", TODAY), "result": "no_new_info"})
    assert response.status_code == 302
    page = html(staff_client.get(detail_url(check)))
    assert "13 May 2027" in page  # renewal
    assert "No new information" in page


def test_update_service_form_errors(staff_client: Client, staff: User) -> None:
    check = at_status(Status.CLEARED, staff=staff)
    response = staff_client.post(reverse("candidates:dbs-update-service", kwargs={"public_id": check.public_id}), {})
    page = html(response)
    assert "Enter the subscription ID" in page
    assert "Select whether they agree to status checks" in page


# --- the record page ----------------------------------------------------------------------------


def test_the_record_page_shows_the_current_check_without_details(
    staff_client: Client, staff: User, walk_in: Candidate
) -> None:
    url = reverse("candidates:candidate-detail", kwargs={"public_id": walk_in.public_id})
    page = html(staff_client.get(url))
    assert "No DBS check yet" in page
    assert reverse("candidates:dbs-create", kwargs={"public_id": walk_in.public_id}) in page
    check = at_status(Status.CLEARED, candidate=walk_in, staff=staff)
    page = html(staff_client.get(url))
    assert check.get_absolute_url() in page
    assert "001234567890" not in page
    assert not AuditEntry.objects.filter(action="dbs.view").exists()


# --- who may see what ---------------------------------------------------------------------------


def test_a_learner_cannot_open_their_own_checks_staff_page(
    client_for: Callable[[str], Client], candidate: Candidate, staff: User
) -> None:
    check = at_status(Status.CLEARED, candidate=candidate, staff=staff)
    assert client_for("learner").get(detail_url(check)).status_code == 403  # theirs: in scope, no right
    assert client_for("other_learner").get(detail_url(check)).status_code == 404
    assert client_for("provider_user").get(detail_url(check)).status_code == 404
    assert not AuditEntry.objects.filter(action="dbs.view").exists()


def test_non_staff_cannot_record_steps_or_stop_sharing(
    client_for: Callable[[str], Client], candidate: Candidate, provider_a, provider_user: User
) -> None:
    check = at_status(Status.NOT_STARTED, candidate=candidate)
    response = client_for("learner").post(step_url(check, "id-verified"), date_post("id_verified_on", TODAY))
    assert response.status_code == 403
    share = shared(at_status(Status.CLEARED), provider_a)
    url = reverse("candidates:dbs-share-revoke", kwargs={"public_id": share.public_id})
    assert client_for("provider_user").post(url).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None
    check.refresh_from_db()
    assert check.status == Status.NOT_STARTED


def test_the_record_page_query_count_does_not_grow_with_checks(
    staff_client: Client, staff: User, walk_in: Candidate, django_assert_num_queries, courses_record_hooks_only: None
) -> None:
    url = reverse("candidates:candidate-detail", kwargs={"public_id": walk_in.public_id})
    staff_client.get(url)
    at_status(Status.WITHDRAWN, candidate=walk_in, started_on=TODAY - timedelta(days=400))
    at_status(Status.CLEARED, candidate=walk_in, staff=staff, started_on=TODAY - timedelta(days=300))
    # 21 as in tests/candidates/test_records.py: the record page with its journey sections and timeline.
    with django_assert_num_queries(21):
        assert staff_client.get(url).status_code == 200
    for days in range(200, 100, -5):
        at_status(Status.WITHDRAWN, candidate=walk_in, started_on=TODAY - timedelta(days=days))
    with django_assert_num_queries(21):
        assert staff_client.get(url).status_code == 200


# --- messages written for a person --------------------------------------------------------------


def test_starting_a_check_says_who_and_which_level_in_a_sentence(staff_client: Client, walk_in: Candidate) -> None:
    response = staff_client.post(
        reverse("candidates:dbs-create", kwargs={"public_id": walk_in.public_id}),
        {"level": "enhanced_adults", "workforce": "adult", "paid_by": "academy", **date_post("started_on", TODAY)},
        follow=True,
    )
    page = html(response)
    level = escape("Enhanced with adults' barred list")
    assert f"A DBS check has been started for {walk_in.full_name}. Level: {level}." in page
    assert "A enhanced" not in page


def test_recording_a_step_names_the_person_and_says_the_status_once(staff_client: Client) -> None:
    check = at_status(Status.NOT_STARTED)
    response = staff_client.post(step_url(check, "id-verified"), date_post("id_verified_on", TODAY), follow=True)
    page = html(response)
    assert f"“ID verified” is recorded on the DBS check for {escape(check.candidate.full_name)}." in page
    assert "The check is now at" not in page  # the step and the status say the same thing

    check = at_status(Status.CERTIFICATE_ISSUED)
    response = staff_client.post(step_url(check, "original-seen"), {"confirm": "on"}, follow=True)
    assert "“Original certificate seen” is recorded on" in html(response)
    assert "The check is now at “Certificate issued”." in html(response)
