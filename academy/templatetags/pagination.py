"""Template helpers for the shared pagination include."""

from __future__ import annotations

from collections.abc import Iterator

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def elided_page_range(page_obj: Page) -> Iterator[str | int]:
    """First, last, current and neighbouring page numbers, with ellipses: constant cost however many pages."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
