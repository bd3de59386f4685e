"""The permission decorator (the mixin is exercised by the permission matrix)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from academy.models import User
from academy.permissions import is_manager, permission_required

pytestmark = pytest.mark.django_db


@permission_required(is_manager)
def managers_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("secret")


def _request(user) -> HttpRequest:
    request = RequestFactory().get("/reports/")
    request.user = user
    return request


def test_decorator_redirects_anonymous_to_sign_in() -> None:
    response = managers_only(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reports/"


def test_decorator_refuses_without_the_right_and_allows_with_it(staff: User, manager: User) -> None:
    with pytest.raises(PermissionDenied):
        managers_only(_request(staff))
    assert managers_only(_request(manager)).content == b"secret"


def test_deactivated_manager_loses_the_right(manager: User) -> None:
    manager.is_active = False
    with pytest.raises(PermissionDenied):
        managers_only(_request(manager))
