"""WCAG 2.2 AA (axe-core in Chromium) on the staff list, its bulk-action error page and the email preview.

Marked `browser` like tests/test_accessibility.py, whose browser setup this reuses: run by
`make test-browser`. The bulk pages are reached the way staff reach them, by ticking boxes and
submitting the list's form.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from academy.models import User
from candidates.models import Consent, ConsentKind, EqualityMonitoring, PipelineStage
from tests.factories import CandidateFactory
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The default stages come from a data migration, which the flush between transactional tests removes.
DEFAULT_STAGES = importlib.import_module("candidates.migrations.0002_default_pipeline_stages").DEFAULT_STAGES


@pytest.fixture
def list_page(browser: Any, live_server: Any, staff: User) -> Any:  # noqa: F811
    for position, (slug, name, is_closed) in enumerate(DEFAULT_STAGES, start=1):
        PipelineStage.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position * 10, "is_closed": is_closed}
        )
    for name in ("Ada", "Bo", "Cy"):
        candidate = CandidateFactory.create(first_name=name, owner=staff)
        EqualityMonitoring.objects.create(candidate=candidate, sex="male")
        Consent.objects.create(candidate=candidate, kind=ConsentKind.CONTACT_EMAIL, granted=True)
    context = browser.new_context(bypass_csp=True)
    context.add_cookies([_session_cookie(staff, live_server.url)])
    page = context.new_page()
    response = page.goto(f"{live_server.url}/candidates/?stage=open&group=men&sort=name")
    assert response is not None and response.status == 200
    yield page
    context.close()


def assert_no_violations(page: Any) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_list_with_results_and_filters(list_page: Any) -> None:
    assert list_page.locator("text=Selected filters").count() == 1
    assert_no_violations(list_page)


def test_bulk_error_page(list_page: Any) -> None:
    list_page.check("input[name=candidates] >> nth=0")
    list_page.check("#bulk_action_1")  # move to a stage
    list_page.select_option("#bulk_stage", "closed")
    list_page.click("#bulk-actions button[type=submit]")
    assert "Choose why you are moving them to Closed" in list_page.content()
    assert_no_violations(list_page)


def test_email_preview_page(list_page: Any) -> None:
    list_page.check("input[name=candidates] >> nth=0")
    list_page.check("#bulk_action_3")  # send an email
    list_page.fill("#bulk_subject", "Open day")
    list_page.fill("#bulk_message", "Come to our open day on Friday.")
    list_page.click("#bulk-actions button[type=submit]")
    assert "Check the email before you send it" in list_page.content()
    assert_no_violations(list_page)
