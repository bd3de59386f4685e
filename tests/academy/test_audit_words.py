"""The audit log in words (academy.audit_words): sentences, stage names, fallbacks and the query contract."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy.audit import audit_log
from academy.audit_words import action_sentence, audit_lines, readable_code
from academy.models import AuditEntry, User
from candidates.models import Candidate, PipelineStage
from candidates.services.pipeline import candidate_move_stage
from tests.factories import CandidateFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def open_stages() -> list[PipelineStage]:
    return list(PipelineStage.objects.filter(is_active=True, is_closed=False).order_by("position")[:3])


def table_of(page: str) -> str:
    """The audit log's table only (the action filter's options name every code)."""
    return page.split('<tbody class="govuk-table__body">')[1]


def entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.select_related("actor", "content_type").order_by("created_at", "id"))


def test_known_codes_read_as_sentences() -> None:
    assert action_sentence("application.submit") == "Application submitted"
    assert action_sentence("dbs.start") == "DBS check started"
    assert action_sentence("vacancy.fill_place") == "A place on the vacancy filled"


def test_unknown_codes_fall_back_to_a_readable_form() -> None:
    assert readable_code("vacancy.fill place") == "Vacancy: fill place"
    assert action_sentence("job_application.made_up_status") == "Job application: made up status"
    assert action_sentence("nothing") == "Nothing"


def test_a_stage_change_names_both_stages(staff: User, walk_in: Candidate) -> None:
    first, second, _ = open_stages()
    walk_in.stage = first
    walk_in.save(update_fields=["stage"])
    candidate_move_stage(candidate=walk_in, actor=staff, stage=second)

    [line] = audit_lines(entries())

    assert line.sentence == f"Stage changed from {first.name} to {second.name}"
    assert line.details == []  # the stage ids are not repeated as "from: 2; to: 4"
    assert line.actor_name == staff.get_full_name()
    assert line.object_label == f"Candidate: {walk_in}"
    assert line.object_url == walk_in.get_absolute_url()


def test_identifiers_are_left_out_and_codes_made_readable(staff: User, walk_in: Candidate) -> None:
    audit_log(
        actor=staff,
        action="document.upload",
        obj=walk_in,
        data={"document": str(uuid.uuid4()), "kind": "right_to_work", "checks": [str(uuid.uuid4())], "ok": True},
    )
    [line] = audit_lines(entries())
    assert line.sentence == "Document uploaded"
    assert line.details == ["Kind: right to work", "Ok: yes"]


def test_a_status_change_reads_as_from_and_to(staff: User) -> None:
    provider = ProviderFactory.create()
    audit_log(actor=None, action="vacancy.close_expired", obj=provider, data={"from": "published", "to": "closed"})
    [line] = audit_lines(entries())
    assert line.sentence == "Vacancy closed at its closing date"
    assert line.details == ["Changed from published to closed"]
    assert line.actor_name == "System"


def test_an_object_deleted_since_keeps_its_name_without_a_link(staff: User) -> None:
    candidate = CandidateFactory.create(first_name="Gone", last_name="Away")
    audit_log(actor=staff, action="candidate.update", obj=candidate, data={"changed": ["phone_number"]})
    candidate.delete()
    [line] = audit_lines(entries())
    assert line.object_label == "Candidate: Gone Away"
    assert line.object_url == ""
    assert line.details == ["Changed: phone number"]


def test_the_number_of_queries_does_not_grow_with_the_entries(staff: User) -> None:
    first, second, third = open_stages()

    def add(n: int) -> None:
        for _ in range(n):
            candidate = CandidateFactory.create(stage=first)
            candidate_move_stage(candidate=candidate, actor=staff, stage=second)
            candidate_move_stage(candidate=candidate, actor=staff, stage=third)
            audit_log(actor=staff, action="provider.update", obj=ProviderFactory.create(), data={"changed": ["name"]})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            lines = audit_lines(AuditEntry.objects.select_related("actor", "content_type"))
        assert all(line.object_url for line in lines)
        return len(queries)

    add(1)
    few = count()
    add(5)
    assert count() == few
    # The entries, the stage names, the candidates and the providers.
    assert few == 4


def test_the_audit_log_page_shows_words_not_codes(
    manager: User, staff: User, walk_in: Candidate, client_for: Callable[[str], Client]
) -> None:
    first, second, _ = open_stages()
    walk_in.stage = first
    walk_in.save(update_fields=["stage"])
    candidate_move_stage(candidate=walk_in, actor=staff, stage=second)

    page = client_for("manager").get(reverse("academy:audit-list")).content.decode()
    assert "app-wide" in page  # the wide layout for staff work pages
    page = table_of(page)

    assert f"Stage changed from {first.name} to {second.name}" in page
    assert "candidate.stage" not in page
    assert "from: " not in page
    assert f'href="{walk_in.get_absolute_url()}"' in page


def test_the_record_page_history_shows_words(
    staff: User, walk_in: Candidate, client_for: Callable[[str], Client]
) -> None:
    first, second, _ = open_stages()
    walk_in.stage = first
    walk_in.save(update_fields=["stage"])
    candidate_move_stage(candidate=walk_in, actor=staff, stage=second)

    page = client_for("staff").get(walk_in.get_absolute_url()).content.decode()

    assert f"Stage changed from {first.name} to {second.name}" in page
    assert "<code>candidate.stage</code>" not in page


def test_the_action_filter_offers_sentences_and_whole_areas(
    manager: User, staff: User, walk_in: Candidate, client_for: Callable[[str], Client]
) -> None:
    audit_log(actor=staff, action="dbs.view", obj=walk_in, data={"where": "record page"})
    audit_log(actor=staff, action="candidate.update", obj=walk_in, data={"changed": ["email"]})
    client = client_for("manager")

    page = client.get(reverse("academy:audit-list")).content.decode()
    assert '<option value="dbs.">DBS: all actions</option>' in page
    assert '<option value="dbs.view">DBS check viewed</option>' in page

    page = table_of(client.get(reverse("academy:audit-list"), {"action": "dbs."}).content.decode())
    assert "DBS check viewed" in page
    assert "Record details changed" not in page
