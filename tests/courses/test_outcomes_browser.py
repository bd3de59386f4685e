"""Outcome and payment pages in a real Chromium: WCAG checks (with data and with form errors), and forms that work
without JavaScript.

Marked `browser` like tests/test_accessibility.py, whose Chromium fixture these tests share.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from academy.models import User
from candidates.models import Candidate, PipelineStage
from courses.models import Course, Enrolment, SupportPayment
from tests.courses.factories import CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import (
    CertificateFactory,
    FeedbackFactory,
    SupportPaymentFactory,
    finished_cohort,
)
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _stages(transactional_db: None) -> None:
    # Transactional tests empty the database after each test, data migrations' stages included.
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})


@pytest.fixture
def data(candidate: Candidate, staff: User) -> dict[str, object]:
    course = CourseFactory.create(kind=Course.Kind.CARE_CERTIFICATE, attendance_bursary_amount=Decimal("60.00"))
    made = finished_cohort(learners=3, course=course)
    session = SessionFactory.create(cohort=made.cohort, date=made.cohort.start_date)
    own = EnrolmentFactory.create(cohort=made.cohort, candidate=candidate)
    for enrolment in [*made.enrolments, own]:
        mark(session, enrolment)
    Enrolment.objects.filter(pk=made.enrolments[0].pk).update(status=Enrolment.Status.COMPLETED)
    CertificateFactory.create(enrolment=made.enrolments[0], title="Care Certificate")
    FeedbackFactory.create(enrolment=made.enrolments[0], rating=5, comment="Great course")
    payment = SupportPaymentFactory.create(
        cohort=made.cohort, candidate=made.enrolments[1].candidate, requested_by=staff
    )
    SupportPaymentFactory.create(cohort=made.cohort, candidate=own.candidate, status=SupportPayment.Status.PAID)
    return {"cohort": made.cohort, "course": course, "enrolment": made.enrolments[2], "own": own, "payment": payment}


def _open(browser, live_server, user: User, url: str, *, javascript: bool = True):  # noqa: F811
    context = browser.new_context(bypass_csp=True, java_script_enabled=javascript)  # lets axe's script run
    context.add_cookies([_session_cookie(user, live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + url)
    assert response is not None and response.status == 200, url
    return context, page


def _check(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


STAFF_PAGES = [
    ("courses:cohort-outcomes", "cohort"),
    ("courses:course-feedback", "course"),
    ("courses:enrolment-complete", "enrolment"),
    ("courses:certificate-create", "enrolment"),
    ("courses:payment-list", "cohort"),
    ("courses:payment-create", "cohort"),
    ("courses:bursary-list", "cohort"),
    ("courses:payment-decide", "payment"),
    ("courses:payment-approvals", ""),
]


@pytest.mark.parametrize(("url_name", "key"), STAFF_PAGES)
def test_staff_outcome_pages_have_no_wcag_violations(
    url_name: str,
    key: str,
    data: dict,
    staff: User,
    manager: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    user = manager if url_name in ("courses:payment-decide", "courses:payment-approvals") else staff
    kwargs = {"public_id": data[key].public_id} if key else {}
    context, page = _open(browser, live_server, user, reverse(url_name, kwargs=kwargs))
    _check(page)
    context.close()


@pytest.mark.parametrize("url", ["my-enrolments", "feedback-create", "questionnaire"])
def test_learner_outcome_pages_have_no_wcag_violations(
    url: str,
    data: dict,
    learner: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    own = data["own"]
    kwargs = {
        "my-enrolments": {},
        "feedback-create": {"public_id": own.public_id},
        "questionnaire": {"public_id": own.public_id, "when": "after"},
    }[url]
    context, page = _open(browser, live_server, learner, reverse(f"courses:{url}", kwargs=kwargs))
    _check(page)
    context.close()


def test_outcome_form_errors_are_accessible_and_it_works_without_javascript(
    data: dict,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    enrolment = data["enrolment"]
    url = reverse("courses:enrolment-complete", kwargs={"public_id": enrolment.public_id})
    context, page = _open(browser, live_server, staff, url, javascript=False)

    page.get_by_label("Withdrawn").check()
    page.get_by_role("button", name="Save outcome").click()
    assert page.title().startswith("Error: ")
    summary_link = page.locator(".govuk-error-summary a", has_text="Enter why they withdrew")
    assert summary_link.count() == 1
    page.get_by_label("Reason").fill("Started a job")
    page.get_by_label("Care Certificate standards achieved").fill("12")
    page.get_by_role("button", name="Save outcome").click()

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.status_reason) == (Enrolment.Status.WITHDRAWN, "Started a job")
    context.close()


def test_payment_errors_and_check_page_are_accessible_and_confirming_records_the_request(
    data: dict,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    cohort = data["cohort"]
    url = reverse("courses:payment-create", kwargs={"public_id": cohort.public_id})
    context, page = _open(browser, live_server, staff, url)

    page.get_by_role("button", name="Ask for approval").click()
    assert page.title().startswith("Error: ")
    _check(page)
    assert "Enter the amount" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Learner").select_option(label=f"{data['enrolment'].candidate.full_name} (enrolled)")
    page.get_by_label("Childcare").check()
    page.get_by_label("Amount in pounds (£)").fill("85")
    page.get_by_role("button", name="Ask for approval").click()
    assert "Check the payment" in page.title()
    _check(page)
    page.get_by_role("button", name="Confirm and ask for approval").click()

    payment = SupportPayment.objects.get(kind="childcare")
    assert payment.amount == Decimal("85.00") and payment.status == SupportPayment.Status.REQUESTED
    context.close()
