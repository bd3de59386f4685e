"""The report filters: a period (a quarter, the year to date or any dates), an academy or a whole
region, and optionally a stream, course, cohort or provider. One form for the dashboard, the CSV and
the lists of people, so a link from a figure opens the same scope the figure was counted in."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.http import Http404

from academy.models import Academy, FundingStream, User
from academy.periods import Quarter, last_quarters
from academy.tenancy import access_of
from courses.models import Cohort, Course
from providers.models import Provider
from reporting.scope import ReportScope

QUARTERS_OFFERED = 8
YEAR_TO_DATE = "ytd"
DATE_RANGE = "range"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AcademyField(forms.ChoiceField):
    """A select of academies and whole regions; any list of ids is accepted here and checked against
    the user's access in ReportFilterForm.clean_academy (a figure's link names a region's ids)."""

    def valid_value(self, value: Any) -> bool:
        return True


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(label="Period", required=False)
    start = forms.DateField(label="From (for a date range)", required=False, widget=_date_input())
    end = forms.DateField(label="To (for a date range)", required=False, widget=_date_input())
    academy = AcademyField(label="Academy", required=False)
    stream = forms.TypedChoiceField(label="Funding stream", required=False, coerce=int, empty_value=None)
    course = forms.TypedChoiceField(label="Course", required=False, coerce=int, empty_value=None)
    cohort = forms.TypedChoiceField(label="Cohort", required=False, coerce=int, empty_value=None)
    provider = forms.TypedChoiceField(label="Provider", required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, user: User, today: dt.date) -> None:
        super().__init__(data)
        self.today = today
        self.quarters = list(reversed(last_quarters(today, QUARTERS_OFFERED)))
        _choices(self, "period").choices = [
            *((q.start.isoformat(), q.label) for q in self.quarters),
            (YEAR_TO_DATE, "Financial year to date"),
            (DATE_RANGE, "Date range (choose below)"),
        ]
        access = access_of(user)
        self.readable = set(access.readable_ids)
        academies = list(Academy.objects.filter(pk__in=self.readable).select_related("region").order_by("name"))
        choices = [(str(a.pk), a.name) for a in academies]
        regions: dict[str, list[int]] = {}
        for academy in academies:
            if academy.region is not None:
                regions.setdefault(academy.region.name, []).append(academy.pk)
        choices += [
            (",".join(map(str, sorted(ids))), f"Whole region: {name}") for name, ids in regions.items() if len(ids) > 1
        ]
        _choices(self, "academy").choices = choices
        self.in_use = access.in_use_id
        _choices(self, "stream").choices = [("", "All streams")] + [
            (s.pk, s.name)
            for s in FundingStream.objects.filter(Q(academy__isnull=True) | Q(academy_id__in=self.readable)).order_by(
                "name"
            )
        ]
        courses = Course.objects.filter(academy_id__in=self.readable).order_by("title")
        _choices(self, "course").choices = [("", "All courses")] + [(c.pk, c.title) for c in courses]
        _choices(self, "cohort").choices = [("", "All cohorts")] + [
            (c.pk, f"{c.course.title}: {c.name}")
            for c in Cohort.objects.filter(course__academy_id__in=self.readable)
            .select_related("course")
            .order_by("-start_date")[:100]
        ]
        _choices(self, "provider").choices = [("", "All providers")] + [
            (p.pk, p.name) for p in Provider.objects.order_by("name")[:500]
        ]

    def clean_academy(self) -> tuple[int, ...] | None:
        """One academy or several (a region), all readable by the user; the academy in use by default.

        Asking for an academy the user may not read is out of scope (404), not a form error."""
        raw = (self.cleaned_data.get("academy") or "").strip()
        if not raw:
            return (self.in_use,) if self.in_use is not None else ()
        try:
            ids = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}))
        except ValueError:
            raise forms.ValidationError("Choose an academy or a region.") from None
        if not ids or not set(ids) <= self.readable:
            raise Http404("No such academy.")
        return ids

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") == DATE_RANGE:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start:
                self.add_error("start", "Enter the first day of the date range.")
            if not end:
                self.add_error("end", "Enter the last day of the date range.")
            if start and end and end < start:
                self.add_error("end", "The last day must be the same as or after the first day.")
        return cleaned

    def quarter(self) -> Quarter:
        """The quarter the dashboard compares (the chosen one, else the one the period ends in)."""
        return Quarter.containing(self.scope().end)

    def scope(self) -> ReportScope:
        """The chosen scope; this quarter for the academy in use when nothing (valid) is chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or ""
        if period == DATE_RANGE and data.get("start") and data.get("end"):
            start, end = data["start"], data["end"]
        elif period == YEAR_TO_DATE:
            start, end = Quarter.containing(self.today).year_to_date_start(), self.today
        else:
            quarter = next((q for q in self.quarters if q.start.isoformat() == period), self.quarters[0])
            start, end = quarter.start, quarter.end
        academies = data.get("academy") if self.is_valid() else None
        if academies is None:
            academies = self.clean_academy_default()
        return ReportScope(
            start=start,
            end=end,
            academy_ids=academies,
            stream_id=data.get("stream"),
            course_id=data.get("course"),
            cohort_id=data.get("cohort"),
            provider_id=data.get("provider"),
        )

    def clean_academy_default(self) -> tuple[int, ...]:
        return (self.in_use,) if self.in_use is not None else ()
