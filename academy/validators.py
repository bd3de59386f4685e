"""One check for each kind of UK contact detail, used by every form and import that takes one.

Each returns the value in its usual written form ("ls11aa" -> "LS1 1AA"; "+44 7700 900123" ->
"07700 900123"), "" for a blank value, and raises ValidationError with a message that says what to
enter otherwise.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Outward code, then inward code (a digit and two letters, never C, I, K, M, O or V).
UK_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")
PHONE_ALLOWED = re.compile(r"^\+?[\d\s().-]+$")
UK_PHONE = re.compile(r"^0[1-9]\d{8,9}$")
# Excel turns a long number typed into a General cell into scientific notation (7.7E+09).
EXCEL_NUMBER = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")

POSTCODE_MESSAGE = "Enter a real UK postcode, like LS1 4AP"
PHONE_MESSAGE = "Enter a UK phone number, like 07700 900 982 or 0113 496 0000"


def uk_postcode(value: str) -> str:
    """Upper case, one space before the inward code ("ls11aa" -> "LS1 1AA")."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if not UK_POSTCODE.match(compact):
        raise ValidationError(POSTCODE_MESSAGE, code="invalid")
    return f"{compact[:-3]} {compact[-3:]}"


def uk_phone(value: str) -> str:
    """A UK number in national format with spaces ("+44 7700 900123" -> "07700 900123")."""
    raw = (value or "").strip()
    if not raw:
        return ""
    if EXCEL_NUMBER.match(raw):
        raise ValidationError(
            "Excel has turned the phone number into a number like 7.7E+09. Format the column as Text and type it again",
            code="excel",
        )
    if not PHONE_ALLOWED.match(raw):
        raise ValidationError(PHONE_MESSAGE, code="invalid")
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if not digits.startswith("44"):
            raise ValidationError("Enter a UK phone number: numbers from other countries cannot be used", code="abroad")
        digits = "0" + digits[2:].removeprefix("0")  # "+44 (0)113 ..." has a stray 0 after the code
    if not UK_PHONE.match(digits) or (digits.startswith("07") and len(digits) != 11):
        raise ValidationError(PHONE_MESSAGE, code="invalid")
    if digits.startswith("02") and len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


def is_uk_mobile(value: str) -> bool:
    """Whether a stored phone number (uk_phone's form) can receive texts: UK mobiles start 07."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return len(digits) == 11 and digits.startswith("07")
