"""Permission-matrix rows for vacancy management: the provider's list and posting, staff's list and approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from placements.models import Vacancy
from tests.matrix import STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs
from tests.placements.factories_vacancies import VacancyFactory

PROVIDERS_ONLY = expect(403, provider_user=200, other_provider_user=200)
# A published vacancy is in learners' scope (they see it on the board), so its management pages are 403 to them.
PUBLISHED_A_AND_STAFF = expect(404, provider_user=200, staff=200, manager=200, learner=403, other_learner=403)
# Actions only provider A's users may take on it (staff see it: 403).
A_ONLY = expect(404, provider_user=200, staff=403, manager=403)
# Actions only staff take on it (provider A sees it: 403).
STAFF_ON_A = expect(404, provider_user=403, staff=200, manager=200)


def objects(fixture: Fixture) -> Objects:
    provider_a = fixture("provider_a")
    fixture("provider_user")
    draft = VacancyFactory.create(provider=provider_a, title="Matrix draft", status=Vacancy.Status.DRAFT)
    submitted = VacancyFactory.create(provider=provider_a, title="Matrix submitted", status=Vacancy.Status.SUBMITTED)
    # Published but past its closing date (the daily task has not run yet), so it is not on the public board,
    # where provider B would see provider A's name.
    published = VacancyFactory.create(
        provider=provider_a, title="Matrix published", closing_date=timezone.localdate() - dt.timedelta(days=1)
    )
    return {"vacancy_draft": draft, "vacancy_submitted": submitted, "vacancy_published": published}


def _of(name: str) -> Any:
    return lambda objs: {"public_id": objs[name].public_id}


ROWS = {
    "placements:provider-vacancy-list": Row(no_kwargs, "get", PROVIDERS_ONLY),
    "placements:vacancy-create": Row(no_kwargs, "get", PROVIDERS_ONLY),
    "placements:vacancy-list": Row(no_kwargs, "get", STAFF_ONLY),
    "placements:vacancy-approval-queue": Row(no_kwargs, "get", STAFF_ONLY),
    "placements:vacancy-detail": Row(_of("vacancy_published"), "get", PUBLISHED_A_AND_STAFF),
    "placements:vacancy-update": Row(_of("vacancy_draft"), "get", A_ONLY),
    # POST-only actions: an empty POST submits the draft (provider A) or approves the submitted one (staff).
    "placements:vacancy-submit": Row(
        _of("vacancy_draft"), "post", expect(404, provider_user=302, staff=403, manager=403)
    ),
    "placements:vacancy-close": Row(_of("vacancy_published"), "get", PUBLISHED_A_AND_STAFF),
    "placements:vacancy-approve": Row(
        _of("vacancy_submitted"), "post", expect(404, provider_user=403, staff=302, manager=302)
    ),
    "placements:vacancy-request-changes": Row(_of("vacancy_submitted"), "get", STAFF_ON_A),
}
