"""The demo's three funding streams and their eligibility rules (seeded before the courses charge to them).

Each asks a different question, as funders do: a council's core programme counts job starts for
adults living in West Yorkshire; a DWP-style sector-based work academy pays for unemployed people
on benefits and counts sustained jobs at 26 weeks; a priority-groups stream pays for people on
low pay or with few qualifications and follows them up for a year. Idempotent: streams are found
by code and their rules are written only once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from academy.models import FundingStream
from candidates.models import EligibilityRule

Field, Operator = EligibilityRule.Field, EligibilityRule.Operator

CORE, DWP, PRIORITY = "WY-CAC-CORE", "DWP-SWAP-27", "UKSPF-PG-26"

# code -> (stream fields with dates as days from today, rules)
STREAMS: dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]] = {
    CORE: (
        {
            "name": "Care Academy Core",
            "funder": "West Yorkshire councils (Leeds City Council as lead)",
            "start_days": -400,
            "end_days": 330,
            "budget": Decimal("18000.00"),
            "target_learners_engaged": 240,
            "target_course_completions": 180,
            "target_job_starts": 90,
            "target_sustained_jobs": 60,
            "follow_up_weeks": [4, 13, 26],
            "sustained_after_weeks": 13,
            "notes": "The council pays per job start; sustained at 13 weeks is reported but not paid for.",
        },
        [
            (Field.AGE, Operator.AT_LEAST, "19"),
            (Field.POSTCODE_AREA, Operator.ONE_OF, "LS, BD, WF"),
        ],
    ),
    DWP: (
        {
            "name": "Sector-based Work Academy Programme",
            "funder": "Department for Work and Pensions (Jobcentre Plus West Yorkshire)",
            "start_days": -365,
            "end_days": 365,
            "budget": Decimal("9500.00"),
            "target_learners_engaged": 120,
            "target_course_completions": 96,
            "target_job_starts": 60,
            "target_sustained_jobs": 40,
            "follow_up_weeks": [13, 26],
            "sustained_after_weeks": 26,
            "notes": "Outcome payments for people still in work at 13 and 26 weeks.",
        },
        [
            (Field.AGE, Operator.AT_LEAST, "18"),
            (Field.EMPLOYMENT_STATUS, Operator.ONE_OF, "unemployed, inactive"),
            (Field.BENEFIT_STATUS, Operator.ONE_OF, "universal_credit, jsa, esa"),
        ],
    ),
    PRIORITY: (
        {
            "name": "Priority Groups into Care",
            "funder": "UK Shared Prosperity Fund (West Yorkshire Combined Authority)",
            "start_days": -420,
            "end_days": 120,
            "budget": Decimal("6000.00"),
            "target_learners_engaged": 80,
            "target_job_starts": 30,
            "target_sustained_jobs": 20,
            "target_priority_group_learners": 60,
            "follow_up_weeks": [4, 13, 26, 52],
            "sustained_after_weeks": 52,
            "notes": "For people on low pay or with few qualifications; sustained means in work a year on.",
        },
        [
            (Field.QUALIFICATION, Operator.AT_MOST, "level_2"),
            (Field.SALARY, Operator.BELOW, "21000.00"),
        ],
    ),
}


@transaction.atomic
def seed_streams(*, today: dt.date) -> int:
    """Create the three demo streams with their rules if missing; returns how many were created."""
    created = 0
    for code, (spec, rules) in STREAMS.items():
        fields = dict(spec)
        start = today + dt.timedelta(days=fields.pop("start_days"))
        end = today + dt.timedelta(days=fields.pop("end_days"))
        stream, made = FundingStream.objects.get_or_create(
            code=code, defaults={**fields, "start_date": start, "end_date": end}
        )
        if made:
            created += 1
            EligibilityRule.objects.bulk_create(
                EligibilityRule(stream=stream, field=field, operator=operator, value=value)
                for field, operator, value in rules
            )
    return created
