"""Journey 4 of issue 17 in a real Chromium: a manager opens the figures dashboard for the quarter just ended,
writes the quarter's narrative, asks for that quarter's impact report, watches its status change without
reloading the page (the htmx-polled status fragment), downloads the PDF, and finds in its text the headline
figures the dashboard showed.

Background work: journeys 1-3 run their tasks eagerly in the live server's process (CELERY_TASK_ALWAYS_EAGER
in the test settings). Here the build's message is held instead of run inside the request, so the page can
be seen waiting; then the test runs the real Celery task (`impact_report_build_task.apply`, with a task id:
the worker's code path, claim included) in the live server's process while the browser polls. A separate
worker process cannot reach the live server's test database on SQLite; fault (d) in test_faults.py builds a
report in a real prefork worker on PostgreSQL and Redis.

Every page is checked with axe-core and saved as a screenshot.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from academy.models import Academy, User
from academy.periods import Quarter
from reporting.figures import report_figures
from reporting.models import ImpactReport
from reporting.scope import ReportScope
from reporting.tasks import impact_report_build_task
from tests.e2e.harness import Journey
from tests.reporting.figures_data import at, cohort, outcome, person, place
from tests.reporting.impact_helpers import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The headline figures compared between the dashboard and the PDF (keys of reporting.figures).
COMPARED = ("engagement.unique_learners", "learning.course_starts", "employment.job_starts")

# Records each status the page shows (the status tag's words) and marks the window: a reload would lose both.
WATCH_STATUS = """() => {
  window.__e2eNotReloaded = true;
  window.__e2eStatuses = [];
  const note = () => {
    const tag = document.querySelector('[id^="report-status-"] .govuk-tag');
    const words = tag ? tag.textContent.trim() : '';
    if (words && window.__e2eStatuses[window.__e2eStatuses.length - 1] !== words) window.__e2eStatuses.push(words);
  };
  note();
  new MutationObserver(note).observe(document.querySelector('main'), {subtree: true, childList: true});
}"""


def _quarter_data(quarter: Quarter) -> None:
    """People in the quarter just ended: seven new records, five course starts, three job starts."""
    first = quarter.start
    people = [person(at(first + dt.timedelta(days=3 + n))) for n in range(7)]
    course = cohort(first + dt.timedelta(days=20))
    for someone in people[:5]:
        place(someone, course)
    for someone in people[:3]:
        outcome(someone, first + dt.timedelta(days=50))


def _dashboard_value(me: Journey, key: str) -> str:
    """The figure as the dashboard shows it for the chosen period (its first column)."""
    text: str = me.page.locator(f'tr[data-figure="{key}"] td[data-value]').inner_text()
    return text.split(" of ")[0].strip()


def test_manager_writes_the_narrative_makes_the_quarterly_report_and_reads_its_figures(
    journeys: Callable[..., Journey], manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    quarter = Quarter.containing(timezone.localdate()).previous()
    _quarter_data(quarter)
    academy = Academy.objects.default()
    figures = {
        f.key: f for f in report_figures(ReportScope(quarter.start, quarter.end, academy_ids=(academy.pk,))).flat()
    }
    assert [figures[key].value for key in COMPARED] == [7, 5, 3]

    # The build's message, held as the broker would hold it until a worker takes it.
    queued: list[tuple[Any, tuple[Any, ...]]] = []
    monkeypatch.setattr("reporting.impact.services.enqueue_on_commit", lambda task, *args: queued.append((task, args)))

    me = journeys("manager", user=manager)
    page = me.page
    me.go("/")
    me.step("manager home")

    # The dashboard, for the quarter just ended.
    me.press(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports", exact=True))
    me.step("figures dashboard this quarter")
    me.select(page.get_by_label("Period"), quarter.label)
    me.press(page.get_by_role("button", name="Apply filters"))
    me.step("figures dashboard last quarter")
    shown = {key: _dashboard_value(me, key) for key in COMPARED}
    assert shown == {key: figures[key].display for key in COMPARED}, shown

    # The narrative for that quarter.
    me.press(me.main.get_by_role("link", name="Quarterly impact reports (PDF)"))
    me.step("impact reports")
    me.press(me.main.get_by_role("link", name=f"Write the narrative for {quarter.label}"))
    me.step("narrative")
    highlight = f"Our first cohort of the quarter finished together ({uuid.uuid4().hex[:6]})."
    me.fill(page.get_by_label("Highlights of the quarter"), highlight)
    me.fill(page.get_by_label("Challenges in the care sector"), "Recruitment in rural areas stays hard.")
    me.fill(page.get_by_label("Plans for next quarter"), "Two more cohorts in Leeds.")
    me.press(page.get_by_role("button", name="Save the narrative"))
    me.step("narrative saved")
    assert f"The narrative for {quarter.label} has been saved." in page.content()

    # Asks for the quarter's report: the page waits for a worker.
    me.select(page.get_by_label("Quarter"), quarter.label)
    me.press(page.get_by_role("button", name="Make the report"))
    me.step("report waiting")
    report = ImpactReport.objects.get(academy=academy, period_start=quarter.start)
    assert report.status == ImpactReport.Status.QUEUED
    assert [(task, args) for task, args in queued] == [("reporting.tasks.impact_report_build_task", (report.pk,))]
    page.evaluate(WATCH_STATUS)
    assert page.evaluate("window.__e2eStatuses") == ["Waiting to start"]

    # A worker takes the message: the real task, in the live server's process, while the page polls.
    page.wait_for_timeout(2500)  # at least one poll while still waiting
    built: dict[str, Any] = {}

    def work() -> None:
        begun = time.monotonic()
        try:
            built["result"] = impact_report_build_task.apply(args=(report.pk,), task_id=str(uuid.uuid4())).get()
            built["seconds"] = time.monotonic() - begun
        finally:
            connection.close()  # this thread's own connection, or the test database cannot be dropped

    worker = threading.Thread(target=work)
    worker.start()
    page.get_by_role("link", name=re.compile(r"^Download")).wait_for(timeout=60_000)
    worker.join(timeout=60)
    assert built["result"] == "ready"
    statuses = page.evaluate("window.__e2eStatuses")
    assert statuses[0] == "Waiting to start" and statuses[-1] == "Ready", statuses
    assert page.evaluate("window.__e2eNotReloaded") is True, "the status changed without reloading the page"
    me.step("report ready")

    # Downloads the PDF and reads it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download")).click()
    download = download_info.value
    path = me.folder / "impact-report.pdf"
    download.save_as(str(path))
    data = path.read_bytes()
    report.refresh_from_db()
    assert data[:5] == b"%PDF-" and len(data) == report.size
    text = re.sub(r"\s+", " ", pdf_text(data))
    assert quarter.label in text and highlight in text
    headline = text.split("Headline figures", 1)[1]
    for key in COMPARED:
        label = figures[key].label
        assert re.search(rf"{re.escape(shown[key])} {re.escape(label)}", headline), (key, shown[key], label)

    JourneyFigures.record(
        "Journey 4 (manager)",
        f"{time.monotonic() - started:.1f} s for {len(me.steps)} pages; the PDF built in "
        f"{built['seconds']:.2f} s ({report.build_seconds:.2f} s rendering, {report.page_count} pages, "
        f"{report.size / 1024:.0f} KB); status seen: {' -> '.join(statuses)}",
    )


class JourneyFigures:
    """What the journey measured, printed (`-s`) for docs/benchmarks.md."""

    @staticmethod
    def record(what: str, figures: str) -> None:
        print(f"\n[e2e] {what}: {figures}")
