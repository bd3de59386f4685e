"""The person's own background files: the list, a job's progress page and the download."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.file_jobs import file_job_record_download
from academy.files import private_file_response
from academy.models import FileJob
from academy.permissions import PermissionRequiredMixin, is_signed_in
from academy.views import PAGE_SIZE, PaginatedListMixin


def file_jobs_visible_to(user: Any) -> QuerySet[FileJob]:
    """Only the person who asked sees a file: not their manager, not another member of staff."""
    if not user.is_authenticated:
        return FileJob.objects.none()
    return FileJob.objects.filter(requested_by=user)


class FileJobListView(PermissionRequiredMixin, PaginatedListMixin, ListView[FileJob]):
    permission = staticmethod(is_signed_in)
    template_name = "academy/filejob_list.html"
    context_object_name = "jobs"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[FileJob]:
        return file_jobs_visible_to(self.actor).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(keep_hours=settings.FILE_JOB_KEEP_HOURS, **kwargs)


class FileJobScopedMixin(PermissionRequiredMixin, SingleObjectMixin[FileJob]):
    permission = staticmethod(is_signed_in)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[FileJob]:
        return file_jobs_visible_to(self.actor)


class FileJobDetailView(FileJobScopedMixin, DetailView[FileJob]):
    """Progress while the file is made; htmx refreshes the status panel (the page works without it)."""

    template_name = "academy/filejob_detail.html"
    context_object_name = "job"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["academy/_filejob_status.html"]
        return [self.template_name]


class FileJobDownloadView(FileJobScopedMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job = self.get_object()
        if job.status != FileJob.Status.DONE or (job.expires_at and job.expires_at <= timezone.now()):
            raise Http404("This file is not ready, or it has been deleted.")
        response = private_file_response(job.file, filename=job.filename, content_type=job.content_type)
        file_job_record_download(job=job, actor=self.actor)
        return response
