"""Bank holidays in England and Wales, checked against the published GOV.UK lists."""

from __future__ import annotations

import datetime as dt

import pytest

from academy.bank_holidays import bank_holidays, easter_sunday, is_bank_holiday


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Christmas on a Friday: Boxing Day (Saturday) moves to Monday 28th.
        (2026, "2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28"),
        # Christmas on a Saturday: both move, to Monday 27th and Tuesday 28th.
        (2027, "2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28"),
        # New Year's Day on a Saturday moves to Monday 3rd.
        (2011, "2011-01-03 2011-04-22 2011-04-25 2011-05-02 2011-05-30 2011-08-29 2011-12-26 2011-12-27"),
    ],
)
def test_a_years_bank_holidays(year: int, expected: str) -> None:
    assert sorted(bank_holidays(year)) == [d(day) for day in expected.split()]


def test_easter() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2038)] == [
        d("2024-03-31"),
        d("2025-04-20"),
        d("2026-04-05"),
        d("2038-04-25"),
    ]


def test_is_bank_holiday() -> None:
    assert is_bank_holiday(d("2026-12-25"))
    assert not is_bank_holiday(d("2026-12-24"))
