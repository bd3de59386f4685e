"""Portable DBS: sharing an outcome with a provider needs the learner's consent, and stops when it goes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck, DbsShare, DbsStatusCheck
from candidates.selectors.dbs_sharing import dbs_share_providers, dbs_shared_with_provider
from candidates.services.consent import consent_record
from candidates.services.dbs_sharing import dbs_share_create, dbs_share_revoke
from candidates.views.dbs_sharing import DbsSharedListView
from providers.models import Provider
from tests.candidates.factories_dbs_records import TODAY, at_status, consent_to_sharing, shared
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = DbsCheck.Status
SHARED_LIST = "candidates:dbs-shared-list"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def _today(time_machine) -> None:
    time_machine.move_to(timezone.make_aware(datetime.combine(TODAY, time(10, 0))), tick=False)


@pytest.fixture
def cleared(candidate: Candidate, staff: User) -> DbsCheck:
    """The learner persona's check, cleared."""
    return at_status(Status.CLEARED, candidate=candidate, staff=staff)


# --- the story ----------------------------------------------------------------------------------


def test_provider_sees_cleared_only_after_consent_and_sharing_and_not_after_withdrawal(
    client_for: Callable[[str], Client],
    cleared: DbsCheck,
    provider_a: Provider,
    provider_user: User,
    other_provider_user: User,
    staff: User,
    django_capture_on_commit_callbacks,
) -> None:
    learner_client, staff_client, provider_client = (
        client_for("learner"),
        client_for("staff"),
        client_for("provider_user"),
    )
    share_url = reverse("candidates:dbs-share", kwargs={"public_id": cleared.public_id})

    # Cleared, but the learner has not agreed: staff cannot share, and the provider sees nothing.
    assert "has not agreed to share" in html(staff_client.get(share_url))
    response = staff_client.post(share_url, {"provider": provider_a.pk})
    assert "has not agreed to share" in html(response)
    assert "DBS cleared" not in html(provider_client.get(reverse(SHARED_LIST)))

    # The learner agrees on their consent page; still nothing until staff share it.
    learner_client.post(reverse("candidates:consent"), {"share_with_providers": "yes"})
    assert "DBS cleared" not in html(provider_client.get(reverse(SHARED_LIST)))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(share_url, {"provider": provider_a.pk})
    assert response.status_code == 302
    page = html(provider_client.get(reverse(SHARED_LIST)))
    assert "DBS cleared" in page
    assert "Lena Learner" in page
    assert "Enhanced with adults&#x27; barred list" in page
    assert "001234567890" not in page and "E0001234567" not in page
    assert "DBS cleared" not in html(client_for("other_provider_user").get(reverse(SHARED_LIST)))
    assert [m.subject for m in mail.outbox] == ["Your DBS outcome has been shared with Provider A"]
    assert mail.outbox[0].to == ["learner@example.org"]

    # The learner withdraws consent: the provider stops seeing it at once, and the share is stopped.
    learner_client.post(reverse("candidates:consent"), {"share_with_providers": "no"})
    assert "DBS cleared" not in html(provider_client.get(reverse(SHARED_LIST)))
    share = DbsShare.objects.get()
    assert share.revoked_at is not None
    revoke = AuditEntry.objects.get(action="dbs.share_revoke")
    assert (revoke.actor, revoke.data["reason"]) == (share.dbs_check.candidate.user, "consent withdrawn")

    # Agreeing again does not bring old shares back: staff share again if the learner wants it.
    learner_client.post(reverse("candidates:consent"), {"share_with_providers": "yes"})
    assert "DBS cleared" not in html(provider_client.get(reverse(SHARED_LIST)))


def test_the_learner_sees_who_can_see_the_outcome(
    client_for: Callable[[str], Client], cleared: DbsCheck, provider_a: Provider
) -> None:
    consent_to_sharing(cleared.candidate)
    shared(cleared, provider_a)
    page = html(client_for("learner").get(reverse("candidates:dbs-my")))
    assert "Provider A" in page
    assert "DBS cleared" in page
    assert "001234567890" not in page
    assert "E0001234567" not in page


def test_a_learner_without_a_check_sees_what_happens(client_for: Callable[[str], Client], candidate: Candidate) -> None:
    page = html(client_for("learner").get(reverse("candidates:dbs-my")))
    assert "You do not have a DBS check with the academy yet" in page


# --- the service's rules ------------------------------------------------------------------------


def test_share_needs_consent(cleared: DbsCheck, provider_a: Provider, staff: User) -> None:
    consent_to_sharing(cleared.candidate, granted=False)
    with pytest.raises(ValidationError, match="has not agreed"):
        dbs_share_create(check=cleared, provider=provider_a, actor=staff)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.DISCLOSED, Status.WITHDRAWN])
def test_only_an_outcome_that_lets_them_work_can_be_shared(
    status: str, candidate: Candidate, provider_a: Provider, staff: User
) -> None:
    check = at_status(status, candidate=candidate, staff=staff)
    consent_to_sharing(candidate)
    with pytest.raises(ValidationError, match="Only an outcome that lets them work"):
        dbs_share_create(check=check, provider=provider_a, actor=staff)


def test_not_suitable_is_never_shared(candidate: Candidate, provider_a: Provider, staff: User) -> None:
    check = at_status(Status.DECISION_MADE, candidate=candidate, staff=staff, decision="not_suitable")
    consent_to_sharing(candidate)
    with pytest.raises(ValidationError, match="Only an outcome that lets them work"):
        dbs_share_create(check=check, provider=provider_a, actor=staff)


def test_suitable_after_a_risk_assessment_is_shared_as_such(
    candidate: Candidate, provider_a: Provider, staff: User
) -> None:
    check = at_status(Status.DECISION_MADE, candidate=candidate, staff=staff)
    consent_to_sharing(candidate)
    dbs_share_create(check=check, provider=provider_a, actor=staff)
    assert [s.dbs_check for s in dbs_shared_with_provider(provider_a)] == [check]


def test_only_the_current_check_is_shared(cleared: DbsCheck, provider_a: Provider, staff: User) -> None:
    consent_to_sharing(cleared.candidate)
    at_status(Status.SUBMITTED, candidate=cleared.candidate, started_on=TODAY)
    with pytest.raises(ValidationError, match="newer DBS check"):
        dbs_share_create(check=cleared, provider=provider_a, actor=staff)


def test_new_information_blocks_sharing(cleared: DbsCheck, provider_a: Provider, staff: User) -> None:
    consent_to_sharing(cleared.candidate)
    DbsStatusCheck.objects.create(dbs_check=cleared, checked_on=TODAY, result=DbsStatusCheck.Result.NEW_INFORMATION)
    with pytest.raises(ValidationError, match="found new information"):
        dbs_share_create(check=cleared, provider=provider_a, actor=staff)


def test_share_once_per_provider_and_only_with_active_ones(
    cleared: DbsCheck, provider_a: Provider, provider_b: Provider, staff: User
) -> None:
    consent_to_sharing(cleared.candidate)
    dbs_share_create(check=cleared, provider=provider_a, actor=staff)
    with pytest.raises(ValidationError) as excinfo:
        dbs_share_create(check=cleared, provider=provider_a, actor=staff)
    assert excinfo.value.message_dict == {"provider": ["The outcome is already shared with Provider A"]}
    assert list(dbs_share_providers(cleared)) == [provider_b]
    Provider.objects.filter(pk=provider_b.pk).update(is_active=False)
    provider_b.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer active"):
        dbs_share_create(check=cleared, provider=provider_b, actor=staff)


def test_revoke_is_logged_once(cleared: DbsCheck, provider_a: Provider, staff: User) -> None:
    share = shared(cleared, provider_a)
    dbs_share_revoke(share=share, actor=staff)
    with pytest.raises(ValidationError, match="already been stopped"):
        dbs_share_revoke(share=share, actor=staff)
    assert AuditEntry.objects.filter(action="dbs.share_revoke").count() == 1


def test_consent_withdrawn_by_any_route_hides_the_outcome(cleared: DbsCheck, provider_a: Provider) -> None:
    consent_to_sharing(cleared.candidate, at=timezone.now() - timedelta(days=2))
    shared(cleared, provider_a)
    assert dbs_shared_with_provider(provider_a).count() == 1
    # A withdrawal written without the consent service (say, an import) still hides it.
    consent_to_sharing(cleared.candidate, granted=False)
    assert dbs_shared_with_provider(provider_a).count() == 0


def test_withdrawing_consent_through_the_service_stops_every_share(
    cleared: DbsCheck, provider_a: Provider, provider_b: Provider, learner: User
) -> None:
    consent_record(candidate=cleared.candidate, actor=learner, kind="share_with_providers", granted=True)
    shared(cleared, provider_a)
    shared(cleared, provider_b)
    consent_record(candidate=cleared.candidate, actor=learner, kind="share_with_providers", granted=False)
    assert not DbsShare.objects.filter(revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="dbs.share_revoke").count() == 2


def test_anonymised_records_are_not_shown(cleared: DbsCheck, provider_a: Provider) -> None:
    consent_to_sharing(cleared.candidate)
    shared(cleared, provider_a)
    Candidate.objects.filter(pk=cleared.candidate.pk).update(anonymised_at=timezone.now())
    assert dbs_shared_with_provider(provider_a).count() == 0


# --- staff pages --------------------------------------------------------------------------------


def test_stop_sharing_asks_first(
    client_for: Callable[[str], Client], cleared: DbsCheck, provider_a: Provider, staff: User
) -> None:
    share = shared(cleared, provider_a)
    url = reverse("candidates:dbs-share-revoke", kwargs={"public_id": share.public_id})
    staff_client = client_for("staff")
    page = html(staff_client.get(url))
    assert "Stop sharing the outcome with Provider A?" in page
    assert "govuk-button--warning" in page
    share.refresh_from_db()
    assert share.revoked_at is None
    response = staff_client.post(url)
    assert response["Location"] == cleared.get_absolute_url() + "#sharing"
    share.refresh_from_db()
    assert share.revoked_at is not None
    # A second visit says it is already stopped rather than asking again.
    assert staff_client.get(url).status_code == 302


def test_share_page_lists_providers_not_shared_with_yet(
    client_for: Callable[[str], Client], cleared: DbsCheck, provider_a: Provider, provider_b: Provider
) -> None:
    consent_to_sharing(cleared.candidate)
    shared(cleared, provider_a)
    page = html(client_for("staff").get(reverse("candidates:dbs-share", kwargs={"public_id": cleared.public_id})))
    assert "Provider B" in page
    assert ">Provider A<" not in page
    response = client_for("staff").post(reverse("candidates:dbs-share", kwargs={"public_id": cleared.public_id}), {})
    assert "Select the care provider to share the outcome with" in html(response)


# --- the provider's list ------------------------------------------------------------------------


def _add_shared(n: int, provider: Provider) -> None:
    for _ in range(n):
        check = at_status(Status.CLEARED, candidate=CandidateFactory.create())
        consent_to_sharing(check.candidate)
        shared(check, provider)


def test_provider_list_query_count_does_not_grow(
    client_for: Callable[[str], Client], provider_user: User, provider_a: Provider, django_assert_num_queries
) -> None:
    client = client_for("provider_user")
    url = reverse(SHARED_LIST)
    client.get(url)
    _add_shared(2, provider_a)
    # 8 = the page's 7 + the second-factor check every provider request makes (academy.middleware).
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    _add_shared(20, provider_a)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert "22 outcomes" in html(response)


def test_provider_list_is_paginated(
    client_for: Callable[[str], Client], provider_user: User, provider_a: Provider, monkeypatch
) -> None:
    monkeypatch.setattr(DbsSharedListView, "paginate_by", 2)
    _add_shared(3, provider_a)
    page = html(client_for("provider_user").get(reverse(SHARED_LIST), {"page": "2"}))
    assert 'aria-label="Page 2"' in page
    assert page.count("DBS cleared</strong>") == 1


def test_each_view_of_the_provider_list_is_logged(
    client_for: Callable[[str], Client], provider_user: User, provider_a: Provider
) -> None:
    client = client_for("provider_user")
    client.get(reverse(SHARED_LIST))
    assert not AuditEntry.objects.filter(action="dbs.view_shared").exists()  # nothing shown, nothing logged
    _add_shared(1, provider_a)
    client.get(reverse(SHARED_LIST))
    entry = AuditEntry.objects.get(action="dbs.view_shared")
    assert entry.actor == provider_user
    assert entry.data["checks"] == [str(DbsCheck.objects.get().public_id)]


def test_provider_list_empty_state(client_for: Callable[[str], Client], provider_user: User) -> None:
    assert "No DBS outcomes have been shared with you yet" in html(
        client_for("provider_user").get(reverse(SHARED_LIST))
    )
