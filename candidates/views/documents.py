"""Documents: learners upload their own, staff upload to a record; downloads are checked and audited."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from academy.files import private_file_response
from academy.permissions import PermissionRequiredMixin
from candidates.forms.learner import DocumentUploadForm
from candidates.models import Candidate, Document
from candidates.permissions import (
    can_delete_document,
    can_upload_documents,
    can_view_document,
    candidates_visible_to,
    documents_visible_to,
)
from candidates.selectors.learner import document_list
from candidates.services.documents import document_delete, document_record_download, document_upload
from candidates.views.learner import LearnerRecordMixin


class UploadFormMixin:
    """Shared by the learner's and the staff upload: the form and the call to the service."""

    request: HttpRequest
    actor: Any

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["max_mb"] = settings.DOCUMENT_MAX_UPLOAD_MB
        return kwargs

    def upload(self, form: DocumentUploadForm, candidate: Candidate) -> Document | None:
        try:
            document = document_upload(
                candidate=candidate, actor=self.actor, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return None
        messages.success(self.request, f"{document.original_name} has been uploaded.")
        return document


class DocumentListView(LearnerRecordMixin, UploadFormMixin, FormView[DocumentUploadForm]):
    """The learner's documents, with the upload form below them."""

    template_name = "candidates/learner/document_list.html"
    form_class = DocumentUploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(documents=document_list(self.candidate), **kwargs)

    def form_valid(self, form: DocumentUploadForm) -> HttpResponse:
        if self.upload(form, self.candidate) is None:
            return self.form_invalid(form)
        return redirect("candidates:document-list")


class CandidateDocumentUploadView(
    PermissionRequiredMixin, UploadFormMixin, SingleObjectMixin[Candidate], FormView[DocumentUploadForm]
):
    """Staff upload a document to someone's record (for example a CV they emailed in)."""

    permission = staticmethod(can_upload_documents)
    template_name = "candidates/learner/document_upload.html"
    form_class = DocumentUploadForm
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "candidate"

    def get_queryset(self) -> QuerySet[Candidate]:
        return candidates_visible_to(self.actor)

    @cached_property
    def candidate(self) -> Candidate:
        return self.get_object()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.candidate
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.candidate
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: DocumentUploadForm) -> HttpResponse:
        if self.upload(form, self.candidate) is None:
            return self.form_invalid(form)
        return redirect(self.candidate.get_absolute_url() + "#documents")


class DocumentScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Document]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Document]:
        return documents_visible_to(self.actor).select_related("candidate")


class DocumentDownloadView(DocumentScopedMixin, View):
    """Sends the file as an attachment with its checked type; every download is audited."""

    permission = staticmethod(can_view_document)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        document = self.get_object()
        response = private_file_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )
        document_record_download(document=document, actor=self.actor)
        return response


class DocumentDeleteView(DocumentScopedMixin, View):
    """GET asks for confirmation; POST deletes the document and its file."""

    permission = staticmethod(can_delete_document)

    def _back_url(self, document: Document) -> str:
        if self.actor.is_learner:
            return reverse("candidates:document-list")
        return document.candidate.get_absolute_url() + "#documents"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = self.get_object()
        return render(
            request,
            "candidates/learner/document_delete.html",
            {"document": document, "back_url": self._back_url(document), "is_own": self.actor.is_learner},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = self.get_object()
        back_url = self._back_url(document)
        document_delete(document=document, actor=self.actor)
        messages.success(request, f"{document.original_name} has been deleted.")
        return redirect(back_url)
