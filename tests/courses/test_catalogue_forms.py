"""Catalogue form fields that read what people type: times, amounts in pounds, whole numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms

from courses.forms.catalogue import CourseForm, PoundsField
from courses.forms.scheduling import TimeTextField


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9:30", dt.time(9, 30)),
        ("09.30", dt.time(9, 30)),
        ("930", dt.time(9, 30)),
        ("14:00", dt.time(14, 0)),
        ("2pm", dt.time(14, 0)),
        ("2:30 PM", dt.time(14, 30)),
        ("12pm", dt.time(12, 0)),
        ("12am", dt.time(0, 0)),
        ("12 noon", dt.time(12, 0)),
        (" 9 ", dt.time(9, 0)),
    ],
)
def test_time_field_reads_common_ways_of_writing_a_time(typed: str, expected: dt.time) -> None:
    assert TimeTextField(name="start time").clean(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "9:75", "13pm", "half nine", "1 noon", "0am"])
def test_time_field_refuses_what_is_not_a_time(typed: str) -> None:
    with pytest.raises(forms.ValidationError) as exc:
        TimeTextField(name="start time").clean(typed)
    assert exc.value.messages == ["Start time must be a time, like 9:30am or 14:30"]


def test_time_field_required_message_names_it() -> None:
    with pytest.raises(forms.ValidationError) as exc:
        TimeTextField(name="end time").clean("")
    assert exc.value.messages == ["Enter the end time"]


def test_time_field_shows_a_saved_time_as_hours_and_minutes() -> None:
    assert TimeTextField(name="start time").prepare_value(dt.time(9, 5)) == "09:05"


@pytest.mark.parametrize(("typed", "expected"), [("£60", "60"), ("1,060.50", "1060.50"), (" 60.5 ", "60.5")])
def test_pounds_field_accepts_a_pound_sign_and_commas(typed: str, expected: str) -> None:
    field = PoundsField(max_digits=7, decimal_places=2)
    assert field.clean(typed) == Decimal(expected)


def test_course_form_number_limits_are_named() -> None:
    form = CourseForm(
        data={
            "title": "x",
            "summary": "y",
            "kind": "refresher",
            "length_days": "0",
            "placement_days": "400",
            "attendance_bursary_amount": "0",
            "attendance_bursary_threshold": "101",
            "status": "draft",
        }
    )
    assert not form.is_valid()
    assert form.errors == {
        "length_days": ["Length in training days must be 1 or more"],
        "placement_days": ["Work placement days must be 365 or less"],
        "attendance_bursary_amount": ["Attendance bursary must be more than £0, or left blank for none"],
        "attendance_bursary_threshold": ["Attendance needed for the bursary must be 100% or less"],
    }
