"""The personnel folder: the provider's view once released, staff's edits, references."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic.detail import SingleObjectMixin

from academy.audit import audit_log
from academy.permissions import PermissionRequiredMixin
from candidates.forms.records import add_service_errors
from candidates.models import Candidate
from candidates.permissions import candidates_visible_to
from candidates.services.dbs import dbs_check_view
from placements.forms.starts import FolderForm, ReferenceForm
from placements.models import PersonnelFolder, Reference
from placements.permissions import can_edit_folder, can_view_folder, folder_applications_visible_to
from placements.selectors.starts import application_scope, folder_page
from placements.services.folders import folder_update, folder_view, reference_add, reference_update
from placements.views.starts.common import ApplicationObjectMixin, viewer_provider


@method_decorator(never_cache, name="dispatch")
class FolderDetailView(ApplicationObjectMixin, View):
    """The folder released with an offer: 404 for a provider without the learner's consent and a release."""

    permission = staticmethod(can_view_folder)

    def get_queryset(self) -> QuerySet[Any]:
        return application_scope(folder_applications_visible_to(self.actor))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        page = folder_page(candidate=application.candidate, viewer=self.actor, provider=viewer_provider(self.actor))
        folder_view(actor=self.actor, application=application, candidate=application.candidate, where="folder page")
        if page.dbs_check is not None and self.actor.is_academy_staff:
            dbs_check_view(actor=self.actor, check=page.dbs_check, where="personnel folder")
        elif page.dbs_check is not None:
            # A DBS outcome shown to a provider is logged as the DBS area logs its shared list.
            audit_log(
                actor=self.actor,
                action="dbs.view_shared",
                obj=viewer_provider(self.actor),
                data={"checks": [str(page.dbs_check.public_id)], "where": "personnel folder"},
            )
        release = getattr(application, "folder_release", None)
        return render(request, "placements/folder_detail.html", self.base_context(page=page, release=release))


class CandidateObjectMixin(PermissionRequiredMixin, SingleObjectMixin[Candidate]):
    permission = staticmethod(can_edit_folder)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "candidate"
    object: Candidate

    def get_queryset(self) -> QuerySet[Candidate]:
        return candidates_visible_to(self.actor)


@method_decorator(never_cache, name="dispatch")
class FolderEditView(CandidateObjectMixin, View):
    """Staff keep the employment history and right-to-work evidence; the references are listed below."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        folder = PersonnelFolder.objects.filter(candidate=self.object).first()
        initial = (
            {
                "employment_history": folder.employment_history,
                "right_to_work_evidence": folder.right_to_work_evidence,
                "right_to_work_seen_on": folder.right_to_work_seen_on,
            }
            if folder is not None
            else {}
        )
        folder_view(actor=self.actor, application=None, candidate=self.object, where="staff folder page")
        return self._render(FolderForm(initial=initial), folder)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = FolderForm(request.POST)
        if form.is_valid():
            try:
                folder_update(candidate=self.object, actor=self.actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{self.object.full_name}'s personnel folder has been saved.")
                return redirect("placements:folder-edit", public_id=self.object.public_id)
        return self._render(form, PersonnelFolder.objects.filter(candidate=self.object).first())

    def _render(self, form: FolderForm, folder: PersonnelFolder | None) -> HttpResponse:
        references = list(folder.references.all()) if folder is not None else []
        context = {
            "candidate": self.object,
            "folder": folder,
            "form": form,
            "references": list(enumerate(references, start=1)),
        }
        return render(self.request, "placements/folder_form.html", context)


@method_decorator(never_cache, name="dispatch")
class ReferenceFormView(CandidateObjectMixin, View):
    """Add a referee (no number in the URL) or change the reference at position `number` in the folder."""

    def reference(self) -> Reference | None:
        number = self.kwargs.get("number")
        if number is None:
            return None
        folder = PersonnelFolder.objects.filter(candidate=self.object).first()
        references = list(folder.references.all()) if folder is not None else []
        if not 1 <= number <= len(references):
            raise Http404("No such reference")
        return references[number - 1]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        reference = self.reference()
        initial: dict[str, Any] = {}
        if reference is not None:
            initial = {name: getattr(reference, name) for name in ReferenceForm.base_fields}
        return self._render(ReferenceForm(initial=initial), reference)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        reference = self.reference()
        form = ReferenceForm(request.POST)
        if form.is_valid():
            try:
                if reference is None:
                    reference_add(candidate=self.object, actor=self.actor, **form.cleaned_data)
                else:
                    reference_update(reference=reference, actor=self.actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The reference has been saved.")
                return redirect("placements:folder-edit", public_id=self.object.public_id)
        return self._render(form, reference)

    def _render(self, form: ReferenceForm, reference: Reference | None) -> HttpResponse:
        context = {"candidate": self.object, "form": form, "reference": reference}
        return render(self.request, "placements/reference_form.html", context)
