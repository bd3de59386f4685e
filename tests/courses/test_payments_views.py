"""Support payments and bursaries: the HTTP contract (check before asking, manager's decision, paid, bursaries)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from academy.models import User
from courses.models import Cohort, Enrolment, SupportPayment
from tests.courses.factories import CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import SupportPaymentFactory, finished_cohort
from tests.courses.test_payments_services import bursary_cohort

pytestmark = pytest.mark.django_db

Status = SupportPayment.Status


def html(response) -> str:
    return response.content.decode()


def list_url(cohort: Cohort) -> str:
    return reverse("courses:payment-list", kwargs={"public_id": cohort.public_id})


def create_url(cohort: Cohort) -> str:
    return reverse("courses:payment-create", kwargs={"public_id": cohort.public_id})


def decide_url(payment: SupportPayment) -> str:
    return reverse("courses:payment-decide", kwargs={"public_id": payment.public_id})


def paid_url(payment: SupportPayment) -> str:
    return reverse("courses:payment-paid", kwargs={"public_id": payment.public_id})


@pytest.fixture
def staff_client(client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


@pytest.fixture
def manager_client(client_for: Callable[[str], Client]) -> Client:
    return client_for("manager")


def request_data(learner: Enrolment, **overrides: str) -> dict[str, str]:
    data = {"enrolment": str(learner.public_id), "kind": "transport", "amount": "£1,200.5", "description": ""}
    return {**data, **overrides}


# --- asking for a payment: fill in, check, confirm ---


def test_asking_for_a_payment_shows_the_details_to_check_before_anything_is_saved(staff_client: Client) -> None:
    made = finished_cohort(learners=1)
    enrolment = made.enrolments[0]

    check = staff_client.post(create_url(made.cohort), request_data(enrolment))

    assert check.status_code == 200
    page = html(check)
    assert "Check the payment before you ask for approval" in page
    assert "£1,200.50" in page
    assert escape(enrolment.candidate.full_name) in page
    assert not SupportPayment.objects.exists()

    done = staff_client.post(create_url(made.cohort), {**request_data(enrolment), "confirm": "1"}, follow=True)

    payment = SupportPayment.objects.get()
    assert (payment.amount, payment.status, payment.kind) == (Decimal("1200.50"), Status.REQUESTED, "transport")
    assert done.redirect_chain[0][0] == list_url(made.cohort)
    assert "Transport of £1,200.50 for" in html(done)
    assert "waiting for a manager" in html(done)


def test_change_the_details_goes_back_to_the_filled_in_form(staff_client: Client) -> None:
    made = finished_cohort(learners=1)

    response = staff_client.post(create_url(made.cohort), {**request_data(made.enrolments[0]), "change": "1"})

    assert "Ask for a support payment" in html(response)
    assert 'value="£1,200.5"' in html(response)
    assert not SupportPayment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": ""}, "Enter the amount"),
        ({"amount": "twelve"}, "Enter the amount in pounds and pence, like 12.50"),
        ({"amount": "12.505"}, "The amount must be in pounds and pence, like 12.50"),
        ({"amount": "0"}, "The amount must be more than £0.00"),
        ({"amount": "-5"}, "The amount must be more than £0.00"),
        ({"amount": "1000000"}, "The amount must be £999,999.99 or less"),
        ({"kind": ""}, "Select what the payment is for"),
        ({"kind": "attendance_bursary"}, "Select a valid choice"),
        ({"kind": "other"}, "Describe what the payment is for"),
        ({"enrolment": ""}, "Choose the learner the payment is for"),
    ],
)
def test_payment_errors_name_the_field(staff_client: Client, overrides: dict[str, str], message: str) -> None:
    made = finished_cohort(learners=1)

    response = staff_client.post(
        create_url(made.cohort), {**request_data(made.enrolments[0], **overrides), "confirm": "1"}
    )

    assert response.status_code == 200
    assert "<title>Error: " in html(response)
    assert message in html(response)
    assert not SupportPayment.objects.exists()


def test_a_learner_on_another_cohort_cannot_be_chosen(staff_client: Client) -> None:
    made = finished_cohort(learners=1)
    elsewhere = finished_cohort(learners=1).enrolments[0]

    response = staff_client.post(create_url(made.cohort), {**request_data(elsewhere), "confirm": "1"})

    assert "Choose a learner on this cohort" in html(response)
    assert not SupportPayment.objects.exists()


def test_a_learners_link_preselects_them(staff_client: Client) -> None:
    made = finished_cohort(learners=2)
    chosen = made.enrolments[1]

    response = staff_client.get(f"{create_url(made.cohort)}?enrolment={chosen.public_id}")
    bad = staff_client.get(f"{create_url(made.cohort)}?enrolment=not-a-uuid")

    assert f'<option value="{chosen.public_id}" selected>' in html(response)
    assert bad.status_code == 200


# --- the manager's decision, and paying ---


def test_a_manager_approves_a_payment_after_seeing_it(staff: User, manager_client: Client) -> None:
    payment = SupportPaymentFactory.create(requested_by=staff, amount=Decimal("45.00"))

    page = html(manager_client.get(decide_url(payment)))
    assert "£45.00" in page and "Approve the payment" in page
    response = manager_client.post(decide_url(payment), {"decision": "approve", "reason": ""})

    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Status.APPROVED


def test_a_double_click_on_approve_shows_success_not_an_error(staff: User, manager_client: Client) -> None:
    payment = SupportPaymentFactory.create(requested_by=staff, amount=Decimal("45.00"))

    first = manager_client.post(decide_url(payment), {"decision": "approve", "reason": ""})
    second = manager_client.post(decide_url(payment), {"decision": "approve", "reason": ""}, follow=True)

    assert first.status_code == 302
    assert payment.cohort is not None
    assert second.redirect_chain == [(list_url(payment.cohort), 302)]
    page = html(second)
    assert "already approved" in page and "There is a problem" not in page
    payment.refresh_from_db()
    assert payment.status == Status.APPROVED


def test_deciding_from_the_approvals_queue_goes_back_to_it(staff: User, manager_client: Client) -> None:
    payment = SupportPaymentFactory.create(requested_by=staff)
    url = f"{decide_url(payment)}?from=approvals"

    assert url in html(manager_client.get(reverse("courses:payment-approvals")))
    assert "Back to payments waiting for approval" in html(manager_client.get(url))
    response = manager_client.post(url, {"decision": "approve", "reason": ""})

    assert response["Location"] == reverse("courses:payment-approvals")


def test_rejecting_needs_a_reason(staff: User, manager_client: Client) -> None:
    payment = SupportPaymentFactory.create(requested_by=staff)

    response = manager_client.post(decide_url(payment), {"decision": "reject", "reason": ""})

    assert "Enter why the payment is rejected" in html(response)
    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED


def test_a_manager_cannot_approve_their_own_request(manager: User, manager_client: Client) -> None:
    payment = SupportPaymentFactory.create(requested_by=manager)

    page = html(manager_client.get(decide_url(payment)))
    response = manager_client.post(decide_url(payment), {"decision": "approve"})

    assert "another manager must approve or reject it" in page
    assert "Save decision" not in page
    assert "another manager must approve or reject it" in html(response)
    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED


def test_recording_a_payment_as_paid_asks_first(staff_client: Client) -> None:
    payment = SupportPaymentFactory.create(status=Status.APPROVED, amount=Decimal("60.00"))

    confirm = staff_client.get(paid_url(payment))
    assert "Record £60.00 to" in html(confirm)
    payment.refresh_from_db()
    assert payment.status == Status.APPROVED
    response = staff_client.post(paid_url(payment), follow=True)

    payment.refresh_from_db()
    assert payment.status == Status.PAID and payment.paid_at is not None
    assert "has been recorded as paid" in html(response)


def test_a_payment_not_approved_cannot_be_recorded_as_paid(staff_client: Client) -> None:
    payment = SupportPaymentFactory.create(status=Status.REQUESTED)

    assert "A manager has to approve it first" in html(staff_client.get(paid_url(payment)))
    response = staff_client.post(paid_url(payment), follow=True)

    assert "Only approved payments can be paid" in html(response)
    payment.refresh_from_db()
    assert payment.status == Status.REQUESTED


# --- the cohort's payments list ---


def test_payment_list_shows_totals_as_pounds_and_pence(staff_client: Client) -> None:
    cohort = finished_cohort(learners=0).cohort
    SupportPaymentFactory.create(cohort=cohort, amount=Decimal("1200.10"), status=Status.PAID)
    SupportPaymentFactory.create(cohort=cohort, amount=Decimal("0.20"), status=Status.APPROVED)
    SupportPaymentFactory.create(cohort=cohort, amount=Decimal("15.00"), status=Status.REQUESTED)

    page = html(staff_client.get(list_url(cohort)))

    assert "£1,200.30" in page  # approved or paid
    assert "£1,200.10" in page
    assert "£15.00" in page


def test_payment_list_filters_by_status(staff_client: Client) -> None:
    cohort = finished_cohort(learners=0).cohort
    SupportPaymentFactory.create(cohort=cohort, description="Bus pass", status=Status.PAID)
    SupportPaymentFactory.create(cohort=cohort, description="Childminder", status=Status.REQUESTED)

    page = html(staff_client.get(list_url(cohort), {"status": "paid"}))

    assert "Bus pass" in page and "Childminder" not in page


def test_payment_list_links_actions_by_role(staff_client: Client, manager_client: Client) -> None:
    cohort = finished_cohort(learners=0).cohort
    requested = SupportPaymentFactory.create(cohort=cohort)
    approved = SupportPaymentFactory.create(cohort=cohort, status=Status.APPROVED)

    staff_page = html(staff_client.get(list_url(cohort)))
    manager_page = html(manager_client.get(list_url(cohort)))

    assert decide_url(requested) not in staff_page and paid_url(approved) in staff_page
    assert decide_url(requested) in manager_page


def test_payment_list_without_payments(staff_client: Client) -> None:
    page = html(staff_client.get(list_url(finished_cohort(learners=0).cohort)))

    assert "No support payments for this cohort yet" in page
    assert "£0.00" in page


PAYMENT_LIST_QUERIES = 7  # session, user, MFA, cohort, count, page of payments, totals


def test_payment_list_query_count_does_not_grow_with_payments(staff_client: Client, django_assert_num_queries) -> None:
    cohort = finished_cohort(learners=0).cohort

    def add(count: int) -> None:
        for _ in range(count):
            SupportPaymentFactory.create(cohort=cohort, requested_by=User.objects.get(email="staff@example.org"))

    add(2)
    staff_client.get(list_url(cohort))  # the first request after signing in also saves the session
    with django_assert_num_queries(PAYMENT_LIST_QUERIES):
        assert staff_client.get(list_url(cohort)).status_code == 200
    add(18)
    with django_assert_num_queries(PAYMENT_LIST_QUERIES):
        response = staff_client.get(list_url(cohort))
    assert "20 payments" in html(response)


# --- attendance bursaries ---


def bursary_list_url(cohort: Cohort) -> str:
    return reverse("courses:bursary-list", kwargs={"public_id": cohort.public_id})


def bursary_record_url(cohort: Cohort) -> str:
    return reverse("courses:bursary-record", kwargs={"public_id": cohort.public_id})


def test_the_bursary_list_shows_who_qualifies_and_the_total_before_recording(staff_client: Client) -> None:
    made = bursary_cohort()

    page = html(staff_client.get(bursary_list_url(made.cohort)))

    assert "90% attendance or more" in page
    assert "£60.00" in page
    assert page.count("Qualifies</strong>") == 2
    assert "90.0%" in page and "80.0%" in page
    assert "Record 2 bursaries" in page
    assert "£120.00 in total" in page


def test_recording_bursaries_then_again_records_nothing_more(staff_client: Client) -> None:
    made = bursary_cohort()

    first = staff_client.post(bursary_record_url(made.cohort), follow=True)
    second = staff_client.post(bursary_record_url(made.cohort), follow=True)

    assert "2 attendance bursaries of £60.00 recorded (£120.00 in total)" in html(first)
    assert "Nothing to record" in html(second)
    assert SupportPayment.objects.filter(kind="attendance_bursary", status=Status.APPROVED).count() == 2
    assert "There are no bursaries left to record" in html(staff_client.get(bursary_list_url(made.cohort)))


def test_bursaries_before_the_last_day_are_refused_with_the_date(staff_client: Client) -> None:
    made = bursary_cohort(ended_days_ago=-3)

    page = html(staff_client.get(bursary_list_url(made.cohort)))
    response = staff_client.post(bursary_record_url(made.cohort), follow=True)

    assert "Bursaries can be recorded from" in page
    assert "Record 2 bursaries" not in page
    assert "Bursaries can be recorded from" in html(response)
    assert not SupportPayment.objects.exists()


def test_a_course_without_a_bursary_says_so(staff_client: Client) -> None:
    made = bursary_cohort(amount=None)

    assert "has no attendance bursary" in html(staff_client.get(bursary_list_url(made.cohort)))


BURSARY_LIST_QUERIES = 5  # session, user, MFA, cohort, learners with attendance and bursaries


def test_bursary_list_query_count_does_not_grow_with_learners(staff_client: Client, django_assert_num_queries) -> None:
    course = CourseFactory.create(attendance_bursary_amount=Decimal("60.00"))
    cohort = finished_cohort(learners=0, course=course).cohort
    session = SessionFactory.create(cohort=cohort, date=cohort.start_date)

    def add(count: int) -> None:
        for _ in range(count):
            mark(session, EnrolmentFactory.create(cohort=cohort))

    add(2)
    staff_client.get(bursary_list_url(cohort))  # the first request after signing in also saves the session
    with django_assert_num_queries(BURSARY_LIST_QUERIES):
        assert staff_client.get(bursary_list_url(cohort)).status_code == 200
    add(18)
    with django_assert_num_queries(BURSARY_LIST_QUERIES):
        response = staff_client.get(bursary_list_url(cohort))
    assert html(response).count("Qualifies</strong>") == 20


# --- the managers' queue ---

APPROVALS_QUERIES = 6  # session, user, MFA, count, page of payments, total waiting


def test_managers_see_requests_from_every_cohort_oldest_first(
    staff: User, manager: User, manager_client: Client
) -> None:
    first = SupportPaymentFactory.create(requested_by=staff, description="Bus pass", amount=Decimal("10.00"))
    own = SupportPaymentFactory.create(requested_by=manager, description="Childminder", amount=Decimal("2.50"))
    SupportPaymentFactory.create(status=Status.APPROVED, description="Already approved")

    page = html(manager_client.get(reverse("courses:payment-approvals")))

    assert page.index("Bus pass") < page.index("Childminder")
    assert "Already approved" not in page
    assert decide_url(first) in page and decide_url(own) not in page
    assert "You asked for this: another manager decides" in page
    assert "£12.50 asked for in total" in page


def test_no_payments_waiting(manager_client: Client) -> None:
    assert "No payments are waiting for approval" in html(manager_client.get(reverse("courses:payment-approvals")))


def test_approvals_query_count_does_not_grow_with_payments(
    staff: User, manager_client: Client, django_assert_num_queries
) -> None:
    url = reverse("courses:payment-approvals")

    def add(count: int) -> None:
        for _ in range(count):
            SupportPaymentFactory.create(requested_by=staff)

    add(2)
    manager_client.get(url)  # the first request after signing in also saves the session
    with django_assert_num_queries(APPROVALS_QUERIES):
        assert manager_client.get(url).status_code == 200
    add(18)
    with django_assert_num_queries(APPROVALS_QUERIES):
        response = manager_client.get(url)
    assert "20 payments" in html(response)
