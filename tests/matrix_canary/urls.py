"""A URLconf of deliberately broken views: the permission matrix must catch each one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import include, path
from django.views import View

from academy import urls as project_urls
from academy.audit import audit_log
from academy.models import User
from academy.permissions import is_academy_staff
from providers.models import Provider


def staff(request: HttpRequest) -> bool:
    return isinstance(request.user, User) and is_academy_staff(request.user)


def write(request: HttpRequest) -> None:
    audit_log(actor=request.user if isinstance(request.user, User) else None, action="canary.post", data={})


class StaffPage(LoginRequiredMixin, View):
    """Correct: staff only, for GET and POST alike."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not staff(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def post(self, request: HttpRequest) -> HttpResponse:
        write(request)
        return HttpResponse("done", status=302, headers={"Location": "/"})


class PostHole(LoginRequiredMixin, View):
    """GET is refused to non-staff, POST is not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not staff(request):
            raise PermissionDenied
        return HttpResponse("ok")

    def post(self, request: HttpRequest) -> HttpResponse:
        write(request)
        return HttpResponse("done", status=302, headers={"Location": "/"})


class WritesThenRefuses(PostHole):
    """Answers POST with the right refusal, but only after writing."""

    def post(self, request: HttpRequest) -> HttpResponse:
        write(request)
        if not staff(request):
            raise PermissionDenied
        return HttpResponse("done", status=302, headers={"Location": "/"})


class QueuesThenRefuses(PostHole):
    """Answers POST with the right refusal, but queues work for after the commit first."""

    def post(self, request: HttpRequest) -> HttpResponse:
        transaction.on_commit(lambda: None)
        raise PermissionDenied


class UpdatesThenRefuses(PostHole):
    """Answers POST with the right refusal, but only after saving a row it changed nothing in."""

    def post(self, request: HttpRequest) -> HttpResponse:
        for provider in Provider.objects.all():
            provider.save()
        raise PermissionDenied


class Leaky(LoginRequiredMixin, View):
    """Every signed-in user may look, and every one sees the other learner's address."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("Contact other.learner@example.org")


canary_patterns = [
    path("staff/", StaffPage.as_view(), name="staff"),
    path("post-hole/", PostHole.as_view(), name="post-hole"),
    path("writes/", WritesThenRefuses.as_view(), name="writes"),
    path("queues/", QueuesThenRefuses.as_view(), name="queues"),
    path("updates/", UpdatesThenRefuses.as_view(), name="updates"),
    path("leaky/", Leaky.as_view(), name="leaky"),
]

# The project's own URLs after the canaries: error pages and the header link to them.
urlpatterns = [path("canary/", include((canary_patterns, "canary"))), *project_urls.urlpatterns]
