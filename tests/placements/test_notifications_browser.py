"""WCAG 2.2 AA (axe-core in Chromium) on the pages of messages by channel and job alerts: the learner's
channel choice (with an error), saving a job alert, the learner's alerts, the public page of the signed
link, and staff's list of messages sent to a person. Marked `browser` like tests/test_accessibility.py."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from academy.models import User
from candidates.models import Candidate, PipelineStage
from candidates.services.messages import candidate_notify
from placements.models import JobAlert
from placements.selectors.alerts import job_alert_unsubscribe_token
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEFAULT_STAGES = importlib.import_module("candidates.migrations.0002_default_pipeline_stages").DEFAULT_STAGES


@pytest.fixture(autouse=True)
def _stages(transactional_db: None) -> None:
    for position, (slug, name, is_closed) in enumerate(DEFAULT_STAGES, start=1):
        PipelineStage.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position * 10, "is_closed": is_closed}
        )


def _open(browser: Any, live_server: Any, user: User | None, path: str) -> Any:  # noqa: F811
    context = browser.new_context(bypass_csp=True)
    if user is not None:
        context.add_cookies([_session_cookie(user, live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, page.url
    return page


def _assert_accessible(page: Any) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_the_learners_pages(browser: Any, live_server: Any, learner: User, candidate: Candidate) -> None:  # noqa: F811
    Candidate.objects.filter(pk=candidate.pk).update(phone="")
    page = _open(browser, live_server, learner, reverse("candidates:contact-channels"))
    _assert_accessible(page)
    page.check("input[value=text]")
    page.get_by_role("button", name="Save how we contact you").click()
    assert "Add your mobile phone number" in page.content()  # the error summary and the field's message
    _assert_accessible(page)

    page = _open(browser, live_server, learner, reverse("placements:job-alert-create") + "?where=LS9+8AB&radius=5")
    _assert_accessible(page)
    page.get_by_role("button", name="Save job alert").click()
    assert "Your job alerts" in page.content()
    _assert_accessible(page)


def test_the_signed_link_page_and_staffs_messages(
    browser: Any,  # noqa: F811
    live_server: Any,
    staff: User,
    candidate: Candidate,
) -> None:
    alert = JobAlert.objects.create(candidate=candidate, where="LS9 8AB", radius_miles=5)
    page = _open(
        browser,
        live_server,
        None,
        reverse("placements:job-alert-unsubscribe", args=[job_alert_unsubscribe_token(alert)]),
    )
    _assert_accessible(page)
    page.get_by_role("button", name="Stop this job alert").click()
    assert "Job alert stopped" in page.content()
    _assert_accessible(page)

    candidate_notify(
        candidate=candidate, template="candidates/email/candidate_bulk", context={"subject": "Hi", "message": "x"}
    )
    page = _open(browser, live_server, staff, reverse("candidates:message-list", args=[candidate.public_id]))
    assert "Sent</strong>" in page.content() and "Hi</td>" in page.content()
    _assert_accessible(page)
