"""Template filters for figures: a count's share of its denominator (academy.figures.percent)."""

from __future__ import annotations

from django import template

from academy.figures import percent

register = template.Library()


@register.filter
def percent_of(part: int, whole: int) -> str:
    """ "42%" for 10 of 24; a dash when there is no denominator."""
    share = percent(part, whole)
    return "\u2013" if share is None else f"{share}%"
