"""Providers' engagement demo: contacts with each demo provider, support offered to the one rated
"requires improvement", and last quarter's survey answer from the other. Idempotent; dates relative to `today`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from academy import demo
from academy.models import User
from academy.periods import add_months, previous_quarter
from providers.models import Provider, ProviderContact, ProviderSupport, ProviderSurvey

# Provider, kind, days ago, what was discussed.
CONTACTS = [
    ("Riverside Home Care", ProviderContact.Kind.VISIT, 20, "Met the registered manager; 6 home care vacancies."),
    ("Riverside Home Care", ProviderContact.Kind.CALL, 95, "Interview dates for the spring cohort."),
    ("Oakwood Nursing Home", ProviderContact.Kind.CALL, 240, "Night shift placements; agreement still in discussion."),
]


def seed_engagement(*, today: date) -> str:
    staff = User.objects.filter(email=demo.DEMO_STAFF[1][0]).first()
    providers = {p.name: p for p in Provider.objects.all()}
    for name, kind, days_ago, summary in CONTACTS:
        if name in providers:
            ProviderContact.objects.get_or_create(
                provider=providers[name],
                kind=kind,
                summary=summary,
                defaults={"occurred_on": today - timedelta(days=days_ago), "recorded_by": staff},
            )
    oakwood = providers.get("Oakwood Nursing Home")
    if oakwood is not None:
        ProviderSupport.objects.get_or_create(
            provider=oakwood,
            kind=ProviderSupport.Kind.TRAINING,
            details="Values-based interviewing workshop for two senior carers, after the CQC inspection.",
            defaults={"offered_on": add_months(today, -2), "recorded_by": staff},
        )
    riverside = providers.get("Riverside Home Care")
    if riverside is not None:
        answerer = User.objects.filter(provider_membership__provider=riverside).order_by("email").first()
        ProviderSurvey.objects.get_or_create(
            provider=riverside,
            quarter_start=previous_quarter(today)[0],
            defaults={
                "readiness": 4,
                "values": 5,
                "retention": 4,
                "support": 5,
                "turnover_percent": Decimal("23.0"),
                "comments": "The two-week course completers settle in quickly; more drivers would help.",
                "answered_by": answerer,
            },
        )
    return f"{ProviderContact.objects.count()} provider contacts, {ProviderSurvey.objects.count()} survey answers"
