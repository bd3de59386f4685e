"""Checking one row of an import: every problem named with its line and column, values normalised."""

from __future__ import annotations

from datetime import date

import pytest

from candidates.forms.imports import check_row

TODAY = date(2026, 11, 26)


def check(**values: str):
    return check_row({"line": 7, "first_name": "Ann", "last_name": "Smith", **values}, today=TODAY)


def errors(**values: str) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in check(**values).errors]


def test_a_full_valid_row_becomes_candidate_data() -> None:
    row = check(
        email=" Ann.Smith@Example.ORG ",
        phone="07700 900123",
        postcode="ls1  4ap",
        date_of_birth="27/03/1985",
        source="Jobcentre Plus",
        employment_status="unemployed",
        months_out_of_work="14",
        benefit_status="Universal Credit",
        jobcentre_referral="Yes",
        work_coach_name="Priya Shah",
        notes="Keen on home care",
    )
    assert row.errors == []
    assert row.data == {
        "first_name": "Ann",
        "last_name": "Smith",
        "email": "ann.smith@example.org",
        "phone": "07700 900123",
        "postcode": "LS1 4AP",
        "date_of_birth": date(1985, 3, 27),
        "source": "jobcentre",
        "employment_status": "unemployed",
        "months_out_of_work": 14,
        "benefit_status": "universal_credit",
        "jobcentre_referral": True,
        "work_coach_name": "Priya Shah",
    }
    assert row.notes == "Keen on home care"


def test_required_names() -> None:
    row = check_row({"line": 12, "first_name": " ", "last_name": ""}, today=TODAY)
    assert row.errors == [
        {"line": 12, "field": "first_name", "message": "Enter the first name"},
        {"line": 12, "field": "last_name", "message": "Enter the last name"},
    ]
    assert row.data == {}


@pytest.mark.parametrize(("value", "expected"), [("1985-03-27", date(1985, 3, 27)), ("7/3/1985", date(1985, 3, 7))])
def test_dates_of_birth_iso_or_day_first(value: str, expected: date) -> None:
    assert check(date_of_birth=value).data["date_of_birth"] == expected


def test_date_with_excel_midnight_time() -> None:
    assert check(date_of_birth="1985-03-27 00:00:00").data["date_of_birth"] == date(1985, 3, 27)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("03/27/1985", "“03/27/1985” is not a date. Write the date of birth as DD/MM/YYYY, like 27/03/1985"),
        ("31/02/1990", "“31/02/1990” is not a date. Write the date of birth as DD/MM/YYYY, like 27/03/1985"),
        ("27/03/85", "Date of birth must include a four-digit year, like 27/03/1985"),
        ("01/01/2030", "Date of birth must be in the past"),
    ],
)
def test_invalid_dates(value: str, message: str) -> None:
    assert errors(date_of_birth=value) == [("date_of_birth", message)]


def test_invalid_email() -> None:
    assert errors(email="ann@") == [("email", "Enter an email address in the correct format, like name@example.com")]


@pytest.mark.parametrize("value", ["+44 (0)7700 900123", "0113 496 0000", "07700-900-123"])
def test_phone_formats(value: str) -> None:
    assert errors(phone=value) == []


@pytest.mark.parametrize(("value", "fragment"), [("call me", "Enter a UK phone number"), ("7.7009E+09", "Excel has")])
def test_invalid_phones(value: str, fragment: str) -> None:
    [(name, message)] = errors(phone=value)
    assert name == "phone"
    assert fragment in message


@pytest.mark.parametrize("value", ["jobcentre", "JOBCENTRE PLUS", "Jobcentre Plus", "jobcentre plus"])
def test_choices_by_code_or_label_in_any_case(value: str) -> None:
    assert check(source=value).data["source"] == "jobcentre"


def test_unknown_choice_lists_the_allowed_values() -> None:
    [(name, message)] = errors(source="Facebok")
    assert name == "source"
    assert message.startswith("“Facebok” is not a source we know. Use one of: Jobcentre Plus, Social media,")


@pytest.mark.parametrize(
    ("value", "expected"), [("yes", True), ("Y", True), ("TRUE", True), ("no", False), ("", False)]
)
def test_jobcentre_referral_yes_or_no(value: str, expected: bool) -> None:
    assert check(jobcentre_referral=value).data["jobcentre_referral"] is expected


def test_jobcentre_referral_must_be_yes_or_no() -> None:
    assert errors(jobcentre_referral="maybe") == [("jobcentre_referral", "Jobcentre referral must be yes or no")]


def test_a_named_work_coach_means_a_jobcentre_referral_unless_it_says_no() -> None:
    assert check(work_coach_name="Priya Shah").data["jobcentre_referral"] is True
    assert errors(work_coach_name="Priya Shah", jobcentre_referral="no") == [
        ("work_coach_name", "Only give a work coach's name if Jobcentre Plus referred them")
    ]


def test_lengths_and_numbers() -> None:
    assert errors(first_name="A" * 81, months_out_of_work="six") == [
        ("first_name", "The first name must be 80 characters or fewer"),
        ("months_out_of_work", "Months out of work must be a whole number, like 6"),
    ]


def test_every_problem_of_a_row_is_reported() -> None:
    assert [name for name, _ in errors(email="x", date_of_birth="soon", source="?", last_name="")] == [
        "last_name",
        "email",
        "source",
        "date_of_birth",
    ]
