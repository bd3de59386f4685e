"""The learner's CV: building it, the PDF, comments; staff's view and coaching; a provider's download."""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from candidates.models import Candidate
from candidates.permissions import candidates_visible_to
from candidates.services.records import candidate_for_learner
from placements.cv_pdf import cv_pdf_filename, cv_pdf_render
from placements.forms.cv import CvCommentForm, CvForm, WorkHistoryEntryForm, WorkHistoryFormSet, work_history_initial
from placements.models import CvComment, JobApplication
from placements.permissions import (
    application_cvs_visible_to,
    can_coach_on_cv,
    can_download_application_cv,
    can_edit_own_cv,
    can_resolve_cv_comment,
    cv_comments_visible_to,
)
from placements.selectors.cv import CvPage, cv_page
from placements.services.cv import cv_comment_add, cv_comment_resolve, cv_record_download, cv_save


def pdf_response(page: CvPage) -> HttpResponse:
    response = HttpResponse(cv_pdf_render(page), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cv_pdf_filename(page)}"'
    response["Cache-Control"] = "private, no-store"
    return response


class LearnerCvMixin(PermissionRequiredMixin):
    permission = staticmethod(can_edit_own_cv)

    @cached_property
    def candidate(self) -> Candidate:
        return candidate_for_learner(self.actor)


class CvDetailView(LearnerCvMixin, TemplateView):
    """The learner's CV as it will print, the academy's comments, and links to edit and download."""

    template_name = "placements/cv_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(page=cv_page(self.candidate), **kwargs)


class CvEditView(LearnerCvMixin, TemplateView):
    """Edit the CV and its work history rows (add a row, remove a row) without JavaScript."""

    template_name = "placements/cv_edit.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page = cv_page(self.candidate)
        cv = page.cv
        form = CvForm(
            initial={"personal_statement": cv.personal_statement, "skills": cv.skills, "interests": cv.interests}
        )
        history = work_history_initial(cv.work_history)
        formset = WorkHistoryFormSet(initial=history or [{}], prefix="jobs")
        return self.render_to_response(self.get_context_data(form=form, formset=formset, page=page))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CvForm(request.POST)
        formset = WorkHistoryFormSet(request.POST, prefix="jobs")
        if "add_job" in request.POST:
            # Another blank row, keeping everything typed so far (nothing is saved).
            data = request.POST.copy()
            data["jobs-TOTAL_FORMS"] = str(int(data.get("jobs-TOTAL_FORMS") or 0) + 1)
            formset = WorkHistoryFormSet(data, prefix="jobs")
            return self.render_to_response(
                self.get_context_data(
                    form=CvForm(request.POST), formset=_unbound_copy(formset), page=cv_page(self.candidate)
                )
            )
        if form.is_valid() and formset.is_valid():
            entries = [entry for f in formset.forms if (entry := cast(WorkHistoryEntryForm, f).as_entry()) is not None]
            try:
                cv_save(candidate=self.candidate, actor=self.actor, work_history=entries, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "Your CV is saved.")
                return redirect("placements:cv-detail")
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, page=cv_page(self.candidate)), status=200
        )


def _unbound_copy(formset: Any) -> Any:
    """The rows as typed, shown without errors (adding a row is not a submission)."""
    initial = [
        {k: f.data.get(f.add_prefix(k), "") for k in ("employer", "role", "start", "end", "summary")}
        for f in formset.forms
        if not (f.data.get(f.add_prefix("DELETE")))
    ]
    return WorkHistoryFormSet(initial=initial, prefix="jobs")


class CvPdfView(LearnerCvMixin, View):
    """The learner's own CV as a PDF."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return pdf_response(cv_page(self.candidate))


class CvCommentResolveView(PermissionRequiredMixin, SingleObjectMixin[CvComment], View):
    """POST only: the learner marks a comment on their CV as dealt with."""

    permission = staticmethod(can_resolve_cv_comment)
    http_method_names = ["post"]
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[CvComment]:
        return cv_comments_visible_to(self.actor).select_related("cv")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        comment = self.get_object()
        try:
            cv_comment_resolve(comment=comment, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Comment marked as dealt with.")
        return redirect("placements:cv-detail")


class StaffCvMixin(PermissionRequiredMixin):
    """A learner's CV for staff: the candidate from the staff scope (404), then the permission (403)."""

    permission = staticmethod(can_coach_on_cv)
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.candidate  # noqa: B018  (404 before 403)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def candidate(self) -> Candidate:
        candidate = get_object_or_404(candidates_visible_to(self.actor), public_id=self.kwargs["public_id"])
        if not self.permission(self.actor, candidate):
            raise PermissionDenied
        return candidate


class CandidateCvView(StaffCvMixin, TemplateView):
    """Staff read a learner's CV and coach on it with comments."""

    template_name = "placements/cv_staff_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", CvCommentForm())
        return super().get_context_data(page=cv_page(self.candidate), **kwargs)


class CvCommentCreateView(StaffCvMixin, View):
    """POST only: add a coaching comment; errors re-show the CV page with the comment typed."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CvCommentForm(request.POST)
        if form.is_valid():
            try:
                cv_comment_add(candidate=self.candidate, actor=self.actor, body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Comment added. {self.candidate.full_name} sees it on their CV page.")
                return redirect("placements:candidate-cv", public_id=self.candidate.public_id)
        return render(request, "placements/cv_staff_detail.html", {"page": cv_page(self.candidate), "form": form})


class CandidateCvPdfView(StaffCvMixin, View):
    """Staff download a learner's CV as a PDF (audited)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page = cv_page(self.candidate)
        cv_record_download(candidate=self.candidate, actor=self.actor)
        return pdf_response(page)


class ApplicationCvPdfView(PermissionRequiredMixin, SingleObjectMixin[JobApplication], View):
    """The CV attached to a job application, for the provider applied to (and staff); every download audited."""

    permission = staticmethod(can_download_application_cv)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[JobApplication]:
        return application_cvs_visible_to(self.actor).select_related("candidate")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.get_object()
        page = cv_page(application.candidate)
        cv_record_download(candidate=application.candidate, actor=self.actor, application=application)
        return pdf_response(page)
