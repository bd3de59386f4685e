"""The DBS demo data: every status, chases not sent, a purged check, a shared one; safe to run twice."""

from __future__ import annotations

import pytest

from academy.models import Role, User
from candidates.demo import seed_candidates
from candidates.demo_dbs import SPECS, seed_dbs
from candidates.models import DbsCheck
from candidates.selectors.dbs_dashboard import dbs_overdue_chases, dbs_turnaround
from candidates.selectors.dbs_sharing import dbs_shared_with_provider
from candidates.services.records import candidate_for_learner
from tests.candidates.factories_dbs_records import TODAY
from tests.factories import ProviderFactory, UserFactory, first_academy_id

pytestmark = pytest.mark.django_db


def test_seed_dbs(staff: User) -> None:
    riverside = ProviderFactory.create(name="Riverside Home Care")
    for n in range(1, 6):
        candidate_for_learner(UserFactory.create(email=f"learner{n}@demo.academy", role=Role.LEARNER))
    seed_candidates(owners=[staff])

    created = seed_dbs(today=TODAY)
    assert created == len(SPECS) + 6
    assert set(DbsCheck.objects.values_list("status", flat=True)) == set(DbsCheck.Status.values)
    assert DbsCheck.objects.filter(details_purged_at__isnull=False, certificate_number="").exists()
    (shared,) = dbs_shared_with_provider(riverside)
    assert shared.dbs_check.candidate.user.email == "learner1@demo.academy"  # type: ignore[union-attr]
    assert dbs_overdue_chases(today=TODAY, academy_id=first_academy_id()).total == 3
    assert dbs_turnaround(today=TODAY).count >= 6

    assert seed_dbs(today=TODAY) == 0
