"""Every URL of the matrix, tried by a manager of a second academy on the first academy's objects.

The matrix's objects all belong to academy A (its learners, records, cohorts, DBS checks,
payments; its providers take referrals from A only). A manager of academy B may open what the
row lets managers open, but:
- a URL that names one of A's objects is a 404 (a POST too, and it changes nothing);
- no page shows A's people;
- a URL that names something every academy shares (SHARED, with the reason) answers as for A's manager.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from academy.models import Academy, AcademyMembership, FundingStream, Role, User
from providers.models import Provider
from tests.conftest import _with_totp, sign_in
from tests.factories import UserFactory
from tests.matrix import LEARNER_MARKERS, OTHER_LEARNER_MARKERS, WALK_IN_MARKERS, Objects
from tests.test_permission_matrix import MATRIX, fingerprint, handles_post, objs, rolled_back  # noqa: F401

A_PEOPLE = [*LEARNER_MARKERS, *OTHER_LEARNER_MARKERS, *WALK_IN_MARKERS]

# URL names whose object is the installation's or shared by every academy, with the reason.
SHARED = {
    "candidates:stage-update": "pipeline stages are the installation's, named by its managers",
    "courses:finder-detail": "the public course finder lists every academy's published courses",
    "placements:job-detail": "the public job board shows every live vacancy",
    "candidates:outreach-interest": "the public events page takes interest in any academy's public event",
    "placements:job-alert-unsubscribe": "a job alert's signed link works for whoever holds it, without signing in",
    "reporting:figure-people": "names a figure, not an object: the list is of the academy in use's people",
    "reporting:narrative-edit": "names a quarter, not an object: the narrative is the academy in use's",
    "academy:file-job-detail": "a download belongs to the person who asked, whatever academy",
    "academy:file-job-download": "a download belongs to the person who asked, whatever academy",
}


@pytest.fixture
def academy_b_manager(db: None, staff: User, manager: User) -> Iterator[User]:
    first = Academy.objects.default()
    second = Academy.objects.create(name="Second Academy", slug="second")
    for user in (staff, manager):
        AcademyMembership.objects.get_or_create(user=user, academy=first)
    bea = _with_totp(UserFactory.create(email="bea@example.org", full_name="Bea Bmanager", role=Role.MANAGER))
    AcademyMembership.objects.create(user=bea, academy=second)
    yield bea


def _b_expected(url_name: str, kwargs: dict[str, Any], manager_status: int) -> set[int]:
    """What B's manager may get: A's object is out of scope (404); what A's manager is refused, B's is
    refused too (a 403 may come out as 404: scope is checked before rights)."""
    if manager_status not in (200, 302):
        return {manager_status, 404}
    if url_name in SHARED or not kwargs:
        return {manager_status}
    return {404}


def _text(response: Any) -> str:
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/"):
        return ""
    content = b"".join(response) if response.streaming else response.content
    return content.decode(errors="replace")


def _objects_of_first_academy(objects: Objects) -> Objects:
    """Providers and funding streams may serve every academy; here they serve only the first."""
    first = Academy.objects.default()
    for provider in Provider.objects.all():
        provider.academies.set([first])
    FundingStream.objects.update(academy=first)
    return objects


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_second_academy(
    url_name: str,
    objs: Objects,  # noqa: F811 - the permission matrix's objects fixture
    academy_b_manager: User,
    request: pytest.FixtureRequest,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    row = MATRIX[url_name]
    kwargs = row.kwargs(_objects_of_first_academy(objs))
    url = reverse(url_name, kwargs=kwargs)
    expected = _b_expected(url_name, kwargs, row.statuses["manager"])
    client = sign_in(Client(), academy_b_manager)
    failures = []
    with rolled_back():
        response = getattr(client, row.method)(url)
        if response.status_code not in expected:
            failures.append(f"{row.method.upper()} {url}: {response.status_code}, expected {expected}")
        text = _text(response)
        failures += [f"{url} shows {marker!r} of the first academy" for marker in A_PEOPLE if re.search(marker, text)]
    if expected == {404}:
        with rolled_back():
            before = fingerprint()
            with django_capture_on_commit_callbacks() as callbacks:
                response = client.post(url)
            if response.status_code not in (404, 405) or (response.status_code == 405 and handles_post(url)):
                failures.append(f"POST {url}: {response.status_code}, expected 404")
            changed = [label for label, value in fingerprint().items() if before[label] != value]
            if changed or callbacks:
                failures.append(f"POST {url} changed {changed} and queued {len(callbacks)}")
    assert not failures, "\n".join(failures)
