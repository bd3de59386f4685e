"""Permission-matrix rows for the public job board: open to everyone, a vacancy's page only while published."""

from __future__ import annotations

from typing import Any

from placements.models import Vacancy
from tests.factories import ProviderFactory
from tests.matrix import Fixture, Objects, Row, expect, no_kwargs
from tests.placements.factories_vacancies import VacancyFactory

EVERYONE = expect(200, anonymous=200)


def objects(fixture: Fixture) -> Objects:
    # The board is public, so a published vacancy shows its provider's name to everyone: it belongs to a
    # provider none of the personas work for (the matrix checks provider B never sees "Provider A").
    provider_a = fixture("provider_a")
    neutral = ProviderFactory.create(name="Kindly Care Leeds")
    return {
        "board_published": VacancyFactory.create(provider=neutral, title="Matrix board job"),
        "board_draft": VacancyFactory.create(
            provider=provider_a, title="Matrix board draft", status=Vacancy.Status.DRAFT
        ),
    }


def _of(name: str) -> Any:
    return lambda objs: {"public_id": objs[name].public_id}


ROWS = {
    "placements:job-board": Row(no_kwargs, "get", EVERYONE, names_providers=True),
    "placements:job-detail": Row(_of("board_published"), "get", EVERYONE, names_providers=True),
}
