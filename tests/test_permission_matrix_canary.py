"""The permission matrix can fail: broken views in tests/matrix_canary/urls.py are each caught.

Each check is paired with a correct view that passes, so the checks are not simply always failing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.matrix import STAFF_ONLY, Row, expect, no_kwargs
from tests.test_permission_matrix import project_urls, row_failures

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.matrix_canary.urls")]


@pytest.fixture
def failures_of(
    client_for: Callable[[str], Client], django_capture_on_commit_callbacks, candidate: object, other_candidate: object
) -> Callable[[str, Row], list[str]]:
    def check(name: str, row: Row) -> list[str]:
        return row_failures(row, reverse(f"canary:{name}"), client_for, django_capture_on_commit_callbacks)

    return check


def test_a_correct_view_passes(failures_of: Callable[[str, Row], list[str]]) -> None:
    assert failures_of("staff", Row(no_kwargs, "get", STAFF_ONLY)) == []


def test_a_post_allowed_to_those_refused_a_get_is_caught(failures_of: Callable[[str, Row], list[str]]) -> None:
    failures = failures_of("post-hole", Row(no_kwargs, "get", STAFF_ONLY))
    assert any(f.startswith("learner POST") and "302, expected the refusal 403" in f for f in failures)


def test_a_refused_post_that_wrote_something_is_caught(failures_of: Callable[[str, Row], list[str]]) -> None:
    failures = failures_of("writes", Row(no_kwargs, "get", STAFF_ONLY))
    assert any("learner POST" in f and "changed ['academy.AuditEntry']" in f for f in failures)


def test_a_refused_post_that_updated_a_row_is_caught(failures_of: Callable[[str, Row], list[str]]) -> None:
    failures = failures_of("updates", Row(no_kwargs, "get", STAFF_ONLY))
    assert any("learner POST" in f and "changed ['providers.Provider']" in f for f in failures)


def test_a_refused_post_that_queued_work_is_caught(failures_of: Callable[[str, Row], list[str]]) -> None:
    failures = failures_of("queues", Row(no_kwargs, "get", STAFF_ONLY))
    assert any("learner POST" in f and "queued 1" in f for f in failures)


def test_explicit_post_refusals_override_the_derived_ones(failures_of: Callable[[str, Row], list[str]]) -> None:
    # Declared as refused to nobody: the hole is then the row's own statement, not the checker's.
    assert failures_of("post-hole", Row(no_kwargs, "get", STAFF_ONLY, post={})) == []


def test_another_learners_marker_on_a_page_is_caught(failures_of: Callable[[str, Row], list[str]]) -> None:
    failures = failures_of("leaky", Row(no_kwargs, "get", expect(200)))
    assert any(f.startswith("learner ") and "other\\\\.learner@example\\\\.org" in f for f in failures)
    assert not any(f.startswith(("other_learner ", "staff ")) for f in failures)


def test_a_new_namespace_is_covered_without_editing_the_test() -> None:
    names, unnamed = project_urls()
    assert {"canary:staff", "canary:leaky"} <= names
    assert not any(name.startswith("account_") for name in names), "allauth is excluded on purpose"
    assert unnamed == []
