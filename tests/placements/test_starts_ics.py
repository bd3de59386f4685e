"""The interview's calendar file: RFC 5545 shape, stable UID, SEQUENCE, CANCEL, escaping and folding."""

from __future__ import annotations

import datetime as dt

import pytest

from placements.ics import CANCEL, REQUEST, interview_calendar
from tests.placements.factories_starts import InterviewFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_a_request_has_the_event_in_utc_with_crlf_lines() -> None:
    interview = InterviewFactory.create(
        starts_at=dt.datetime(2027, 3, 10, 13, 30, tzinfo=dt.UTC), duration_minutes=45, location="Oak House, Leeds"
    )
    text = interview_calendar(interview=interview, method=REQUEST, now=NOW)
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "METHOD:REQUEST" in lines
    assert "DTSTART:20270310T133000Z" in lines and "DTEND:20270310T141500Z" in lines
    assert "DTSTAMP:20270301T090000Z" in lines
    assert "LOCATION:Oak House\\, Leeds" in lines
    assert "STATUS:CONFIRMED" in lines and "SEQUENCE:0" in lines
    assert all(len(line.encode()) <= 75 for line in lines)


def test_the_uid_is_stable_and_a_cancel_carries_the_sequence() -> None:
    interview = InterviewFactory.create(notes="Bring your passport; ask for Sam\nat reception")
    first = interview_calendar(interview=interview, method=REQUEST, now=NOW)
    interview.sequence = 2
    cancel = interview_calendar(interview=interview, method=CANCEL, now=NOW)
    uid = f"UID:interview-{interview.public_id}@"
    assert uid in first and uid in cancel
    assert "METHOD:CANCEL" in cancel and "STATUS:CANCELLED" in cancel and "SEQUENCE:2" in cancel
    unfolded = first.replace("\r\n ", "")
    assert "Bring your passport\\; ask for Sam\\nat reception" in unfolded


def test_a_video_link_cannot_break_out_of_its_line() -> None:
    interview = InterviewFactory.create(location="", video_link="https://meet.example.com/abc")
    interview.video_link = "https://meet.example.com/abc\r\nATTENDEE:mailto:x@example.org"
    text = interview_calendar(interview=interview, method=REQUEST, now=NOW)
    assert "\r\nATTENDEE" not in text
    assert "LOCATION:Video call" in text
