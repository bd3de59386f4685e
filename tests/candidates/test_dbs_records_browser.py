"""DBS pages in a real Chromium: WCAG checks (with data and with form errors), and a step recorded without JavaScript.

Marked `browser` like tests/test_accessibility.py, whose Chromium fixture these tests share.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, DbsCheck, DbsReminder, DbsStatusCheck, PipelineStage
from providers.models import Provider
from tests.candidates.factories_dbs_records import TODAY, at_status, consent_to_sharing, shared
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = DbsCheck.Status


@pytest.fixture(autouse=True)
def _stages(transactional_db: None) -> None:
    # Transactional tests empty the database after each test, data migrations' stages included,
    # and content types come back with new ids: the audit log must not use cached ones.
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    ContentType.objects.clear_cache()


@pytest.fixture
def data(candidate: Candidate, staff: User, provider_a: Provider) -> dict[str, object]:
    """The learner persona's check, through a disclosure to a decision, shared; and a few others."""
    check = at_status(
        Status.DECISION_MADE,
        candidate=candidate,
        staff=staff,
        update_service_id="C0123456789",
        update_service_subscribed_on=TODAY - timedelta(days=20),
        update_service_renewal_due_on=TODAY + timedelta(days=345),
        status_check_consent=True,
        status_check_consent_at=timezone.now(),
    )
    DbsStatusCheck.objects.create(dbs_check=check, checked_on=TODAY, checked_by=staff, result="no_new_info")
    DbsReminder.objects.create(dbs_check=check, kind="recheck_due", recipient="staff", due_on=TODAY, status="sent")
    consent_to_sharing(candidate)
    share = shared(check, provider_a, by=staff)
    submitted = at_status(Status.SUBMITTED, started_on=TODAY - timedelta(days=40))
    DbsReminder.objects.create(
        dbs_check=submitted, kind="certificate_chase_2", recipient="learner", due_on=TODAY - timedelta(days=3)
    )
    at_status(Status.ID_VERIFIED)
    return {"check": check, "share": share, "submitted": submitted, "disclosed": at_status(Status.DISCLOSED)}


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


def _url(name: str, obj: object | None = None, query: str = "") -> str:
    kwargs = {"public_id": obj.public_id} if obj is not None else {}  # type: ignore[attr-defined]
    return reverse(name, kwargs=kwargs) + query


PAGES = [
    ("staff", "candidates:dbs-detail", "check", ""),
    ("staff", "candidates:dbs-dashboard", None, ""),
    ("staff", "candidates:dbs-update-step", "submitted", ""),
    ("staff", "candidates:dbs-update-step", "submitted", "?step=certificate"),
    ("staff", "candidates:dbs-update-step", "disclosed", "?step=risk-assessment"),
    ("staff", "candidates:dbs-update-service", "check", ""),
    ("staff", "candidates:dbs-status-check-create", "check", ""),
    ("staff", "candidates:dbs-share", "check", ""),
    ("staff", "candidates:dbs-share-revoke", "share", ""),
    ("manager", "candidates:dbs-policy", None, ""),
    ("learner", "candidates:dbs-my", None, ""),
    ("provider_user", "candidates:dbs-shared-list", None, ""),
]


@pytest.mark.parametrize(("persona", "url_name", "key", "query"), PAGES)
def test_dbs_pages_have_no_wcag_violations(
    persona: str,
    url_name: str,
    key: str | None,
    query: str,
    data: dict,
    browser,  # noqa: F811
    live_server,
    request: pytest.FixtureRequest,
) -> None:
    user = request.getfixturevalue(persona)
    context, page = _open(browser, live_server, user, _url(url_name, data[key] if key else None, query))
    _check(page)
    context.close()


def test_start_page_and_the_record_page_section(
    walk_in: Candidate,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    for url in (
        _url("candidates:dbs-create", walk_in),
        _url("candidates:candidate-detail", walk_in),
    ):
        context, page = _open(browser, live_server, staff, url)
        _check(page)
        context.close()


def _record_id_verified(page, *, year: int, today: date) -> None:
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(year))
    page.get_by_role("button", name="Save").click()


def test_a_step_with_errors_is_accessible(
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    today = timezone.localdate()  # the live server runs on the real clock
    check = at_status(Status.NOT_STARTED, started_on=today - timedelta(days=3))
    context, page = _open(browser, live_server, staff, _url("candidates:dbs-update-step", check, "?step=id-verified"))
    page.set_default_timeout(20_000)
    _record_id_verified(page, year=today.year + 1, today=today)
    assert page.title().startswith("Error: ")
    assert "must be today or in the past" in page.locator(".govuk-error-summary").inner_text()
    _check(page)
    context.close()


def test_staff_record_a_step_without_javascript(
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    # No axe run here: axe needs JavaScript in the page (the test above checks the error state).
    today = timezone.localdate()
    check = at_status(Status.NOT_STARTED, started_on=today - timedelta(days=3))
    context, page = _open(browser, live_server, staff, _url("candidates:dbs-detail", check), javascript=False)
    page.set_default_timeout(20_000)
    page.get_by_role("button", name="Record: ID verified").click()
    _record_id_verified(page, year=today.year + 1, today=today)
    assert page.title().startswith("Error: ")
    _record_id_verified(page, year=today.year, today=today)
    assert "“ID verified” is recorded on" in page.content()
    check.refresh_from_db()
    assert check.status == Status.ID_VERIFIED
    context.close()
