"""Every text template: short enough for two text parts with the longest names we allow, and free of special
category data (nothing about DBS checks, criminal records or equality monitoring, in words or variables)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from academy.notifications.render import SMS_MAX_CHARS, notification_render

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SMS_TEMPLATES = sorted(p.relative_to(TEMPLATES).as_posix()[: -len("_sms.txt")] for p in TEMPLATES.rglob("*_sms.txt"))

# Words no text may contain, rendered or in its source (a variable named after DBS or equality data counts too).
FORBIDDEN = re.compile(
    r"\b(dbs|disclosure|barring|criminal|conviction|caution|offence|equality|ethnic\w*|religio\w*|disab\w*|"
    r"sexual\w*|gender|pregnan\w*|health condition|refugee|asylum|benefit\w*)\b",
    re.IGNORECASE,
)

LONG_NAME = "Long Name Residential And Nursing Care Homes Partnership Limited (North)"  # longer than we truncate to
LONG_PATH = "/" + "p" * 60 + "/"


def _longest_context() -> dict[str, object]:
    """Every value any text template uses, at its longest, so the length check is the worst case."""
    when = dt.datetime(2026, 12, 30, 23, 45, tzinfo=dt.UTC)
    return {
        "site_name": "Care Career Academy",
        "site_url": "https://care-career-academy.example.gov.uk",
        "course": SimpleNamespace(title=LONG_NAME),
        "cohort": SimpleNamespace(start_date=dt.date(2026, 12, 30), name=LONG_NAME),
        "offer_expires_on": dt.date(2026, 12, 30),
        "provider": SimpleNamespace(name=LONG_NAME),
        "vacancy": SimpleNamespace(title=LONG_NAME),
        "starts_at": when,
        "count": 10,
        "respond_path": LONG_PATH,
        "interview_path": LONG_PATH,
        "board_path": "/jobs/?q=senior+care+worker&where=LS9+8AB&radius=10&job_role=care_worker&hours=part_time",
        "unsubscribe_path": "/jobs/alerts/saved/" + "a" * 22 + ":" + "b" * 43 + "/",
        "first_name": "Alexandria-Josephine",
    }


def test_the_text_templates_are_found() -> None:
    # Course offers, interview invitations and job alerts at least; an empty list would pass the checks below.
    assert {
        "courses/email/application_offered",
        "placements/email/interview_invitation",
        "placements/email/job_alert",
    } <= set(SMS_TEMPLATES)


@pytest.mark.parametrize("prefix", SMS_TEMPLATES)
def test_every_text_is_short_and_carries_no_special_category_data(prefix: str) -> None:
    source = (TEMPLATES / f"{prefix}_sms.txt").read_text()
    assert not FORBIDDEN.search(source), f"{prefix}_sms.txt names special category data"

    text = notification_render(prefix=prefix, channel="sms", context=_longest_context())
    assert len(text.body) <= SMS_MAX_CHARS, f"{prefix}: {len(text.body)} characters"
    assert text.body.startswith("Care Career Academy:")  # the sender is named: texts come from a short code
    assert not FORBIDDEN.search(text.body)
    assert "None" not in text.body and "{" not in text.body


def test_a_text_over_the_limit_is_refused_rather_than_cut(settings) -> None:
    context = {**_longest_context(), "site_url": "https://" + "x" * 300}
    with pytest.raises(ValueError, match="more than 306"):
        notification_render(prefix="placements/email/job_alert", channel="sms", context=context)
