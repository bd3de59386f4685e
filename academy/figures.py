"""How figures are shown: one rounding rule for shares, so every page and report agrees."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> int | None:
    """`part` as a whole-number percentage of `whole` (rounded half up), or None when `whole` is 0."""
    if not whole:
        return None
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
