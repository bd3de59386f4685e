"""Managers configure the pipeline stages; a stage with people in it cannot be retired."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from academy.models import AuditEntry, User
from candidates.models import PipelineStage
from candidates.services.records import first_stage
from candidates.services.stages import stage_create, stage_update
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/candidates/stages/"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def manager_client(manager: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("manager")


def update_url(stage: PipelineStage) -> str:
    return reverse("candidates:stage-update", kwargs={"slug": stage.slug})


def form(stage: PipelineStage, **overrides: str) -> dict[str, str]:
    data = {"name": stage.name, "position": str(stage.position)}
    if stage.is_closed:
        data["is_closed"] = "on"
    if stage.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_default_stages_come_from_the_migration() -> None:
    assert list(PipelineStage.objects.order_by("position").values_list("slug", "milestone")) == [
        ("enquiry", "registered"),
        ("screening", "screened"),
        ("on_course", "on_course"),
        ("completed_course", "completed_course"),
        ("dbs", "dbs"),
        ("placement", "placed"),
        ("job_search", "job_ready"),
        ("in_work", "in_work"),
        ("sustained", "sustained"),
        ("closed", "closed"),
    ]
    assert list(PipelineStage.objects.filter(is_closed=True).values_list("slug", flat=True)) == ["closed"]


def test_list_shows_stages_in_order_with_people_counts(manager_client: Client) -> None:
    CandidateFactory.create_batch(3)
    page = html(manager_client.get(LIST_URL))
    assert page.index("Enquiry") < page.index("Screening") < page.index("Closed")
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page
    assert update_url(PipelineStage.objects.get(slug="dbs")) in page


def test_staff_cannot_configure_stages(client_for: Callable[[str], Client], staff: User) -> None:
    client = client_for("staff")
    assert client.get(LIST_URL).status_code == 403
    stage = PipelineStage.objects.get(slug="dbs")
    assert client.post(update_url(stage), form(stage, name="Renamed")).status_code == 403
    stage.refresh_from_db()
    assert stage.name == "DBS"


def test_add_a_stage_gets_a_slug_from_its_name(manager_client: Client, manager: User) -> None:
    page = html(manager_client.get(reverse("candidates:stage-create")))
    assert 'value="100"' in page  # after the last default stage (90)
    response = manager_client.post(
        reverse("candidates:stage-create"), {"name": "Pre-employment checks", "position": "35"}
    )
    assert response["Location"] == LIST_URL
    stage = PipelineStage.objects.get(name="Pre-employment checks")
    assert (stage.slug, stage.position, stage.is_closed, stage.is_active) == ("pre_employment_checks", 35, False, True)
    assert AuditEntry.objects.filter(action="stage.create", actor=manager).exists()


def test_stage_names_and_slugs_are_unique(manager_client: Client, manager: User) -> None:
    page = html(manager_client.post(reverse("candidates:stage-create"), {"name": "on course", "position": "5"}))
    assert "There is already a stage called on course." in page
    with pytest.raises(ValidationError):
        stage_create(actor=manager, name="On-course", position=5)  # same slug as "On course"
    assert PipelineStage.objects.count() == 10


def test_rename_reorder_and_close_a_stage(manager_client: Client, manager: User) -> None:
    stage = PipelineStage.objects.get(slug="job_search")
    response = manager_client.post(
        update_url(stage), form(stage, name="Looking for work", position="65", is_closed="on")
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.name, stage.slug, stage.position, stage.is_closed) == ("Looking for work", "job_search", 65, True)
    assert AuditEntry.objects.get(action="stage.update").data == {"changed": ["name", "position", "is_closed"]}


def test_a_stage_with_people_cannot_be_retired(manager_client: Client) -> None:
    stage = PipelineStage.objects.get(slug="screening")
    CandidateFactory.create_batch(2, stage=stage)
    response = manager_client.post(update_url(stage), form(stage, is_active=""))
    page = html(response)
    assert "2 people are still in Screening. Move them to another stage first" in page
    assert 'href="#id_is_active"' in page
    stage.refresh_from_db()
    assert stage.is_active


def test_an_empty_stage_can_be_retired_and_is_no_longer_offered(
    manager_client: Client, client_for: Callable[[str], Client], walk_in
) -> None:
    stage = PipelineStage.objects.get(slug="placement")
    assert manager_client.post(update_url(stage), form(stage, is_active="")).status_code == 302
    stage.refresh_from_db()
    assert not stage.is_active
    page = html(manager_client.get(reverse("candidates:candidate-stage", kwargs={"public_id": walk_in.public_id})))
    assert f'value="{stage.pk}"' not in page


def test_the_pipeline_keeps_a_stage_for_new_records(manager: User) -> None:
    for stage in PipelineStage.objects.filter(is_closed=False).exclude(slug="enquiry"):
        stage_update(
            stage=stage, actor=manager, name=stage.name, position=stage.position, is_closed=False, is_active=False
        )
    enquiry = PipelineStage.objects.get(slug="enquiry")
    enquiry.candidates.all().delete()
    with pytest.raises(ValidationError, match="At least one stage must be in use and not closed"):
        stage_update(stage=enquiry, actor=manager, name="Enquiry", position=10, is_closed=True, is_active=True)
    assert first_stage() == enquiry


def test_stage_list_query_count_does_not_grow(manager_client: Client, manager: User, django_assert_num_queries) -> None:
    manager_client.get(LIST_URL)
    for n in (2, 20):
        for i in range(n):
            stage_create(actor=manager, name=f"Extra {n}-{i}", position=200 + i)
        CandidateFactory.create_batch(n)
        with django_assert_num_queries(4):
            assert manager_client.get(LIST_URL).status_code == 200
