"""The register and cohort page in a real Chromium: WCAG checks, htmx row saves, and saving without JavaScript.

Marked `browser` like tests/test_accessibility.py, whose Chromium fixture these tests share.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from academy.models import User
from candidates.models import PipelineStage
from courses.models import Attendance
from tests.courses.factories_delivery import RunningCohort, mark, running_cohort
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def run() -> RunningCohort:
    # Transactional tests empty the database after each test, data migrations' stages included.
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    run = running_cohort(learners=12, sessions=3)
    for enrolment in run.enrolments[:4]:
        mark(run.sessions[0], enrolment, Attendance.Mark.ABSENT)
    return run


def _page(browser, live_server, user: User, *, javascript: bool = True):  # noqa: F811
    context = browser.new_context(bypass_csp=False, java_script_enabled=javascript)
    context.add_cookies([_session_cookie(user, live_server.url)])
    return context, context.new_page()


@pytest.mark.parametrize("url_name", ["cohort-detail", "cohort-message", "attendance-register", "enrolment-pause"])
def test_delivery_pages_have_no_wcag_violations(
    url_name: str,
    run: RunningCohort,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    public_ids = {
        "cohort-detail": run.cohort.public_id,
        "cohort-message": run.cohort.public_id,
        "attendance-register": run.sessions[1].public_id,
        "enrolment-pause": run.enrolments[0].public_id,
    }
    context = browser.new_context(bypass_csp=True)  # lets axe's script run
    context.add_cookies([_session_cookie(staff, live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + reverse(f"courses:{url_name}", kwargs={"public_id": public_ids[url_name]}))
    assert response is not None and response.status == 200
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_with_htmx_choosing_a_mark_saves_that_row_at_once(
    run: RunningCohort,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    context, page = _page(browser, live_server, staff)
    session = run.sessions[1]
    enrolment = run.enrolments[3]
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + reverse("courses:attendance-register", kwargs={"public_id": session.public_id}))

    radio = page.locator(f"#id_{enrolment.public_id}-mark_1")  # Late
    radio.check()
    row = page.locator(f"#row-{enrolment.public_id}")
    row.get_by_text("Saved").wait_for()

    assert Attendance.objects.get(session=session, enrolment=enrolment).mark == Attendance.Mark.LATE
    assert page.locator("#register-status").inner_text() == f"Saved: {enrolment.candidate.full_name}, late."
    # Focus stays on the radio after the row is swapped, so keyboard users carry on where they were.
    assert page.evaluate("document.activeElement.id") == f"id_{enrolment.public_id}-mark_1"
    assert Attendance.objects.filter(session=session).count() == 1
    assert not errors, errors  # no CSP violations or script errors
    context.close()


def test_without_javascript_the_whole_register_saves_in_one_go(
    run: RunningCohort,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    context, page = _page(browser, live_server, staff, javascript=False)
    session = run.sessions[1]
    page.goto(live_server.url + reverse("courses:attendance-register", kwargs={"public_id": session.public_id}))
    page.locator(f"#id_{run.enrolments[0].public_id}-mark_3").check()  # absent without reason
    page.locator(f"#id_{run.enrolments[0].public_id}-note").fill("No answer on the phone")

    page.get_by_role("button", name="Save, marking everyone not marked as present").click()

    page.wait_for_url(f"**{run.cohort.get_absolute_url()}#attendance")
    assert "12 learners marked (11 present, 1 absent without reason)" in page.content()
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "mark"))
    assert marks[run.enrolments[0].pk] == Attendance.Mark.ABSENT and len(marks) == 12
    context.close()
