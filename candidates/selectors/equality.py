"""Which underrepresented groups a person is in: one rule for the staff list's filter and the reports.

Equality answers are deleted when a record is anonymised; the groups they placed the person in are
kept on the record first (`Candidate.groups_at_anonymisation`, codes only, as the age band is), so
aggregate figures stay the same after erasure.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from candidates.models import Candidate, EqualityMonitoring
from candidates.models.choices import AgeBand, UnderrepresentedGroup
from candidates.selectors.candidate_list import EQUALITY_GROUP_CONDITIONS, underrepresented_group_q

OVER_50_BANDS = (AgeBand.AGE_50_64, AgeBand.AGE_65_PLUS)


def groups_code(groups: list[str]) -> str:
    """Group codes as stored on an anonymised record: ",men,care_leaver," ("" for none)."""
    return f",{','.join(groups)}," if groups else ""


def equality_groups_of(candidate: Candidate) -> list[str]:
    """The groups the person's equality answers place them in (not over_50: that is the age band); one query."""
    row = EqualityMonitoring.objects.filter(candidate=candidate).aggregate(
        **{group: Count("pk", filter=condition) for group, condition in EQUALITY_GROUP_CONDITIONS.items()}
    )
    return [str(group) for group in EQUALITY_GROUP_CONDITIONS if row[group]]


def in_group_q(group: str, on: date) -> Q:
    """Candidates in `group`: from their answers and date of birth (age on `on`), or, for an anonymised
    record, from what was kept when it was anonymised."""
    if group == UnderrepresentedGroup.OVER_50:
        kept = Q(anonymised_at__isnull=False, age_band_at_registration__in=OVER_50_BANDS)
    else:
        kept = Q(anonymised_at__isnull=False, groups_at_anonymisation__contains=f",{group},")
    return underrepresented_group_q((group,), on) | kept
