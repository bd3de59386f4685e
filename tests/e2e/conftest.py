"""Fixtures of the browser journeys: Chromium (shared with tests/test_accessibility.py), one tab per person,
and a screenshot of every open tab when a test fails."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
from django.core import mail

from academy.models import User
from candidates.models import Milestone, PipelineStage
from tests.e2e.harness import Journey
from tests.test_accessibility import _session_cookie, browser

__all__ = ["browser", "email_link", "journeys", "milestone_stages"]

DESKTOP = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def milestone_stages(transactional_db: None) -> None:
    """The stages migrations make (the factories' "enquiry", and one per milestone): an earlier transactional
    test may have emptied the table, and code moves people by milestone."""
    registered = PipelineStage.objects.filter(milestone=Milestone.REGISTERED).exists()
    PipelineStage.objects.get_or_create(
        slug="enquiry",
        defaults={"name": "Enquiry", "position": 5, "milestone": "" if registered else Milestone.REGISTERED},
    )
    for position, milestone in enumerate(Milestone, start=1):
        if not PipelineStage.objects.filter(milestone=milestone).exists():
            PipelineStage.objects.update_or_create(
                slug=f"e2e-{milestone.value}".replace("_", "-"),
                defaults={
                    "name": milestone.label,
                    "position": position * 10,
                    "milestone": milestone.value,
                    "is_closed": milestone == Milestone.CLOSED,
                },
            )


@pytest.fixture
def journeys(
    browser,
    live_server,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., Journey]]:
    """`journeys("learner", user=staff, width=320, keyboard_only=True)` opens a tab for one journey.

    Every tab is saved as a screenshot if the test fails (E2E_SCREENSHOT_DIR/<name>/FAILED-after-NN.png).
    """
    opened: list[tuple[Any, Journey]] = []

    def open_tab(name: str, *, user: User | None = None, width: int = 1280, keyboard_only: bool = False) -> Journey:
        # bypass_csp lets axe's script run; the CSP itself is tested elsewhere.
        context = browser.new_context(bypass_csp=True, viewport={**DESKTOP, "width": width})
        if user is not None:
            context.add_cookies([_session_cookie(user, live_server.url)])
        page = context.new_page()
        page.set_default_timeout(8_000)
        journey = Journey(name=name, page=page, base_url=live_server.url, keyboard_only=keyboard_only)
        shutil.rmtree(journey.folder, ignore_errors=True)  # this run's pictures only
        opened.append((context, journey))
        return journey

    yield open_tab
    failed = request.node.stash.get(_FAILED, False)
    for context, journey in opened:
        if failed:
            journey.failed()
        context.close()


def email_link(to: str, pattern: str) -> str:
    """The path of the first link matching `pattern` in the last email sent to `to` (the live server's outbox)."""
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(r"https?://[^/\s]+(" + pattern + r")", str(message.body))
            assert match, message.body
            return match.group(1)
    raise AssertionError(f"No email to {to}: {[(m.to, m.subject) for m in mail.outbox]}")
