"""A request body larger than any upload allows is refused before it is read."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from academy.models import User
from candidates.models import Candidate

pytestmark = pytest.mark.django_db


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    def readline(self, size: int | None = -1) -> bytes:
        raise AssertionError("the body was read")


def _huge_post(client, url: str, size: int):
    return client.generic(
        "POST",
        url,
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": UnreadableBody()},
    )


def test_a_300_mb_post_to_the_documents_page_is_refused_unread(client_for, candidate: Candidate) -> None:
    response = _huge_post(client_for("learner"), reverse("candidates:document-list"), 300 * 1024 * 1024)
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page
    assert "10 MB" in page


def test_the_limit_follows_the_setting(settings, client_for, candidate: Candidate) -> None:
    settings.REQUEST_MAX_BODY_BYTES = 2 * 1024 * 1024
    url = reverse("candidates:document-list")
    assert _huge_post(client_for("learner"), url, 3 * 1024 * 1024).status_code == 413


def test_a_post_within_the_limit_reaches_the_view(client_for, candidate: Candidate, learner: User) -> None:
    client = client_for("learner")
    url = reverse("candidates:document-list")
    response = client.post(url, {"kind": "other"})
    assert response.status_code != 413
