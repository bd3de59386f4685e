"""The work placements and CV section of the staff record page (placements/record_work.py)."""

from __future__ import annotations

import pytest

from academy.tenancy import academy_in_use_id
from candidates.selectors.journey import record_sections
from placements.models import WorkPlacement
from placements.record_work import record_sections as work_sections
from tests.placements.factories_work import CvCommentFactory, CvFactory, WorkPlacementFactory

pytestmark = pytest.mark.django_db


def test_staff_see_placements_their_history_and_the_cv(staff, walk_in, django_assert_num_queries):
    def add(n: int) -> None:
        for _ in range(n):
            WorkPlacementFactory.create(candidate=walk_in, status=WorkPlacement.Status.SIGNED_OFF)

    add(1)
    cv = CvFactory.create(candidate=walk_in)
    CvCommentFactory.create(cv=cv)
    CvCommentFactory.create(cv=cv, resolved_at=cv.created_at)
    academy_in_use_id(staff)  # a request reads it from the session; here it is read once, first
    with django_assert_num_queries(3):
        (section,) = work_sections(candidate=walk_in, actor=staff)
    add(3)
    placement = WorkPlacement.objects.filter(candidate=walk_in).first()
    assert placement is not None
    placement.status_changes.create(from_status="", to_status="planned", reason="Arranged")
    with django_assert_num_queries(3):
        (section,) = work_sections(candidate=walk_in, actor=staff)
    assert len(section.context["placements"]) == 4  # type: ignore[arg-type]
    assert section.context["cv"].open_comments == 1  # type: ignore[attr-defined]
    assert [entry.area for entry in section.timeline] == ["Work placement"]


def test_the_section_is_on_the_record_page_for_staff_only(client_for, staff, learner, candidate):
    WorkPlacementFactory.create(candidate=candidate)
    assert any(s.anchor == "work-placements" for s in record_sections(candidate=candidate, actor=staff))
    assert not any(s.anchor == "work-placements" for s in record_sections(candidate=candidate, actor=learner))
    html = client_for("staff").get(candidate.get_absolute_url()).content.decode()
    assert "Work placements and CV" in html and "No CV saved yet" in html
