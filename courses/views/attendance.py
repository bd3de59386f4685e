"""The attendance register of a session: the whole cohort on one page, one save.

Works without JavaScript: one POST saves every row, bad rows come back with their errors and
the good ones are saved. With htmx, choosing a mark saves that row at once (the same URL with
`row=<enrolment public id>`) and only that row is swapped back.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from courses.forms.attendance import AttendanceRowForm, RegisterForm
from courses.models import Attendance, Session
from courses.permissions import can_run_cohorts, cohorts_visible_to
from courses.selectors.delivery import (
    SessionRegister,
    register_problem,
    session_mark_counts,
    session_register,
    sessions_of,
)
from courses.services.attendance import attendance_register_save

# The submit button that marks every row left blank as present.
FILL_REST_PRESENT = "rest_present"


class AttendanceRegisterView(PermissionRequiredMixin, SingleObjectMixin[Session], View):
    """GET shows the register; POST saves it (bad rows are reported, the others saved)."""

    permission = staticmethod(can_run_cohorts)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Session]:
        return sessions_of(cohorts_visible_to(self.actor))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        register = session_register(self.get_object())
        return self._page(register, RegisterForm(None, enrolments=register.enrolments, initial=register.marks))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.get_object()
        register = session_register(session)
        only = self._single_row(request)
        if only is not None:
            return self._save_row(register, only)
        fill = Attendance.Mark.PRESENT if FILL_REST_PRESENT in request.POST else ""
        form = RegisterForm(request.POST, enrolments=register.enrolments, fill_blank=fill)
        form.check_something_marked()
        if form.top_errors:
            return self._page(register, form)
        try:
            result = attendance_register_save(session=session, rows=form.row_marks(), actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        form.add_row_errors(result.errors)
        if not form.has_errors:
            messages.success(request, _saved_message(session))
            return redirect(session.cohort.get_absolute_url() + "#attendance")
        # The good rows are saved: show everyone's attendance as it is now, and the rows to fix.
        form.set_percents(session_register(session).enrolments)
        return self._page(register, form, saved=len(result.saved) + result.unchanged)

    def _single_row(self, request: HttpRequest) -> uuid.UUID | None:
        """The row an htmx save sent (an enrolment's public id), or None for a whole-register save."""
        if request.headers.get("HX-Request") != "true":
            return None
        try:
            return uuid.UUID(request.POST.get("row", ""))
        except ValueError:
            return None

    def _save_row(self, register: SessionRegister, only: uuid.UUID) -> HttpResponse:
        """Save one row (htmx) and return it; a row still blank (a note typed before the mark) waits."""
        form = RegisterForm(self.request.POST, enrolments=register.enrolments, only=only)
        row = form.row_for(only)
        if row is None:
            return HttpResponse("That learner is not on this register.", status=400)
        status = ""
        if not row.mark_submitted:
            # Nothing to save yet: keep what was typed, without complaining about the missing mark.
            row = AttendanceRowForm(
                None, enrolment=row.enrolment, initial={"note": row.data.get(row.add_prefix("note"))}
            )
        else:
            try:
                result = attendance_register_save(session=register.session, rows=form.row_marks(), actor=self.actor)
            except ValidationError as exc:
                row.add_error("mark", " ".join(exc.messages))
            else:
                form.add_row_errors(result.errors)
                if not row.errors:
                    form.set_percents(session_register(register.session).enrolments)
                    mark = Attendance.Mark(row.cleaned_data["mark"]).label.lower()
                    status = f"Saved: {row.enrolment.candidate.full_name}, {mark}."
        context = {
            "row": row,
            "register": register,
            "status": status,
            "mark_choices": Attendance.Mark.choices,
            "flag_below": settings.ATTENDANCE_FLAG_BELOW_PERCENT,
        }
        return render(self.request, "courses/_attendance_row_saved.html", context)

    def _page(self, register: SessionRegister, form: RegisterForm, saved: int | None = None) -> HttpResponse:
        context = {
            "session": register.session,
            "cohort": register.session.cohort,
            "register": register,
            "form": form,
            "saved": saved,
            "problem": register_problem(register.session, today=timezone.localdate()),
            "mark_choices": Attendance.Mark.choices,
            "flag_below": settings.ATTENDANCE_FLAG_BELOW_PERCENT,
        }
        return render(self.request, "courses/attendance_register.html", context)


def _saved_message(session: Session) -> str:
    counts = session_mark_counts(session)
    total = sum(counts.values())
    parts = ", ".join(f"{counts[mark]} {label.lower()}" for mark, label in Attendance.Mark.choices if counts.get(mark))
    return f"The register for {session.date:%A %-d %B} is saved: {total} learner{pluralize(total)} marked" + (
        f" ({parts})." if parts else "."
    )
