"""The academy record: details managers keep up to date, the switcher, and the logo on reports."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, UpdateView, View
from django.views.generic.detail import SingleObjectMixin

from academy.audit import audit_log
from academy.files import private_file_response
from academy.forms import GovukFormHelperMixin
from academy.models import Academy, User
from academy.permissions import PermissionRequiredMixin, is_academy_staff, is_manager, permission_required
from academy.tenancy import access_of, can_change_in_academy, load_access, remember
from academy.validators import uk_phone

LOGO_MAX_BYTES = 1024 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


def check_logo(file: UploadedFile) -> None:
    """A logo is a PNG or JPG image of at most 1 MB, by its contents, not only its name."""
    if file.size and file.size > LOGO_MAX_BYTES:
        raise ValidationError("The logo must be smaller than 1 MB.")
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(magic) for magic in LOGO_TYPES):
        raise ValidationError("The logo must be a PNG or JPG image.")


class AcademyForm(GovukFormHelperMixin, forms.ModelForm[Academy]):
    submit_label = "Save academy details"
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Academy
        fields = ["name", "councils", "postcode_areas", "contact_email", "contact_phone", "address", "website", "logo"]
        labels = {"logo": "Logo (PNG or JPG, up to 1 MB)"}

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"]
        return uk_phone(phone) if phone else phone

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            check_logo(logo)
        return logo


def academies_visible_to(user: User) -> Any:
    """Staff see the academies they may use (their own, and their region's if a regional manager)."""
    if not is_academy_staff(user):
        return Academy.objects.none()
    return Academy.objects.filter(pk__in=access_of(user).readable_ids)


def can_edit_academy(user: User, obj: Academy | None = None) -> bool:
    """Managers keep their own academy's details; a regional view cannot change them."""
    return is_manager(user) and (obj is None or can_change_in_academy(user, obj.pk))


class AcademyDetailView(PermissionRequiredMixin, DetailView[Academy]):
    """The academy in use: its details, and the academies one may switch to."""

    permission = staticmethod(is_academy_staff)
    template_name = "academy/academy_detail.html"
    context_object_name = "academy"

    def get_object(self, queryset: Any = None) -> Academy:
        academy = academies_visible_to(self.actor).select_related("region").filter(pk=access_of(self.actor).in_use_id)
        found = academy.first()
        if found is None:
            raise Http404("You are not a member of any academy yet.")
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit_academy(self.actor, self.object)
        context["region_academies"] = (
            Academy.objects.filter(region=self.object.region).exclude(pk=self.object.pk) if self.object.region else []
        )
        return context


class AcademyUpdateView(PermissionRequiredMixin, UpdateView[Academy, AcademyForm]):
    permission = staticmethod(can_edit_academy)
    form_class = AcademyForm
    template_name = "academy/academy_form.html"
    context_object_name = "academy"
    success_url = reverse_lazy("academy:academy-detail")

    def get_object(self, queryset: Any = None) -> Academy:
        academy = academies_visible_to(self.actor).filter(pk=access_of(self.actor).in_use_id).first()
        if academy is None:
            raise Http404("You are not a member of any academy yet.")
        if not can_edit_academy(self.actor, academy):
            raise PermissionDenied
        return academy

    @transaction.atomic
    def form_valid(self, form: AcademyForm) -> HttpResponse:
        academy = form.save()
        audit_log(actor=self.actor, action="academy.update", obj=academy, data={"changed": form.changed_data})
        remember(self.request.session, load_access(self.actor, prefer=academy.pk))  # the new name in the header
        messages.success(self.request, "Academy details saved.")
        return redirect(self.get_success_url())


class AcademyLogoView(PermissionRequiredMixin, SingleObjectMixin[Academy], View):
    """The logo, from private storage (it is shown on the academy page and in reports)."""

    permission = staticmethod(is_academy_staff)
    slug_field = slug_url_kwarg = "public_id"

    def get_queryset(self) -> Any:
        return academies_visible_to(self.actor)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        academy = self.get_object()
        if not academy.logo:
            raise Http404("This academy has no logo.")
        name = academy.logo.name.rsplit("/", 1)[-1]
        content_type = "image/png" if name.lower().endswith(".png") else "image/jpeg"
        return private_file_response(academy.logo, filename=name, content_type=content_type)


@require_POST
@permission_required(is_academy_staff)
def academy_switch(request: HttpRequest) -> HttpResponse:
    """Work in another of one's academies; the choice lasts for the session."""
    user = cast(User, request.user)
    try:
        wanted = int(request.POST.get("academy", ""))
    except ValueError:
        raise Http404("No such academy.") from None
    access = load_access(user, prefer=wanted)
    if access.in_use_id != wanted:
        raise Http404("No such academy.")
    in_use = access.in_use
    if in_use is None:
        raise Http404("No such academy.")
    remember(request.session, access)
    audit_log(actor=user, action="academy.switch", data={"academy": in_use.name})
    read_only = "" if in_use.writable else " You can view its records but not change them."
    messages.success(request, f"You are now working in {in_use.name}.{read_only}")
    # Home, not back: the page they were on may show a record of the academy they left.
    return redirect("academy:home")
