"""The CV as a PDF: the CV page's data rendered to HTML, then to PDF by WeasyPrint.

Nothing is fetched while rendering (no network, no files): the stylesheet is inline in the template and
any URL a learner typed into their CV is refused by the fetcher.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from placements.selectors.cv import CvPage


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The CV PDF fetches nothing ({url!r} refused)")


def cv_pdf_render(page: CvPage) -> bytes:
    """PDF bytes of the CV (about half a second for a one-page CV)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: WeasyPrint loads Pango, which only this needs

    html = render_to_string("placements/cv_pdf.html", {"page": page, "today": timezone.localdate()})
    return bytes(HTML(string=html, url_fetcher=_no_fetching).write_pdf())


def cv_pdf_filename(page: CvPage) -> str:
    return f"cv-{slugify(page.candidate.full_name) or 'learner'}.pdf"
